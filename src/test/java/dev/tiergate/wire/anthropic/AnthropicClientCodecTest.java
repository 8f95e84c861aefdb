package dev.tiergate.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.support.AnthropicTranscripts;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.StreamEncoder;
import dev.tiergate.wire.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic errors, keep-alives and whole answers, as clients see them; whole answers read from Anthropic. */
class AnthropicClientCodecTest {

  private final AnthropicClientCodec codec = new AnthropicClientCodec();

  private static JsonNode json(Buffer buffer) {
    try {
      return JsonSupport.MAPPER.readTree(buffer.getBytes());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private ChatRequest request() {
    return codec.parse(Buffer.buffer("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
  }

  @Test
  void errorsUseAnthropicsShapeAndTypes() {
    JsonNode body = json(codec.errorBody(GatewayException.badRequest("invalid_request", "'messages' is required")));
    assertEquals("error", body.get("type").asText());
    assertEquals("invalid_request_error", body.at("/error/type").asText());
    assertEquals("'messages' is required", body.at("/error/message").asText());
    assertEquals("rate_limit_error", json(codec.errorBody(GatewayException.rateLimited("3", "slow down")))
        .at("/error/type").asText());
    assertEquals("api_error", json(codec.errorBody(GatewayException.badGateway("upstream_status_500", "x")))
        .at("/error/type").asText());
    assertEquals("timeout_error", json(codec.errorBody(GatewayException.timeout("upstream_timeout", "x")))
        .at("/error/type").asText());
    assertEquals("authentication_error", json(codec.errorBody(GatewayException.unauthorized("x")))
        .at("/error/type").asText());
    assertEquals("not_found_error", json(codec.errorBody(GatewayException.notFound("model_not_found", "x")))
        .at("/error/type").asText());
    assertEquals("request_too_large", json(codec.errorBody(GatewayException.tooLarge(10)))
        .at("/error/type").asText());
  }

  @Test
  void statusesMapToAnthropicErrorTypes() {
    int[] statuses = {400, 401, 402, 403, 404, 405, 413, 422, 429, 500, 502, 503, 504, 529};
    String[] types = {"invalid_request_error", "authentication_error", "billing_error", "permission_error",
        "not_found_error", "invalid_request_error", "request_too_large", "invalid_request_error", "rate_limit_error",
        "api_error", "api_error", "overloaded_error", "timeout_error", "overloaded_error"};
    for (int i = 0; i < statuses.length; i++) {
      assertEquals(types[i], AnthropicClientCodec.errorType(statuses[i]), "status " + statuses[i]);
    }
  }

  @Test
  void aStreamEndsWithAnErrorEventThatTheDecoderRecognises() {
    Buffer frame = codec.errorFrame(GatewayException.badGateway("upstream_stream_error", "The upstream broke"));
    assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
        + "\"message\":\"The upstream broke\"}}\n\n", frame.toString());
    GatewayException read = assertThrows(GatewayException.class,
        () -> Sse.decode(frame.toString()));
    assertTrue(read.getMessage().endsWith("The upstream broke"), read.getMessage());
  }

  @Test
  void theHeartbeatIsAPingThatDecodesToNothing() {
    assertEquals("event: ping\ndata: {\"type\":\"ping\"}\n\n", codec.heartbeat().toString());
    assertEquals(List.of(), Sse.decode(codec.heartbeat().toString() + codec.heartbeat()));
    assertEquals(ProviderFamily.ANTHROPIC, codec.nativeFamily());
    assertEquals("text/event-stream; charset=utf-8", codec.streamContentType());
  }

  @Test
  void streamedAnswersAreNamedAfterTheRequestId() {
    StreamEncoder encoder = codec.newStreamEncoder(request(), "fast", "req-7");
    encoder.accept(StreamEvent.MESSAGE_START);
    assertTrue(encoder.take().toString().contains("\"id\":\"msg_req-7\""));
  }

  @Test
  void aWholeAnswerIsAnAnthropicMessage() {
    Completion completion = new Completion(List.of(new Part.Text("Let me check."),
        new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
        new Part.ToolCall("call_2", "broken", "{\"city\":")), null, 30, -1);
    JsonNode message = json(codec.encodeCompletion(completion, request(), "fast", "req-7"));
    assertEquals(json(Buffer.buffer("""
        {"id":"msg_req-7","type":"message","role":"assistant","model":"fast","content":[
          {"type":"text","text":"Let me check."},
          {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},
          {"type":"tool_use","id":"call_2","name":"broken","input":"{\\"city\\":"}],
         "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":30,"cache_creation_input_tokens":0,
           "cache_read_input_tokens":0,"output_tokens":0}}
        """)), message);
    Completion text = new Completion(List.of(new Part.Text("Hi")), FinishReason.MAX_TOKENS, 5, 2);
    assertEquals("max_tokens", json(codec.encodeCompletion(text, request(), "fast", "r")).get("stop_reason")
        .asText());
  }

  @Test
  void anthropicMessagesAreReadIntoCompletions() {
    Completion text = AnthropicCompletions.read(Buffer.buffer(AnthropicTranscripts.textMessage()));
    assertEquals(new Completion(List.of(new Part.Text(AnthropicTranscripts.TEXT)), FinishReason.END_TURN,
        AnthropicTranscripts.TEXT_INPUT_TOKENS, AnthropicTranscripts.TEXT_OUTPUT_TOKENS), text);
    Completion tool = AnthropicCompletions.read(Buffer.buffer(AnthropicTranscripts.toolCallMessage()));
    assertEquals(AnthropicTranscripts.TOOL_TEXT, tool.text());
    assertEquals(FinishReason.TOOL_USE, tool.finishReason());
    Part.ToolCall call = tool.toolCalls().getFirst();
    assertEquals(AnthropicTranscripts.TOOL_ID, call.id());
    assertEquals(AnthropicTranscripts.TOOL_NAME, call.name());
    assertEquals(json(Buffer.buffer(AnthropicTranscripts.TOOL_ARGUMENTS)), json(Buffer.buffer(call.arguments())));
    assertEquals(AnthropicTranscripts.TOOL_INPUT_TOKENS, tool.promptTokens());
  }

  @Test
  void thinkingIsSkippedAndCachedTokensCountAsPrompt() {
    Completion completion = AnthropicCompletions.read(Buffer.buffer("""
        {"type":"message","content":[{"type":"thinking","thinking":"hmm","signature":"s"},
          {"type":"text","text":"42"}],"stop_reason":"end_turn",
         "usage":{"input_tokens":3,"cache_read_input_tokens":1000,"cache_creation_input_tokens":null,
                  "output_tokens":9}}
        """));
    assertEquals(new Completion(List.of(new Part.Text("42")), FinishReason.END_TURN, 1003, 9), completion);
    Completion bare = AnthropicCompletions.read(Buffer.buffer("{\"type\":\"message\",\"content\":[]}"));
    assertEquals(new Completion(List.of(), null, -1, -1), bare);
  }

  @Test
  void errorsAndMalformedBodiesAreBadGateways() {
    GatewayException error = assertThrows(GatewayException.class, () -> AnthropicCompletions.read(
        Buffer.buffer(AnthropicTranscripts.errorBody("overloaded_error", "Overloaded"))));
    assertEquals(502, error.status());
    assertTrue(error.getMessage().endsWith("Overloaded"), error.getMessage());
    for (String body : List.of("", "{", "[]", "{\"type\":\"message\"}", "{\"content\":{}}")) {
      GatewayException malformed = assertThrows(GatewayException.class,
          () -> AnthropicCompletions.read(Buffer.buffer(body)), body);
      assertEquals("upstream_malformed_response", malformed.errorClass(), body);
    }
  }
}
