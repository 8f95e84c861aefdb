package dev.tiergate.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tiergate.provider.SseParser;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamEvent;
import dev.tiergate.wire.StreamTally;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events written as an Anthropic Messages stream, and read back by the Anthropic decoder. */
class AnthropicStreamEncoderTest {

  private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
      + "{\"id\":\"msg_req1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fast\",\"content\":[],"
      + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"cache_creation_input_tokens\":0,"
      + "\"cache_read_input_tokens\":0,\"output_tokens\":0}}}\n\n";

  private static AnthropicStreamEncoder encoder() {
    return new AnthropicStreamEncoder("msg_req1", "fast");
  }

  private static String encode(List<StreamEvent> events) {
    AnthropicStreamEncoder encoder = encoder();
    Buffer out = Buffer.buffer();
    for (StreamEvent event : events) {
      encoder.accept(event);
      Buffer taken = encoder.take();
      if (taken != null) {
        out.appendBuffer(taken);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * OpenAI's order: the finish reason, then the usage chunk, then the end. (Jackson writes characters beyond the BMP
   * such as emoji as escaped surrogate pairs, so the exact-bytes tests stay within the BMP; the round trip has one.)
   */
  private static List<StreamEvent> textEvents() {
    return List.of(StreamEvent.MESSAGE_START, new StreamEvent.TextDelta("Hé"), new StreamEvent.TextDelta(" 日本"),
        new StreamEvent.Finish(FinishReason.END_TURN), new StreamEvent.Usage(12, 3), StreamEvent.END);
  }

  private static List<StreamEvent> toolEvents() {
    return List.of(StreamEvent.MESSAGE_START, new StreamEvent.TextDelta("Checking."),
        new StreamEvent.ToolCallStart(0, "call_a", "get_weather"), new StreamEvent.ToolCallDelta(0, "{\"city\":"),
        new StreamEvent.ToolCallDelta(0, "\"Paris\"}"), new StreamEvent.ToolCallStart(1, "call_b", "get_time"),
        new StreamEvent.ToolCallDelta(1, "{}"), new StreamEvent.Finish(FinishReason.TOOL_USE),
        new StreamEvent.Usage(40, 22), StreamEvent.END);
  }

  @Test
  void aTextAnswerIsOneTextBlockAndTheLateUsageReachesMessageDelta() {
    assertEquals(START
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"text_delta\",\"text\":\"Hé\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"text_delta\",\"text\":\" 日本\"}}\n\n"
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null},\"usage\":{\"input_tokens\":12,\"output_tokens\":3}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", encode(textEvents()));
  }

  @Test
  void eachToolCallIsItsOwnBlockAfterTheText() {
    assertEquals(START
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"text_delta\",\"text\":\"Checking.\"}}\n\n"
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
        + "{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":\"get_weather\",\"input\":{}}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
        + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
        + "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}\n\n"
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
        + "{\"type\":\"tool_use\",\"id\":\"call_b\",\"name\":\"get_time\",\"input\":{}}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":"
        + "{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n"
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
        + "\"stop_sequence\":null},\"usage\":{\"input_tokens\":40,\"output_tokens\":22}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", encode(toolEvents()));
  }

  @Test
  void whatTheEncoderWritesTheDecoderReadsBackAtEverySplit() {
    List<StreamEvent> emoji = List.of(StreamEvent.MESSAGE_START, new StreamEvent.TextDelta("🙂 ok"),
        new StreamEvent.Usage(3, -1), new StreamEvent.Finish(FinishReason.STOP_SEQUENCE), new StreamEvent.Usage(3, 2),
        StreamEvent.END);
    for (List<StreamEvent> events : List.of(textEvents(), toolEvents(), emoji)) {
      byte[] bytes = encode(events).getBytes(StandardCharsets.UTF_8);
      for (int split = 0; split <= bytes.length; split++) {
        List<StreamEvent> decoded = Sse.decode(bytes, new AnthropicStreamDecoder(), split);
        assertEquals(roundTripped(events), decoded, "split at " + split);
      }
    }
  }

  /**
   * What the decoder reports for {@code events}: message_start's usage (0 where unknown) right after the start, and
   * the usage at the end right after the finish reason, both in message_delta.
   */
  private static List<StreamEvent> roundTripped(List<StreamEvent> events) {
    List<StreamEvent> expected = new ArrayList<>();
    StreamEvent.Usage last = null;
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.Usage usage) {
        last = usage;
      } else if (event instanceof StreamEvent.End) {
        expected.add(last);
        expected.add(event);
      } else {
        expected.add(event);
        if (event instanceof StreamEvent.MessageStart) {
          expected.add(new StreamEvent.Usage(0, 0));
        }
      }
    }
    return expected;
  }

  @Test
  void usageIsNeverSummedEitherWay() {
    String encoded = encode(List.of(new StreamEvent.Usage(10, 1), new StreamEvent.TextDelta("a"),
        new StreamEvent.Usage(-1, 5), new StreamEvent.Usage(10, 7), StreamEvent.END));
    assertEquals(true, encoded.contains("\"usage\":{\"input_tokens\":10,\"output_tokens\":7}}\n\n"), encoded);
    StreamTally tally = new StreamTally(event -> { });
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    new SseParser(64 * 1024, frame -> decoder.decode(frame, tally)).feed(Buffer.buffer(encoded));
    assertEquals(10, tally.usage().promptTokens());
    assertEquals(7, tally.usage().completionTokens());
  }

  @Test
  void withoutAFinishTheStopReasonFollowsFromToolCalls() {
    assertEquals(true, encode(List.of(new StreamEvent.TextDelta("x"), StreamEvent.END))
        .contains("\"stop_reason\":\"end_turn\""));
    assertEquals(true, encode(List.of(new StreamEvent.ToolCallStart(0, "c", "t"), StreamEvent.END))
        .contains("\"stop_reason\":\"tool_use\""));
  }

  @Test
  void finishReasonsMapToAnthropicsStopReasons() {
    assertEquals("max_tokens", AnthropicStopReason.write(FinishReason.MAX_TOKENS));
    assertEquals("stop_sequence", AnthropicStopReason.write(FinishReason.STOP_SEQUENCE));
    assertEquals("refusal", AnthropicStopReason.write(FinishReason.CONTENT_FILTER));
    assertEquals("end_turn", AnthropicStopReason.write(FinishReason.OTHER));
  }

  @Test
  void takeReturnsNullWhenNothingIsPendingAndNothingFollowsTheEnd() {
    AnthropicStreamEncoder encoder = encoder();
    assertNull(encoder.take());
    encoder.accept(StreamEvent.MESSAGE_START);
    assertEquals(START, encoder.take().toString());
    assertNull(encoder.take());
    encoder.accept(StreamEvent.END);
    encoder.take();
    encoder.accept(new StreamEvent.TextDelta("late"));
    assertNull(encoder.take());
  }
}
