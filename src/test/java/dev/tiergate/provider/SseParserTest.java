package dev.tiergate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.http.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The incremental SSE parser and the OpenAI stream tap, without Vert.x beyond {@link Buffer}. */
class SseParserTest {

  private static final int MAX = 64 * 1024;

  /** The fields of an event, without its raw bytes (which legitimately depend on where the input was split). */
  private record Fields(String event, String data) {
  }

  /** Events of a stream: comments, named events, multi-line data, multi-byte UTF-8 and an empty data line. */
  private static String stream(String eol) {
    return ": hello" + eol + eol
        + "data: {\"a\":\"Hé wörld 🙂 こんにちは\"}" + eol + eol
        + "event: message" + eol + "data: one" + eol + "data:two" + eol + "id: 7" + eol + eol
        + "data" + eol + eol
        + ": comment inside" + eol + "data:  leading space kept after the first" + eol + eol
        + "retry: 10" + eol + "data: [DONE]" + eol + eol;
  }

  private static final List<Fields> EXPECTED = List.of(
      new Fields(null, null),
      new Fields(null, "{\"a\":\"Hé wörld 🙂 こんにちは\"}"),
      new Fields("message", "one\ntwo"),
      new Fields(null, ""),
      new Fields(null, " leading space kept after the first"),
      new Fields(null, "[DONE]"));

  @ParameterizedTest(name = "line ending {0}")
  @ValueSource(strings = {"\r\n", "\n", "\r"})
  void everySplitPointYieldsTheSameEventsAndEveryByte(String eol) {
    byte[] input = stream(eol).getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= input.length; split++) {
      List<SseEvent> events = new ArrayList<>();
      SseParser parser = new SseParser(MAX, events::add);
      parser.feed(Buffer.buffer(slice(input, 0, split)));
      parser.feed(Buffer.buffer(slice(input, split, input.length)));
      assertStream(input, events, parser, "split at " + split + " with " + printable(eol));
    }
  }

  @ParameterizedTest(name = "line ending {0}")
  @ValueSource(strings = {"\r\n", "\n", "\r"})
  void everyPairOfSplitPointsYieldsTheSameEvents(String eol) {
    byte[] input = stream(eol).getBytes(StandardCharsets.UTF_8);
    for (int first = 0; first <= input.length; first++) {
      for (int second = first; second <= input.length; second++) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(MAX, events::add);
        parser.feed(Buffer.buffer(slice(input, 0, first)));
        parser.feed(Buffer.buffer(slice(input, first, second)));
        parser.feed(Buffer.buffer(slice(input, second, input.length)));
        assertStream(input, events, parser, "splits at " + first + "," + second + " with " + printable(eol));
      }
    }
  }

  @ParameterizedTest(name = "line ending {0}")
  @ValueSource(strings = {"\r\n", "\n", "\r"})
  void oneByteAtATimeYieldsTheSameEvents(String eol) {
    byte[] input = stream(eol).getBytes(StandardCharsets.UTF_8);
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(MAX, events::add);
    for (byte b : input) {
      parser.feed(Buffer.buffer(new byte[] {b}));
    }
    assertStream(input, events, parser, "byte by byte with " + printable(eol));
  }

  @Test
  void mixedLineEndingsInOneStream() {
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(MAX, events::add);
    parser.feed(Buffer.buffer("data: a\r\ndata: b\n\rdata: c\r\r\ndata: d\n\n"));
    assertEquals(List.of(new Fields(null, "a\nb"), new Fields(null, "c"), new Fields(null, "d")), fields(events));
  }

  @Test
  void multiLineDataIsJoinedWithLf() {
    List<SseEvent> events = new ArrayList<>();
    new SseParser(MAX, events::add).feed(Buffer.buffer("data: first\ndata: second\ndata:\ndata: fourth\n\n"));
    assertEquals(List.of(new Fields(null, "first\nsecond\n\nfourth")), fields(events));
  }

  @Test
  void commentOnlyEventHasNoDataAndKeepsItsBytes() {
    List<SseEvent> events = new ArrayList<>();
    new SseParser(MAX, events::add).feed(Buffer.buffer(": keep-alive\n\n: another\r\n\r\n"));
    assertEquals(2, events.size());
    assertTrue(events.get(0).isComment());
    assertNull(events.get(0).data());
    assertEquals(": keep-alive\n\n", events.get(0).raw().toString());
    assertEquals(": another\r\n\r\n", events.get(1).raw().toString());
  }

  @Test
  void utf8SplitInsideEachByteOfAFourByteCharacter() {
    byte[] input = "data: x🙂y\n\n".getBytes(StandardCharsets.UTF_8);
    int emoji = "data: x".length();
    for (int cut = emoji + 1; cut < emoji + 4; cut++) {
      List<SseEvent> events = new ArrayList<>();
      SseParser parser = new SseParser(MAX, events::add);
      parser.feed(Buffer.buffer(slice(input, 0, cut)));
      assertTrue(events.isEmpty());
      parser.feed(Buffer.buffer(slice(input, cut, input.length)));
      assertEquals(1, events.size());
      assertEquals("x🙂y", events.getFirst().data(), "cut at " + cut);
      assertEquals(0, parser.buffered());
    }
  }

  @Test
  void unfinishedEventIsHeldUntilItsBlankLine() {
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(MAX, events::add);
    parser.feed(Buffer.buffer("data: partial\n"));
    assertTrue(events.isEmpty());
    assertEquals("data: partial\n".length(), parser.buffered());
    parser.feed(Buffer.buffer("\n"));
    assertEquals(List.of(new Fields(null, "partial")), fields(events));
    assertEquals(0, parser.buffered());
  }

  @Test
  void eventOverTheLimitThrowsEvenWithoutALineBreak() {
    SseParser parser = new SseParser(1024, event -> {
    });
    parser.feed(Buffer.buffer("data: " + "x".repeat(1000)));
    assertThrows(SseFormatException.class, () -> parser.feed(Buffer.buffer("x".repeat(100))));
  }

  @Test
  void eventOverTheLimitThrowsWhenMadeOfManyLines() {
    SseParser parser = new SseParser(1024, event -> {
    });
    assertThrows(SseFormatException.class, () -> {
      for (int i = 0; i < 100; i++) {
        parser.feed(Buffer.buffer("data: " + "y".repeat(20) + "\n"));
      }
    });
  }

  @Test
  void manyEventsUnderTheLimitNeverThrow() {
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(1024, events::add);
    for (int i = 0; i < 1000; i++) {
      parser.feed(Buffer.buffer("data: " + "z".repeat(500) + "\n\n"));
    }
    assertEquals(1000, events.size());
    assertEquals(0, parser.buffered());
  }

  @Test
  void tapRecognisesDoneAndKeepalive() {
    OpenAiStreamTap tap = new OpenAiStreamTap(false);
    assertEquals(TapAction.KEEPALIVE, tap.inspect(event(": ping\n\n")));
    assertEquals(TapAction.DONE, tap.inspect(event("data: [DONE]\n\n")));
  }

  @Test
  void tapForwardsContentAndReadsTheFinishReason() {
    OpenAiStreamTap tap = new OpenAiStreamTap(false);
    assertEquals(TapAction.FORWARD, tap.inspect(event(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}],"
            + "\"usage\":null}\n\n")));
    assertNull(tap.usage().finishReason());
    assertEquals(TapAction.FORWARD, tap.inspect(event(
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")));
    assertEquals("end_turn", tap.usage().finishReason());
  }

  @Test
  void tapDropsTheUsageChunkUnlessTheClientAskedForIt() {
    String usage = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":3}}\n\n";
    OpenAiStreamTap hidden = new OpenAiStreamTap(false);
    assertEquals(TapAction.DROP, hidden.inspect(event(usage)));
    assertEquals(11, hidden.usage().promptTokens());
    assertEquals(3, hidden.usage().completionTokens());
    OpenAiStreamTap shown = new OpenAiStreamTap(true);
    assertEquals(TapAction.FORWARD, shown.inspect(event(usage)));
    assertEquals(11, shown.usage().promptTokens());
  }

  @Test
  void tapKeepsAChunkThatCarriesBothChoicesAndUsage() {
    OpenAiStreamTap tap = new OpenAiStreamTap(false);
    assertEquals(TapAction.FORWARD, tap.inspect(event("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},"
        + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1}}\n\n")));
    assertEquals(2, tap.usage().promptTokens());
    assertEquals("max_tokens", tap.usage().finishReason());
  }

  @ParameterizedTest(name = "malformed data {0}")
  @ValueSource(strings = {"{\"choices\":[", "not json", "[1,2]", "42", "\"text\"", "", "{\"a\":1} trailing"})
  void tapRejectsMalformedJsonAs502(String data) {
    OpenAiStreamTap tap = new OpenAiStreamTap(false);
    GatewayException error = assertThrows(GatewayException.class, () -> tap.inspect(event("data: " + data + "\n\n")));
    assertEquals(502, error.status());
    assertEquals("upstream_malformed_stream", error.code());
  }

  @Test
  void tapTurnsAnErrorObjectMidStreamIntoAGatewayExceptionWithoutTheKey() {
    OpenAiStreamTap tap = new OpenAiStreamTap(false);
    assertEquals(TapAction.FORWARD, tap.inspect(event(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n")));
    GatewayException error = assertThrows(GatewayException.class, () -> tap.inspect(event(
        "data: {\"error\":{\"message\":\"Incorrect API key provided: sk-upstream-SECRET-0123456789\","
            + "\"type\":\"invalid_request_error\"}}\n\n")));
    assertEquals(502, error.status());
    assertFalse(error.getMessage().contains("sk-upstream-SECRET"), error.getMessage());
  }

  @ParameterizedTest(name = "line ending {0}")
  @ValueSource(strings = {"\r\n", "\n", "\r"})
  void wholeStreamInOneFeedHasNoBlankCarryOverEvents(String eol) {
    byte[] input = stream(eol).getBytes(StandardCharsets.UTF_8);
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(MAX, events::add);
    parser.feed(Buffer.buffer(input));
    assertEquals(EXPECTED, events.stream().map(e -> new Fields(e.event(), e.data())).toList());
    assertStream(input, events, parser, "one feed with " + printable(eol));
  }

  @Test
  void crOfACrlfBlankLineEndingAChunkDispatchesAtOnceAndItsLfIsNotLost() {
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(MAX, events::add);
    parser.feed(Buffer.buffer("data: {\"x\":1}\r\n\r"));
    assertEquals(List.of(new Fields(null, "{\"x\":1}")), fields(events));
    parser.feed(Buffer.buffer("\n"));
    // The stream may end here: nothing is left over that would look like a cut event.
    assertEquals(0, parser.buffered());
    Buffer all = Buffer.buffer();
    events.forEach(event -> all.appendBuffer(event.raw()));
    assertEquals("data: {\"x\":1}\r\n\r\n", all.toString());
  }

  private static void assertStream(byte[] input, List<SseEvent> events, SseParser parser, String where) {
    assertEquals(EXPECTED, fields(events), where);
    Buffer all = Buffer.buffer();
    events.forEach(event -> all.appendBuffer(event.raw()));
    assertEquals(Buffer.buffer(input), all, where);
    assertEquals(0, parser.buffered(), where);
  }

  /**
   * The fields of the events, leaving out blank carry-overs: when a chunk ends with the CR of a CRLF blank line the
   * event is dispatched at once, and the LF that follows in the next chunk arrives as a blank event of its own (no
   * fields, no data) so that its byte is still passed on. Such a line is not an event by the SSE rules.
   */
  private static List<Fields> fields(List<SseEvent> events) {
    return events.stream().filter(e -> !isBlank(e)).map(e -> new Fields(e.event(), e.data())).toList();
  }

  private static boolean isBlank(SseEvent event) {
    return event.data() == null && event.event() == null && event.raw().toString().equals("\n");
  }

  private static SseEvent event(String raw) {
    List<SseEvent> events = new ArrayList<>();
    new SseParser(MAX, events::add).feed(Buffer.buffer(raw));
    assertEquals(1, events.size(), raw);
    return events.getFirst();
  }

  private static byte[] slice(byte[] input, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(input, from, out, 0, out.length);
    return out;
  }

  private static String printable(String eol) {
    return eol.replace("\r", "CR").replace("\n", "LF");
  }
}
