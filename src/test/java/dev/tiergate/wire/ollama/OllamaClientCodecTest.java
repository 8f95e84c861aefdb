package dev.tiergate.wire.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientFormat;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests read, and answers and errors written, as Ollama clients speak them. */
class OllamaClientCodecTest {

  private final OllamaClientCodec codec = new OllamaClientCodec(OllamaStreamEncoderTest.CLOCK);

  private ChatRequest parse(String json) {
    return codec.parse(Buffer.buffer(json));
  }

  @Test
  void aRequestStreamsUnlessToldNotToAndAlwaysReportsUsage() {
    ChatRequest request = parse("{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(ClientFormat.OLLAMA, request.format());
    assertEquals("llama3.2", request.model());
    assertTrue(request.stream());
    assertTrue(request.clientWantsUsage());
    assertNull(request.user());
    assertFalse(parse("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false}").stream());
    assertTrue(parse("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":null}").stream());
  }

  @Test
  void anAbsentModelMeansAutomaticRouting() {
    assertNull(parse("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").model());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "``|The request body is empty; expected a JSON object",
      "{\"messages\":|The request body is not valid JSON",
      "[1]|The request body must be a JSON object",
      "{\"model\":1,\"messages\":[{\"role\":\"user\"}]}|'model' must be a string",
      "{}|'messages' is required",
      "{\"messages\":{}}|'messages' must be an array",
      "{\"messages\":[]}|'messages' must contain at least one message",
      "{\"messages\":[1]}|'messages[0]' must be an object",
      "{\"messages\":[{\"content\":\"x\"}]}|'messages[0].role' is required and must be a string",
      "{\"messages\":[{\"role\":\"developer\"}]}|'messages[0].role' must be one of assistant, system, tool, user",
      "{\"messages\":[{\"role\":\"user\",\"content\":[]}]}|'messages[0].content' must be a string",
      "{\"messages\":[{\"role\":\"user\",\"images\":\"abc\"}]}|'messages[0].images' must be an array",
      "{\"messages\":[{\"role\":\"user\",\"images\":[1]}]}|'messages[0].images[0]' must be a base64 string",
      "{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":{}}]}|'messages[0].tool_calls' must be an array",
      "{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{}]}]}|'messages[0].tool_calls[0].function' is required",
      "{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{}}]}]}"
          + "|'messages[0].tool_calls[0].function.name' is required",
      "{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}"
          + "|'messages[0].tool_calls[0].function.arguments' must be an object",
      "{\"messages\":[{\"role\":\"tool\",\"tool_name\":3}]}|'messages[0].tool_name' must be a string",
      "{\"messages\":[{\"role\":\"user\"}],\"stream\":\"yes\"}|'stream' must be a boolean",
      "{\"messages\":[{\"role\":\"user\"}],\"format\":\"xml\"}|'format' must be \"json\" or a JSON schema object",
      "{\"messages\":[{\"role\":\"user\"}],\"format\":[]}|'format' must be \"json\" or a JSON schema object",
      "{\"messages\":[{\"role\":\"user\"}],\"options\":[]}|'options' must be an object",
      "{\"messages\":[{\"role\":\"user\"}],\"options\":{\"num_predict\":1.5}}"
          + "|'options.num_predict' must be an integer",
      "{\"messages\":[{\"role\":\"user\"}],\"options\":{\"temperature\":\"hot\"}}"
          + "|'options.temperature' must be a number",
      "{\"messages\":[{\"role\":\"user\"}],\"options\":{\"top_p\":1.5}}"
          + "|'options.top_p' must be a number between 0 and 1",
      "{\"messages\":[{\"role\":\"user\"}],\"options\":{\"stop\":[1]}}|'options.stop' must be a string or an array",
      "{\"messages\":[{\"role\":\"user\"}],\"tools\":{}}|'tools' must be an array",
      "{\"messages\":[{\"role\":\"user\"}],\"tools\":[{\"type\":\"function\"}]}|'tools[0].function' is required",
      "{\"messages\":[{\"role\":\"user\"}],\"tools\":[{\"function\":{\"name\":\"\"}}]}"
          + "|'tools[0].function.name' is required",
      "{\"messages\":[{\"role\":\"user\"}],\"tools\":[{\"function\":{\"name\":\"f\",\"parameters\":1}}]}"
          + "|'tools[0].function.parameters' must be an object"})
  void badRequestsAreRejectedNamingTheField(String body, String message) {
    GatewayException error = assertThrows(GatewayException.class, () -> parse(body));
    assertEquals(400, error.status());
    assertTrue(error.getMessage().startsWith(message), error.getMessage());
  }

  @Test
  void errorsAreOllamasErrorObjectBeforeAndDuringAStream() throws IOException {
    GatewayException error = GatewayException.badRequest("invalid_request", "'messages' is \"required\"");
    assertEquals("{\"error\":\"'messages' is \\\"required\\\"\"}", codec.errorBody(error).toString());
    Buffer frame = codec.errorFrame(GatewayException.badGateway("upstream_stream_error", "broke"));
    assertEquals("{\"error\":\"broke\"}\n", frame.toString());
    assertEquals("broke", JsonSupport.MAPPER.readTree(frame.getBytes()).path("error").asText());
  }

  @Test
  void streamsAreNdjsonWithoutHeartbeatsAndPassThroughToOllama() {
    assertNull(codec.heartbeat());
    assertEquals("application/x-ndjson", codec.streamContentType());
    assertEquals(ProviderFamily.OLLAMA, codec.nativeFamily());
    assertTrue(codec.newStreamEncoder(null, "m", "req-1") instanceof OllamaStreamEncoder);
  }

  @Test
  void aWholeAnswerIsOneObjectWithToolCallsReasonAndCounts() throws IOException {
    Completion completion = new Completion(List.of(new Part.Text("Checking "), new Part.Text("now."),
        new Part.ToolCall("toolu_1", "get_weather", "{\"city\":\"Oslo\",\"days\":2}")), FinishReason.TOOL_USE, 31, 9);
    assertEquals("{\"model\":\"local-fast\",\"created_at\":\"2025-05-27T22:54:57.641643Z\",\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"Checking now.\",\"tool_calls\":[{\"function\":{\"name\":\"get_weather\","
            + "\"arguments\":{\"city\":\"Oslo\",\"days\":2}}}]},\"done_reason\":\"stop\",\"done\":true,"
            + "\"prompt_eval_count\":31,\"eval_count\":9}",
        codec.encodeCompletion(completion, null, "local-fast", "req-1").toString());
  }

  @Test
  void aWholeAnswerLeavesOutUnknownCountsAndNamesTheOutputLimit() throws IOException {
    Completion completion = new Completion(List.of(new Part.Text("cut")), FinishReason.MAX_TOKENS, -1, -1);
    JsonNode answer = JsonSupport.MAPPER.readTree(codec.encodeCompletion(completion, null, "m", "r").getBytes());
    assertEquals("length", answer.path("done_reason").asText());
    assertFalse(answer.has("prompt_eval_count"));
    assertFalse(answer.has("eval_count"));
    assertFalse(answer.path("message").has("tool_calls"));
    assertNull(new Completion(List.of(), null, -1, -1).finishReason());
    JsonNode noReason = JsonSupport.MAPPER.readTree(codec.encodeCompletion(
        new Completion(List.of(), null, -1, -1), null, "m", "r").getBytes());
    assertEquals("stop", noReason.path("done_reason").asText());
  }

  @Test
  void toolCallArgumentsThatAreNotAnObjectCannotBeAnswered() {
    Completion completion = new Completion(List.of(new Part.ToolCall("c", "f", "[1]")), FinishReason.TOOL_USE, 1, 1);
    GatewayException error = assertThrows(GatewayException.class,
        () -> codec.encodeCompletion(completion, null, "m", "r"));
    assertEquals("upstream_malformed_response", error.errorClass());
  }
}
