package dev.tiergate.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The incremental NDJSON reader: lines split anywhere, CRLF, blank lines, multi-byte UTF-8, the line limit. */
class NdjsonParserTest {

  private static final int MAX = 64 * 1024;

  /** Lines with LF and CRLF endings, blank and whitespace-only lines between them, and multi-byte characters. */
  private static final String INPUT = "{\"a\":\"Hé wörld\"}\n"
      + "\n"
      + "{\"b\":\"日本語 🙂\"}\r\n"
      + "\r\n"
      + "  \t\n"
      + "{\"c\":\"trailing space\"} \n"
      + "{\"d\":\"🙂🙂\"}\r\n";

  private static final List<String> DATA = List.of("{\"a\":\"Hé wörld\"}", "{\"b\":\"日本語 🙂\"}",
      "{\"c\":\"trailing space\"} ", "{\"d\":\"🙂🙂\"}");

  /** Each frame's raw bytes: its line with its own line ending. */
  private static final List<String> RAW = List.of("{\"a\":\"Hé wörld\"}\n", "{\"b\":\"日本語 🙂\"}\r\n",
      "{\"c\":\"trailing space\"} \n", "{\"d\":\"🙂🙂\"}\r\n");

  private static List<SseEvent> parse(byte[] input, int... cuts) {
    List<SseEvent> frames = new ArrayList<>();
    NdjsonParser parser = new NdjsonParser(MAX, frames::add);
    int from = 0;
    for (int cut : cuts) {
      parser.feed(Buffer.buffer(Arrays.copyOfRange(input, from, cut)));
      from = cut;
    }
    parser.feed(Buffer.buffer(Arrays.copyOfRange(input, from, input.length)));
    assertEquals(0, parser.buffered());
    return frames;
  }

  private static void assertFrames(List<SseEvent> frames, String context) {
    assertEquals(DATA, frames.stream().map(SseEvent::data).toList(), context);
    for (int i = 0; i < frames.size(); i++) {
      assertArrayEquals(RAW.get(i).getBytes(StandardCharsets.UTF_8), frames.get(i).raw().getBytes(), context);
      assertNull(frames.get(i).event(), context);
    }
  }

  @Test
  void everySplitPointYieldsTheSameLines() {
    byte[] input = INPUT.getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= input.length; cut++) {
      assertFrames(parse(input, cut), "cut at " + cut);
    }
  }

  @Test
  void everyPairOfSplitPointsYieldsTheSameLines() {
    byte[] input = INPUT.getBytes(StandardCharsets.UTF_8);
    for (int first = 0; first <= input.length; first++) {
      for (int second = first; second <= input.length; second++) {
        assertFrames(parse(input, first, second), "cuts at " + first + "," + second);
      }
    }
  }

  @Test
  void oneByteAtATimeYieldsTheSameLines() {
    byte[] input = INPUT.getBytes(StandardCharsets.UTF_8);
    int[] cuts = new int[input.length];
    Arrays.setAll(cuts, i -> i);
    assertFrames(parse(input, cuts), "byte at a time");
  }

  @Test
  void aCharacterSplitAcrossChunksIsDecodedWhole() {
    byte[] input = "{\"e\":\"🙂\"}\n".getBytes(StandardCharsets.UTF_8);
    int emoji = "{\"e\":\"".length();
    for (int inside = emoji + 1; inside < emoji + 4; inside++) {
      assertEquals("{\"e\":\"🙂\"}", parse(input, inside).getFirst().data());
    }
  }

  @Test
  void anUnfinishedLineIsHeldUntilItsNewline() {
    List<SseEvent> frames = new ArrayList<>();
    NdjsonParser parser = new NdjsonParser(MAX, frames::add);
    parser.feed(Buffer.buffer("{\"a\":1}\n{\"b\":"));
    assertEquals(List.of("{\"a\":1}"), frames.stream().map(SseEvent::data).toList());
    assertEquals("{\"b\":".length(), parser.buffered());
    parser.feed(Buffer.buffer("2}"));
    assertEquals(1, frames.size());
    parser.feed(Buffer.buffer("\r"));
    assertEquals(1, frames.size());
    parser.feed(Buffer.buffer("\n"));
    assertEquals("{\"b\":2}", frames.get(1).data());
    assertEquals(0, parser.buffered());
  }

  @Test
  void aLineGrowingPastTheLimitThrows() {
    NdjsonParser parser = new NdjsonParser(16, frame -> { });
    parser.feed(Buffer.buffer("0123456789"));
    parser.feed(Buffer.buffer("012345"));
    assertEquals(16, parser.buffered());
    SseFormatException error = assertThrows(SseFormatException.class, () -> parser.feed(Buffer.buffer("x")));
    assertEquals("A stream line exceeded 16 bytes", error.getMessage());
  }

  @Test
  void theLimitIsPerLineNotPerChunk() {
    List<SseEvent> frames = new ArrayList<>();
    NdjsonParser parser = new NdjsonParser(16, frames::add);
    String line = "{\"n\":1234567890}";
    assertEquals(16, line.length());
    parser.feed(Buffer.buffer((line + "\n").repeat(20) + line));
    assertEquals(20, frames.size());
    assertEquals(16, parser.buffered());
    parser.feed(Buffer.buffer("\n"));
    assertEquals(21, frames.size());
    assertTrue(frames.stream().allMatch(frame -> frame.data().equals(line)));
  }
}
