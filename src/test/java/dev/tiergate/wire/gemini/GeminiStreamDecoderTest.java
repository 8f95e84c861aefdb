package dev.tiergate.wire.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.http.GatewayException;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.provider.SseParser;
import dev.tiergate.support.GeminiTranscripts;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamEvent;
import dev.tiergate.wire.StreamEvent.Finish;
import dev.tiergate.wire.StreamEvent.TextDelta;
import dev.tiergate.wire.StreamEvent.ToolCallDelta;
import dev.tiergate.wire.StreamEvent.ToolCallStart;
import dev.tiergate.wire.StreamEvent.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gemini {@code alt=sse} transcripts through the real SSE parser, split at every byte, into the decoder. */
class GeminiStreamDecoderTest {

  private static final List<StreamEvent> TEXT_EVENTS = List.of(
      StreamEvent.MESSAGE_START,
      new TextDelta("Héllo wörld"), new Usage(12, 4),
      new TextDelta(" — 日本語"), new Usage(12, 9),
      new TextDelta(" 🙂 done."), new Usage(12, 13),
      new Finish(FinishReason.END_TURN),
      StreamEvent.END);

  private static final List<StreamEvent> TOOL_EVENTS = List.of(
      StreamEvent.MESSAGE_START,
      new TextDelta(GeminiTranscripts.TOOL_TEXT), new Usage(31, -1),
      new ToolCallStart(0, GeminiTranscripts.TOOL_ID, GeminiTranscripts.TOOL_NAME),
      new ToolCallDelta(0, GeminiTranscripts.TOOL_ARGUMENTS),
      new Usage(GeminiTranscripts.TOOL_PROMPT_TOKENS, GeminiTranscripts.TOOL_COMPLETION_TOKENS),
      new Finish(FinishReason.TOOL_USE),
      StreamEvent.END);

  /** What the decoder emitted, and whether it called the stream complete when the body ended. */
  private record Replay(List<StreamEvent> events, boolean complete) {
  }

  @Test
  void textAnswerSplitAtEveryByteDecodesTheSame() {
    byte[] input = GeminiTranscripts.textAnswer().getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= input.length; split++) {
      Replay replay = replay(input, split);
      assertEquals(TEXT_EVENTS, replay.events(), "split at " + split);
      assertTrue(replay.complete());
    }
    assertEquals(GeminiTranscripts.TEXT, text(TEXT_EVENTS));
    Usage last = (Usage) TEXT_EVENTS.get(6);
    assertEquals(GeminiTranscripts.PROMPT_TOKENS, last.promptTokens());
    assertEquals(GeminiTranscripts.COMPLETION_TOKENS, last.completionTokens());
  }

  @Test
  void textAnswerFedOneByteAtATimeDecodesTheSame() {
    byte[] input = GeminiTranscripts.textAnswer().getBytes(StandardCharsets.UTF_8);
    int[] everyByte = new int[input.length];
    Arrays.setAll(everyByte, i -> i + 1);
    assertEquals(TEXT_EVENTS, replay(input, everyByte).events());
  }

  @Test
  void toolCallArrivesWholeAndStopAfterItMeansToolUse() {
    byte[] input = GeminiTranscripts.toolCallAnswer().getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= input.length; split++) {
      Replay replay = replay(input, split);
      assertEquals(TOOL_EVENTS, replay.events(), "split at " + split);
      assertTrue(replay.complete());
    }
  }

  @Test
  void callsGetOrdinalIndexesAndKeepGeminisIdsWhenGiven() {
    String transcript = data("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"id\":\"fc-a\","
        + "\"name\":\"a\",\"args\":{}}},{\"functionCall\":{\"name\":\"b\"}}],\"role\":\"model\"},\"index\":0}]}")
        + data("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"c\",\"args\":{\"x\":[1,2]}}}],"
        + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}");
    assertEquals(List.of(StreamEvent.MESSAGE_START,
        new ToolCallStart(0, "fc-a", "a"), new ToolCallDelta(0, "{}"),
        new ToolCallStart(1, "call_1", "b"), new ToolCallDelta(1, "{}"),
        new ToolCallStart(2, "call_2", "c"), new ToolCallDelta(2, "{\"x\":[1,2]}"),
        new Finish(FinishReason.TOOL_USE), StreamEvent.END), replay(bytes(transcript)).events());
  }

  @Test
  void errorPayloadMidStreamThrowsAfterTheTextBeforeIt() {
    List<StreamEvent> events = new ArrayList<>();
    GeminiStreamDecoder decoder = new GeminiStreamDecoder();
    List<SseEvent> frames = frames(bytes(GeminiTranscripts.errorMidStream()));
    decoder.decode(frames.get(0), events::add);
    GatewayException error = assertThrows(GatewayException.class, () -> decoder.decode(frames.get(1), events::add));
    assertEquals("upstream_stream_error", error.errorClass());
    assertEquals(502, error.status());
    assertTrue(error.getMessage().contains(GeminiTranscripts.ERROR_MESSAGE), error.getMessage());
    assertEquals(List.of(StreamEvent.MESSAGE_START, new TextDelta(GeminiTranscripts.ERROR_TEXT), new Usage(7, -1)),
        events);
  }

  @Test
  void malformedPayloadsThrow() {
    for (String data : List.of("{\"candidates\":[", "[1,2]", "\"text\"", "{} {}")) {
      GatewayException error = assertThrows(GatewayException.class,
          () -> new GeminiStreamDecoder().decode(new SseEvent(Buffer.buffer(), null, data), event -> { }), data);
      assertEquals("upstream_malformed_stream", error.errorClass());
    }
  }

  @Test
  void aBodyThatEndsBeforeAFinishReasonWasCut() {
    String transcript = GeminiTranscripts.textAnswer();
    String firstTwo = transcript.substring(0, transcript.lastIndexOf("data: "));
    Replay replay = replay(bytes(firstTwo));
    assertFalse(replay.complete());
    assertFalse(replay.events().contains(StreamEvent.END));
    assertTrue(replay.events().stream().noneMatch(Finish.class::isInstance));
  }

  @Test
  void blockedPromptFinishesAsContentFilter() {
    assertEquals(List.of(StreamEvent.MESSAGE_START, new Usage(8, -1), new Finish(FinishReason.CONTENT_FILTER),
        StreamEvent.END), replay(bytes(GeminiTranscripts.blockedPrompt())).events());
  }

  @Test
  void finishReasonsMapToTheGatewaysTerms() {
    assertEquals(FinishReason.END_TURN, GeminiResponse.finish("STOP", false));
    assertEquals(FinishReason.TOOL_USE, GeminiResponse.finish("STOP", true));
    assertEquals(FinishReason.MAX_TOKENS, GeminiResponse.finish("MAX_TOKENS", true));
    for (String filtered : List.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII")) {
      assertEquals(FinishReason.CONTENT_FILTER, GeminiResponse.finish(filtered, false), filtered);
    }
    assertEquals(FinishReason.OTHER, GeminiResponse.finish("MALFORMED_FUNCTION_CALL", false));
    assertEquals(FinishReason.OTHER, GeminiResponse.finish("LANGUAGE", false));
  }

  @Test
  void maxTokensIsReportedOnceAndCommentsAreIgnored() {
    String transcript = ": keep-alive\r\n\r\n"
        + data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"cut\"}],\"role\":\"model\"},"
        + "\"finishReason\":\"MAX_TOKENS\",\"index\":0}]}")
        + data("{\"candidates\":[{\"content\":{\"parts\":[],\"role\":\"model\"},\"finishReason\":\"MAX_TOKENS\","
        + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1}}");
    assertEquals(List.of(StreamEvent.MESSAGE_START, new TextDelta("cut"), new Finish(FinishReason.MAX_TOKENS),
        new Usage(3, 1), StreamEvent.END), replay(bytes(transcript)).events());
  }

  private static Replay replay(byte[] input, int... splits) {
    List<StreamEvent> events = new ArrayList<>();
    GeminiStreamDecoder decoder = new GeminiStreamDecoder();
    SseParser parser = new SseParser(1 << 20, frame -> decoder.decode(frame, events::add));
    int from = 0;
    for (int split : splits) {
      parser.feed(Buffer.buffer(Arrays.copyOfRange(input, from, split)));
      from = split;
    }
    parser.feed(Buffer.buffer(Arrays.copyOfRange(input, from, input.length)));
    boolean complete = decoder.endOfInput(events::add);
    return new Replay(events, complete);
  }

  private static List<SseEvent> frames(byte[] input) {
    List<SseEvent> frames = new ArrayList<>();
    new SseParser(1 << 20, frames::add).feed(Buffer.buffer(input));
    return frames;
  }

  private static String text(List<StreamEvent> events) {
    StringBuilder text = new StringBuilder();
    events.stream().filter(TextDelta.class::isInstance).forEach(e -> text.append(((TextDelta) e).text()));
    return text.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String data(String json) {
    return "data: " + json + "\r\n\r\n";
  }
}
