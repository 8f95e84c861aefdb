package dev.tiergate.wire.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.Framing;
import dev.tiergate.support.Decoded;
import dev.tiergate.support.OpenAiTranscripts;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.StreamEncoder;
import dev.tiergate.wire.StreamEvent;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.Turn;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiCodecTest {

  @Test
  void textStreamDecodesAtEverySplit() {
    byte[] bytes = String.join("", OpenAiTranscripts.textStream()).getBytes(StandardCharsets.UTF_8);
    for (int size = 1; size <= 13; size++) {
      Decoded decoded = Decoded.decode(Framing.SSE, new OpenAiStreamDecoder(), bytes, size, size + 3);
      assertEquals(OpenAiTranscripts.TEXT, decoded.text(), "split " + size);
      assertEquals(12, decoded.promptTokens());
      assertEquals(7, decoded.completionTokens());
      assertEquals(FinishReason.END_TURN, decoded.finishReason());
      assertTrue(decoded.ended());
      assertEquals(StreamEvent.MESSAGE_START, decoded.events().getFirst());
    }
  }

  @Test
  void toolStreamDecodesArgumentsWhole() {
    Decoded decoded = Decoded.decode(Framing.SSE, new OpenAiStreamDecoder(), OpenAiTranscripts.toolStream(), 5);
    assertEquals(List.of(new Decoded.ToolCall(OpenAiTranscripts.TOOL_ID, OpenAiTranscripts.TOOL_NAME,
        OpenAiTranscripts.TOOL_ARGUMENTS)), decoded.toolCalls());
    assertEquals(FinishReason.TOOL_USE, decoded.finishReason());
    assertEquals("", decoded.text());
  }

  @Test
  void errorEventThrowsTheUpstreamError() {
    GatewayException error = assertThrows(GatewayException.class,
        () -> Decoded.decode(Framing.SSE, new OpenAiStreamDecoder(), OpenAiTranscripts.errorStream()));
    assertEquals("upstream_stream_error", error.errorClass());
    assertTrue(error.getMessage().contains("error while processing"));
  }

  @Test
  void malformedChunkThrows() {
    GatewayException error = assertThrows(GatewayException.class,
        () -> Decoded.decode(Framing.SSE, new OpenAiStreamDecoder(), List.of("data: {\"choices\":[\n\n")));
    assertEquals("upstream_malformed_stream", error.errorClass());
  }

  @Test
  void cutStreamWithoutFinishIsNotComplete() {
    Decoded decoded = Decoded.decode(Framing.SSE, new OpenAiStreamDecoder(),
        OpenAiTranscripts.textStream().subList(0, 3));
    assertFalse(decoded.ended());
    assertNull(decoded.finishReason());
  }

  @Test
  void encoderRoundTripsThroughTheDecoder() {
    Decoded source = Decoded.decode(Framing.SSE, new OpenAiStreamDecoder(), OpenAiTranscripts.toolStream());
    for (boolean usage : new boolean[] {true, false}) {
      StreamEncoder encoder = new OpenAiStreamEncoder("chatcmpl-x", "m", 1, usage);
      Buffer out = Buffer.buffer();
      for (StreamEvent event : source.events()) {
        encoder.accept(event);
        Buffer bytes = encoder.take();
        if (bytes != null) {
          out.appendBuffer(bytes);
        }
      }
      Decoded back = Decoded.decode(Framing.SSE, new OpenAiStreamDecoder(), out.getBytes(), 7);
      assertEquals(source.toolCalls(), back.toolCalls());
      assertEquals(FinishReason.TOOL_USE, back.finishReason());
      assertEquals(usage ? 40 : -1, back.promptTokens());
      assertTrue(back.ended());
    }
  }

  @Test
  void completionsReadAndWrite() {
    Completion completion = OpenAiCompletions.read(Buffer.buffer(OpenAiTranscripts.toolCompletion()));
    assertEquals(List.of(new Part.ToolCall(OpenAiTranscripts.TOOL_ID, OpenAiTranscripts.TOOL_NAME,
        OpenAiTranscripts.TOOL_ARGUMENTS)), completion.toolCalls());
    assertEquals(FinishReason.TOOL_USE, completion.finishReason());
    JsonNode written = json(OpenAiCompletions.write(completion, "chatcmpl-1", "m", 5));
    assertEquals("tool_calls", written.at("/choices/0/finish_reason").asText());
    assertTrue(written.at("/choices/0/message/content").isNull());
    assertEquals(OpenAiTranscripts.TOOL_ARGUMENTS,
        written.at("/choices/0/message/tool_calls/0/function/arguments").asText());
    assertEquals(58, written.at("/usage/total_tokens").asLong());
  }

  @Test
  void requestReadsIntoAConversationAndWritesBack() {
    String body = """
        {"model":"auto","stream":true,"max_tokens":50,"temperature":0.4,"stop":"END",
         "response_format":{"type":"json_object"},
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
         "tool_choice":{"type":"function","function":{"name":"get_weather"}},
         "messages":[{"role":"system","content":"Be brief."},
           {"role":"user","content":[{"type":"text","text":"Look:"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
           {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
             "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Bern\\"}"}}]},
           {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}""";
    ChatRequest request = OpenAiRequestReader.parse(Buffer.buffer(body));
    Conversation conversation = request.conversation();
    assertEquals("Be brief.", conversation.system());
    assertEquals(List.of(Turn.Role.USER, Turn.Role.ASSISTANT, Turn.Role.TOOL),
        conversation.turns().stream().map(Turn::role).toList());
    assertEquals(new Part.Image("image/png", "iVBORw0KGgo=", null), conversation.turns().get(0).parts().get(1));
    assertEquals(new ToolChoice(ToolChoice.Mode.TOOL, "get_weather"), conversation.toolChoice());
    assertEquals(ResponseFormat.JSON_OBJECT, conversation.responseFormat());
    assertEquals(List.of("END"), conversation.sampling().stop());
    assertEquals("get_weather", conversation.toolNameOf("call_1"));

    JsonNode written = JsonSupport.MAPPER.valueToTree(OpenAiRequestWriter.write(conversation, "gpt-x", true));
    assertEquals("gpt-x", written.get("model").asText());
    assertEquals("system", written.at("/messages/0/role").asText());
    assertEquals("data:image/png;base64,iVBORw0KGgo=", written.at("/messages/1/content/1/image_url/url").asText());
    assertEquals("{\"city\":\"Bern\"}", written.at("/messages/2/tool_calls/0/function/arguments").asText());
    assertEquals("call_1", written.at("/messages/3/tool_call_id").asText());
    assertTrue(written.at("/stream_options/include_usage").asBoolean());
    assertEquals(50, written.get("max_tokens").asInt());
  }

  @Test
  void severalChoicesCannotBeTranslated() {
    ChatRequest request = OpenAiRequestReader.parse(Buffer.buffer(
        "{\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    GatewayException error = assertThrows(GatewayException.class, request::conversation);
    assertEquals(400, error.status());
    assertTrue(error.getMessage().contains("'n'"));
  }

  private static JsonNode json(Buffer buffer) {
    try {
      return JsonSupport.MAPPER.readTree(buffer.getBytes());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
