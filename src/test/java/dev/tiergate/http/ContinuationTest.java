package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.provider.OpenAiStreamTap;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.provider.SseParser;
import dev.tiergate.provider.Usage;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientFormat;
import dev.tiergate.wire.ContinuationNote;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamEncoder;
import dev.tiergate.wire.StreamEvent;
import dev.tiergate.wire.StreamPosition;
import dev.tiergate.wire.Turn;
import dev.tiergate.wire.anthropic.AnthropicStreamDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pieces of a continuation without the network: the events a fallback's answer becomes on its way into the
 * client's stream, the request it is sent, and streams that stay well-formed when a resumed encoder carries on what
 * a passthrough began.
 */
class ContinuationTest {

  private static final ContinuationNote NOTE = new ContinuationNote("primary-model", "upstream_stream_cut");

  @Test
  void theFallbacksStartIsDroppedItsLeadingWhitespaceTooAndUsageIsTheSumOfBothCalls() {
    Continuation continuation = Continuation.of(new Resume("The quick ", StreamPosition.UNKNOWN),
        new Usage(20, 3, null), NOTE);
    assertEquals("The quick", continuation.prefill(), "Anthropic refuses a prefill ending in whitespace");
    List<StreamEvent> seen = new ArrayList<>();
    var front = continuation.front(seen::add);
    front.accept(StreamEvent.MESSAGE_START);
    front.accept(new StreamEvent.TextDelta(" "));
    front.accept(new StreamEvent.TextDelta(" brown"));
    front.accept(new StreamEvent.TextDelta(" fox"));
    front.accept(new StreamEvent.Usage(25, -1));
    front.accept(new StreamEvent.Usage(-1, 2));
    front.accept(new StreamEvent.Finish(FinishReason.END_TURN));
    front.accept(StreamEvent.END);
    assertEquals(List.of(new StreamEvent.Usage(20, 3), new StreamEvent.TextDelta("brown"),
        new StreamEvent.TextDelta(" fox"), new StreamEvent.Usage(45, -1), new StreamEvent.Usage(-1, 5),
        new StreamEvent.Finish(FinishReason.END_TURN), StreamEvent.END), seen);
  }

  @Test
  void textThatEndsWithoutWhitespaceKeepsTheFallbacksLeadingSpace() {
    Continuation continuation = Continuation.of(new Resume("The quick", StreamPosition.UNKNOWN),
        new Usage(-1, -1, null), NOTE);
    List<StreamEvent> seen = new ArrayList<>();
    continuation.front(seen::add).accept(new StreamEvent.TextDelta(" brown"));
    assertEquals(List.of(new StreamEvent.Usage(0, 0), new StreamEvent.TextDelta(" brown")), seen);
  }

  @Test
  void theContinuationRequestEndsWithTheAnswerSoFarAndIsNeverPassedThrough() {
    ChatRequest request = ClientFormat.ANTHROPIC.codec().parse(Buffer.buffer(new JsonObject()
        .put("model", "m").put("max_tokens", 64).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Go"))
            .add(new JsonObject().put("role", "assistant").put("content", "{"))).encode()));
    ChatRequest continuing = request.continuing("\"a\": 1");
    assertTrue(continuing.continuation());
    assertFalse(request.continuation());
    Turn last = continuing.conversation().turns().getLast();
    assertEquals(Turn.Role.ASSISTANT, last.role());
    assertEquals("{\"a\": 1", last.text(), "the client's own prefill comes first");
    assertEquals(2, continuing.conversation().turns().size());
    assertEquals(request.conversation(), request.continuing("").conversation());
  }

  @Test
  void anAnthropicPassthroughCarriedOnByAResumedEncoderIsOneWellFormedMessage() {
    String passthrough = frame("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_up1\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"usage\":"
        + "{\"input_tokens\":20,\"output_tokens\":1}}}")
        + frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"thinking\",\"thinking\":\"\"}}")
        + frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
        + frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
        + "{\"type\":\"text\",\"text\":\"\"}}")
        + frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
        + "{\"type\":\"text_delta\",\"text\":\"The quick \"}}");
    AnthropicStreamDecoder upstream = new AnthropicStreamDecoder();
    decode(passthrough, upstream);
    StreamPosition at = upstream.position();
    assertEquals(new StreamPosition("msg_up1", 1, true, 2), at);

    ChatRequest request = ClientFormat.ANTHROPIC.codec().parse(Buffer.buffer(new JsonObject()
        .put("model", "m").put("max_tokens", 64).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Go"))).encode()));
    StreamEncoder resumed = ClientFormat.ANTHROPIC.codec().resumeStreamEncoder(request, "fallback", "req1", at, NOTE);
    for (StreamEvent event : List.of(StreamEvent.MESSAGE_START, new StreamEvent.TextDelta("brown fox"),
        new StreamEvent.Usage(45, 9), new StreamEvent.Finish(FinishReason.END_TURN), StreamEvent.END)) {
      resumed.accept(event);
    }
    String continuation = resumed.take().toString();
    assertFalse(continuation.contains("message_start"), continuation);
    assertTrue(continuation.startsWith(frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"brown fox\"}}")), continuation);

    List<StreamEvent> whole = decode(passthrough + continuation, new AnthropicStreamDecoder());
    StringBuilder text = new StringBuilder();
    whole.stream().filter(e -> e instanceof StreamEvent.TextDelta)
        .forEach(e -> text.append(((StreamEvent.TextDelta) e).text()));
    assertEquals("The quick brown fox", text.toString());
    assertEquals(StreamEvent.END, whole.getLast());
    JsonObject delta = lastData(continuation, "message_delta");
    assertEquals("fallback", delta.getJsonObject("tiergate").getString("model"));
    assertEquals("primary-model", delta.getJsonObject("tiergate").getString("continued_from"));
    assertTrue(delta.getJsonObject("tiergate").getBoolean("usage_combined"));
    assertEquals(9, delta.getJsonObject("usage").getInteger("output_tokens"));
  }

  @Test
  void anOpenAiResumedEncoderKeepsTheIdSendsNoRoleChunkAndNamesTheFallback() {
    ChatRequest request = ClientFormat.OPENAI.codec().parse(Buffer.buffer(new JsonObject().put("model", "m")
        .put("stream", true).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "Go"))).encode()));
    StreamEncoder resumed = ClientFormat.OPENAI.codec().resumeStreamEncoder(request, "fallback", "req1",
        new StreamPosition("chatcmpl-up", -1, false, 0), NOTE);
    resumed.accept(new StreamEvent.TextDelta("fox"));
    resumed.accept(new StreamEvent.Finish(FinishReason.END_TURN));
    resumed.accept(StreamEvent.END);
    List<JsonObject> chunks = new ArrayList<>();
    for (String line : resumed.take().toString().split("\n")) {
      if (line.startsWith("data: {")) {
        chunks.add(new JsonObject(line.substring(6)));
      }
    }
    assertEquals(2, chunks.size());
    chunks.forEach(chunk -> assertEquals("chatcmpl-up", chunk.getString("id")));
    chunks.forEach(chunk -> assertEquals("fallback", chunk.getString("model")));
    assertEquals("fox", chunks.getFirst().getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
        .getString("content"));
    assertNull(chunks.getFirst().getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role"));
    assertEquals("fallback", chunks.getLast().getJsonObject("tiergate").getString("model"));
  }

  @Test
  void theOpenAiTapKeepsTextAndIdAndGivesUpOnToolCalls() {
    OpenAiStreamTap tap = new OpenAiStreamTap(false);
    tap.captureText();
    tap.inspect(data("{\"id\":\"chatcmpl-9\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
        + "\"content\":\"\"}}]}"));
    tap.inspect(data("{\"id\":\"chatcmpl-9\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hé \"}}]}"));
    tap.inspect(data("{\"id\":\"chatcmpl-9\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\","
        + "\"content\":\"日本\",\"tool_calls\":[]}}]}"));
    assertEquals("Hé 日本", tap.capturedText());
    assertEquals("chatcmpl-9", tap.position().messageId());
    tap.inspect(data("{\"id\":\"chatcmpl-9\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
        + "\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}"));
    assertNull(tap.capturedText(), "a tool call cannot be continued by prefill");
  }

  @Test
  void theOpenAiTapGivesUpOnSeveralChoices() {
    OpenAiStreamTap tap = new OpenAiStreamTap(false);
    tap.captureText();
    tap.inspect(data("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}"));
    assertEquals("a", tap.capturedText());
    tap.inspect(data("{\"id\":\"c\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"}}]}"));
    assertNull(tap.capturedText(), "n > 1: no single answer to continue");
  }

  @Test
  void aTapThatWasNotAskedToCaptureKeepsNothing() {
    OpenAiStreamTap tap = new OpenAiStreamTap(false);
    tap.inspect(data("{\"id\":\"chatcmpl-9\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}"));
    assertNull(tap.capturedText());
  }

  private static SseEvent data(String json) {
    List<SseEvent> frames = new ArrayList<>();
    new SseParser(64 * 1024, frames::add).feed(Buffer.buffer("data: " + json + "\n\n"));
    return frames.getFirst();
  }

  private static String frame(String type, String json) {
    return "event: " + type + "\ndata: " + json + "\n\n";
  }

  private static List<StreamEvent> decode(String body, AnthropicStreamDecoder decoder) {
    List<StreamEvent> events = new ArrayList<>();
    new SseParser(64 * 1024, frame -> decoder.decode(frame, events::add)).feed(Buffer.buffer(body));
    return events;
  }

  private static JsonObject lastData(String body, String type) {
    JsonObject found = null;
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ") && line.contains("\"type\":\"" + type + "\"")) {
        found = new JsonObject(line.substring(6));
      }
    }
    return found;
  }
}
