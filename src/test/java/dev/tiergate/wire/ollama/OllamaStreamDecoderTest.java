package dev.tiergate.wire.ollama;

import static dev.tiergate.support.OllamaTranscripts.ERROR_MESSAGE;
import static dev.tiergate.support.OllamaTranscripts.ERROR_TEXT;
import static dev.tiergate.support.OllamaTranscripts.TEXT;
import static dev.tiergate.support.OllamaTranscripts.TEXT_COMPLETION_TOKENS;
import static dev.tiergate.support.OllamaTranscripts.TEXT_PIECES;
import static dev.tiergate.support.OllamaTranscripts.TEXT_PROMPT_TOKENS;
import static dev.tiergate.support.OllamaTranscripts.TOOL_ARGUMENTS;
import static dev.tiergate.support.OllamaTranscripts.TOOL_CALL_ID;
import static dev.tiergate.support.OllamaTranscripts.TOOL_COMPLETION_TOKENS;
import static dev.tiergate.support.OllamaTranscripts.TOOL_NAME;
import static dev.tiergate.support.OllamaTranscripts.TOOL_PROMPT_TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.http.GatewayException;
import dev.tiergate.provider.NdjsonParser;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.support.OllamaTranscripts;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ollama's documented NDJSON streams, fed through the real parser split at every byte, decoded into events. */
class OllamaStreamDecoderTest {

  private static final int MAX_LINE = 64 * 1024;

  /** What decoding a transcript left: the events, and whether it threw. */
  record Decoded(List<StreamEvent> events, GatewayException error, boolean complete) {
  }

  /** Feeds {@code transcript} to a parser and a decoder in pieces cut at {@code cuts} (byte offsets, ascending). */
  static Decoded decode(String transcript, int... cuts) {
    byte[] bytes = transcript.getBytes(StandardCharsets.UTF_8);
    List<StreamEvent> events = new ArrayList<>();
    OllamaStreamDecoder decoder = new OllamaStreamDecoder();
    NdjsonParser parser = new NdjsonParser(MAX_LINE, (SseEvent frame) -> decoder.decode(frame, events::add));
    int from = 0;
    try {
      for (int cut : cuts) {
        parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, from, cut)));
        from = cut;
      }
      parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, from, bytes.length)));
    } catch (GatewayException e) {
      return new Decoded(events, e, false);
    }
    return new Decoded(events, null, decoder.endOfInput(events::add));
  }

  private static List<StreamEvent> textEvents() {
    List<StreamEvent> expected = new ArrayList<>();
    expected.add(StreamEvent.MESSAGE_START);
    TEXT_PIECES.forEach(piece -> expected.add(new StreamEvent.TextDelta(piece)));
    expected.add(new StreamEvent.Usage(TEXT_PROMPT_TOKENS, TEXT_COMPLETION_TOKENS));
    expected.add(new StreamEvent.Finish(FinishReason.END_TURN));
    expected.add(StreamEvent.END);
    return expected;
  }

  @Test
  void aTextAnswerSplitAtEveryByteDecodesToTheSameEvents() {
    String transcript = OllamaTranscripts.textStream();
    int length = transcript.getBytes(StandardCharsets.UTF_8).length;
    for (int cut = 0; cut <= length; cut++) {
      Decoded decoded = decode(transcript, cut);
      assertEquals(textEvents(), decoded.events(), "cut at " + cut);
      assertTrue(decoded.complete(), "cut at " + cut);
    }
  }

  @Test
  void aTextAnswerFedOneByteAtATimeDecodesToTheSameEvents() {
    String transcript = OllamaTranscripts.textStream();
    int[] cuts = new int[transcript.getBytes(StandardCharsets.UTF_8).length];
    Arrays.setAll(cuts, i -> i);
    Decoded decoded = decode(transcript, cuts);
    assertEquals(textEvents(), decoded.events());
    assertEquals(TEXT, text(decoded.events()));
  }

  @Test
  void aToolCallArrivesWholeWithItsArgumentsAndEndsAsToolUse() {
    String transcript = OllamaTranscripts.toolCallStream();
    List<StreamEvent> expected = List.of(StreamEvent.MESSAGE_START,
        new StreamEvent.ToolCallStart(0, TOOL_CALL_ID, TOOL_NAME),
        new StreamEvent.ToolCallDelta(0, TOOL_ARGUMENTS),
        new StreamEvent.Usage(TOOL_PROMPT_TOKENS, TOOL_COMPLETION_TOKENS),
        new StreamEvent.Finish(FinishReason.TOOL_USE),
        StreamEvent.END);
    int length = transcript.getBytes(StandardCharsets.UTF_8).length;
    for (int cut = 0; cut <= length; cut++) {
      assertEquals(expected, decode(transcript, cut).events(), "cut at " + cut);
    }
  }

  @Test
  void callsGetIndicesInOrderAndKeepAnIdOllamaGave() {
    String transcript = line("{\"content\":\"\",\"tool_calls\":["
        + "{\"id\":\"call_ab12\",\"function\":{\"index\":0,\"name\":\"a\",\"arguments\":{}}},"
        + "{\"function\":{\"index\":1,\"name\":\"b\",\"arguments\":{\"x\":[1,2]}}}]}", false)
        + line("{\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"c\",\"arguments\":{\"q\":\"é\"}}}]}", false)
        + "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true}\n";
    assertEquals(List.of(StreamEvent.MESSAGE_START,
        new StreamEvent.ToolCallStart(0, "call_ab12", "a"), new StreamEvent.ToolCallDelta(0, "{}"),
        new StreamEvent.ToolCallStart(1, "call_1", "b"), new StreamEvent.ToolCallDelta(1, "{\"x\":[1,2]}"),
        new StreamEvent.ToolCallStart(2, "call_2", "c"), new StreamEvent.ToolCallDelta(2, "{\"q\":\"é\"}"),
        new StreamEvent.Finish(FinishReason.TOOL_USE), StreamEvent.END), decode(transcript).events());
  }

  @Test
  void theOutputLimitEndsAsMaxTokens() {
    List<StreamEvent> events = decode(OllamaTranscripts.lengthStream()).events();
    assertEquals(new StreamEvent.Finish(FinishReason.MAX_TOKENS), events.get(events.size() - 2));
    assertEquals(TEXT, text(events));
  }

  @Test
  void aLastLineWithoutCountsOrReasonStillFinishes() {
    Decoded decoded = decode(line("{\"content\":\"hi\"}", false) + "{\"done\":true}\n");
    assertEquals(List.of(StreamEvent.MESSAGE_START, new StreamEvent.TextDelta("hi"),
        new StreamEvent.Finish(FinishReason.END_TURN), StreamEvent.END), decoded.events());
    assertTrue(decoded.complete());
  }

  @Test
  void anUnknownDoneReasonIsOther() {
    List<StreamEvent> events = decode("{\"message\":{\"content\":\"\"},\"done\":true,\"done_reason\":\"unload\"}\n")
        .events();
    assertTrue(events.contains(new StreamEvent.Finish(FinishReason.OTHER)));
  }

  @Test
  void anErrorLineThrowsAfterTheTextBeforeIt() {
    Decoded decoded = decode(OllamaTranscripts.errorMidStream());
    assertEquals("upstream_stream_error", decoded.error().errorClass());
    assertEquals(502, decoded.error().status());
    assertEquals("The upstream reported an error mid-stream: " + ERROR_MESSAGE, decoded.error().getMessage());
    assertEquals(ERROR_TEXT, text(decoded.events()));
  }

  @Test
  void anErrorMessageIsRedacted() {
    Decoded decoded = decode("{\"error\":\"invalid key sk-abcdefghijklmnop\"}\n");
    assertFalse(decoded.error().getMessage().contains("sk-abcdefghijklmnop"));
    assertTrue(decoded.events().isEmpty());
  }

  @Test
  void malformedLinesThrowMalformedStream() {
    for (String bad : List.of("{\"message\":", "[1,2]", "\"text\"", "{\"a\":1} {\"b\":2}",
        line("{\"tool_calls\":[{\"function\":{\"arguments\":{}}}]}", false))) {
      Decoded decoded = decode(bad + "\n");
      assertEquals("upstream_malformed_stream", decoded.error().errorClass(), bad);
      assertEquals("The upstream sent a malformed stream event", decoded.error().getMessage());
    }
  }

  @Test
  void aStreamCutBeforeItsLastLineIsIncomplete() {
    String transcript = OllamaTranscripts.textStream();
    String cut = transcript.substring(0, transcript.lastIndexOf("{\"model\""));
    Decoded decoded = decode(cut);
    assertFalse(decoded.complete());
    assertFalse(decoded.events().contains(StreamEvent.END));
    assertEquals(TEXT, text(decoded.events()));
  }

  @Test
  void endOfInputAfterTheLastLineAddsNothing() {
    OllamaStreamDecoder decoder = new OllamaStreamDecoder();
    List<StreamEvent> events = new ArrayList<>();
    decoder.decode(frame("{\"message\":{\"content\":\"a\"},\"done\":true}"), events::add);
    int seen = events.size();
    decoder.decode(frame("{\"message\":{\"content\":\"late\"},\"done\":false}"), events::add);
    assertTrue(decoder.endOfInput(events::add));
    assertEquals(seen, events.size());
  }

  static String text(List<StreamEvent> events) {
    StringBuilder text = new StringBuilder();
    events.stream().filter(StreamEvent.TextDelta.class::isInstance)
        .forEach(e -> text.append(((StreamEvent.TextDelta) e).text()));
    return text.toString();
  }

  private static String line(String message, boolean done) {
    return "{\"model\":\"m\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":" + message + ",\"done\":" + done
        + "}\n";
  }

  private static SseEvent frame(String data) {
    return new SseEvent(Buffer.buffer(data + "\n"), null, data);
  }
}
