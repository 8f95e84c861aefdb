package dev.tiergate.wire.cohere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.http.GatewayException;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.provider.SseParser;
import dev.tiergate.support.CohereTranscripts;
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

/** Cohere v2 chat stream transcripts through the real SSE parser, split at every byte, into the decoder. */
class CohereStreamDecoderTest {

  private static final List<StreamEvent> TEXT_EVENTS = List.of(
      StreamEvent.MESSAGE_START,
      new TextDelta("Héllo wörld"), new TextDelta(" — 日本語"), new TextDelta(" 🙂 done."),
      new Usage(CohereTranscripts.PROMPT_TOKENS, CohereTranscripts.COMPLETION_TOKENS),
      new Finish(FinishReason.END_TURN),
      StreamEvent.END);

  private static final List<StreamEvent> TOOL_EVENTS = List.of(
      StreamEvent.MESSAGE_START,
      new ToolCallStart(0, CohereTranscripts.TOOL_ID, CohereTranscripts.TOOL_NAME),
      new ToolCallDelta(0, "{\n    \""), new ToolCallDelta(0, "location"),
      new ToolCallDelta(0, "\": \"Madrid, Spain"), new ToolCallDelta(0, "\"\n}"),
      new Usage(CohereTranscripts.TOOL_PROMPT_TOKENS, CohereTranscripts.TOOL_COMPLETION_TOKENS),
      new Finish(FinishReason.TOOL_USE),
      StreamEvent.END);

  /** What the decoder emitted, and whether it called the stream complete when the body ended. */
  private record Replay(List<StreamEvent> events, boolean complete) {
  }

  @Test
  void textAnswerSplitAtEveryByteDecodesTheSame() {
    byte[] input = bytes(CohereTranscripts.textAnswer());
    for (int split = 0; split <= input.length; split++) {
      Replay replay = replay(input, split);
      assertEquals(TEXT_EVENTS, replay.events(), "split at " + split);
      assertTrue(replay.complete());
    }
    StringBuilder text = new StringBuilder();
    TEXT_EVENTS.stream().filter(TextDelta.class::isInstance).forEach(e -> text.append(((TextDelta) e).text()));
    assertEquals(CohereTranscripts.TEXT, text.toString());
  }

  @Test
  void textAnswerFedOneByteAtATimeDecodesTheSame() {
    byte[] input = bytes(CohereTranscripts.textAnswer());
    int[] everyByte = new int[input.length];
    Arrays.setAll(everyByte, i -> i + 1);
    assertEquals(TEXT_EVENTS, replay(input, everyByte).events());
  }

  @Test
  void toolCallArgumentsStreamInPiecesAndThePlanIsLeftOut() {
    byte[] input = bytes(CohereTranscripts.toolCallAnswer());
    for (int split = 0; split <= input.length; split++) {
      Replay replay = replay(input, split);
      assertEquals(TOOL_EVENTS, replay.events(), "split at " + split);
      assertTrue(replay.complete());
    }
    StringBuilder arguments = new StringBuilder();
    TOOL_EVENTS.stream().filter(ToolCallDelta.class::isInstance)
        .forEach(e -> arguments.append(((ToolCallDelta) e).arguments()));
    assertEquals(CohereTranscripts.TOOL_ARGUMENTS, arguments.toString());
  }

  @Test
  void parallelCallsGetOrdinalIndexesAndCompleteAfterCallsIsToolUse() {
    String transcript = event("message-start", "{\"type\":\"message-start\",\"delta\":{\"message\":{}}}")
        + event("tool-call-start", "{\"type\":\"tool-call-start\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":"
        + "{\"id\":\"a1\",\"type\":\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"{}\"}}}}}")
        + event("tool-call-end", "{\"type\":\"tool-call-end\",\"index\":0}")
        + event("tool-call-start", "{\"type\":\"tool-call-start\",\"index\":1,\"delta\":{\"message\":{\"tool_calls\":"
        + "{\"id\":\"b2\",\"type\":\"function\",\"function\":{\"name\":\"b\",\"arguments\":\"\"}}}}}")
        + event("tool-call-delta", "{\"type\":\"tool-call-delta\",\"index\":1,\"delta\":{\"message\":{\"tool_calls\":"
        + "{\"function\":{\"arguments\":\"{\\\"x\\\":1}\"}}}}}")
        + event("message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":"
        + "{\"billed_units\":{\"input_tokens\":5,\"output_tokens\":6}}}}");
    assertEquals(List.of(StreamEvent.MESSAGE_START,
        new ToolCallStart(0, "a1", "a"), new ToolCallDelta(0, "{}"),
        new ToolCallStart(1, "b2", "b"), new ToolCallDelta(1, "{\"x\":1}"),
        new Usage(5, 6), new Finish(FinishReason.TOOL_USE), StreamEvent.END), replay(bytes(transcript)).events());
  }

  @Test
  void errorAtMessageEndThrowsAfterTheTextBeforeIt() {
    List<StreamEvent> events = new ArrayList<>();
    CohereStreamDecoder decoder = new CohereStreamDecoder();
    List<SseEvent> frames = frames(bytes(CohereTranscripts.errorMidStream()));
    decoder.decode(frames.get(0), events::add);
    decoder.decode(frames.get(1), events::add);
    GatewayException error = assertThrows(GatewayException.class, () -> decoder.decode(frames.get(2), events::add));
    assertEquals("upstream_stream_error", error.errorClass());
    assertTrue(error.getMessage().contains(CohereTranscripts.ERROR_MESSAGE), error.getMessage());
    assertEquals(List.of(StreamEvent.MESSAGE_START, new TextDelta(CohereTranscripts.ERROR_TEXT)), events);
    assertFalse(decoder.endOfInput(events::add));
  }

  @Test
  void errorFinishWithoutAMessageStillThrows() {
    SseEvent end = frame("message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"ERROR\"}}");
    GatewayException error = assertThrows(GatewayException.class,
        () -> new CohereStreamDecoder().decode(end, event -> { }));
    assertEquals("upstream_stream_error", error.errorClass());
  }

  @Test
  void malformedFramesThrow() {
    for (String data : List.of("{\"type\":", "[]", "42")) {
      GatewayException error = assertThrows(GatewayException.class,
          () -> new CohereStreamDecoder().decode(frame("content-delta", data), event -> { }), data);
      assertEquals("upstream_malformed_stream", error.errorClass());
    }
    SseEvent orphanDelta = frame("tool-call-delta", "{\"type\":\"tool-call-delta\",\"delta\":{\"message\":"
        + "{\"tool_calls\":{\"function\":{\"arguments\":\"{}\"}}}}}");
    assertEquals("upstream_malformed_stream", assertThrows(GatewayException.class,
        () -> new CohereStreamDecoder().decode(orphanDelta, event -> { })).errorClass());
  }

  @Test
  void aBodyThatEndsBeforeMessageEndWasCutAndDoneFramesAreIgnored() {
    String transcript = CohereTranscripts.textAnswer();
    String cut = transcript.substring(0, transcript.indexOf("event: message-end")) + "data: [DONE]\n\n";
    Replay replay = replay(bytes(cut));
    assertFalse(replay.complete());
    assertEquals(List.of(StreamEvent.MESSAGE_START, new TextDelta("Héllo wörld"), new TextDelta(" — 日本語"),
        new TextDelta(" 🙂 done.")), replay.events());
  }

  @Test
  void finishReasonsMapToTheGatewaysTerms() {
    assertEquals(FinishReason.END_TURN, CohereFinish.read("COMPLETE", false, null, "x"));
    assertEquals(FinishReason.TOOL_USE, CohereFinish.read("COMPLETE", true, null, "x"));
    assertEquals(FinishReason.TOOL_USE, CohereFinish.read("TOOL_CALL", false, null, "x"));
    assertEquals(FinishReason.MAX_TOKENS, CohereFinish.read("MAX_TOKENS", false, null, "x"));
    assertEquals(FinishReason.STOP_SEQUENCE, CohereFinish.read("STOP_SEQUENCE", false, null, "x"));
    assertEquals(FinishReason.CONTENT_FILTER, CohereFinish.read("ERROR_TOXIC", false, null, "x"));
    assertEquals(FinishReason.OTHER, CohereFinish.read("TIMEOUT", false, null, "x"));
  }

  @Test
  void billedUnitsAreTheFallbackForUsage() {
    String transcript = event("message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"MAX_TOKENS\","
        + "\"usage\":{\"billed_units\":{\"input_tokens\":3,\"output_tokens\":4},\"tokens\":{\"output_tokens\":7}}}}");
    assertEquals(List.of(StreamEvent.MESSAGE_START, new Usage(3, 7), new Finish(FinishReason.MAX_TOKENS),
        StreamEvent.END), replay(bytes(transcript)).events());
  }

  private static Replay replay(byte[] input, int... splits) {
    List<StreamEvent> events = new ArrayList<>();
    CohereStreamDecoder decoder = new CohereStreamDecoder();
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

  private static SseEvent frame(String name, String data) {
    return new SseEvent(Buffer.buffer(), name, data);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String event(String name, String json) {
    return "event: " + name + "\ndata: " + json + "\n\n";
  }
}
