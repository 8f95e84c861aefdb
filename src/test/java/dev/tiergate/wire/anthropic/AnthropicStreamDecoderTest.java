package dev.tiergate.wire.anthropic;

import static dev.tiergate.support.AnthropicTranscripts.TEXT_FIRST_OUTPUT_TOKENS;
import static dev.tiergate.support.AnthropicTranscripts.TEXT_INPUT_TOKENS;
import static dev.tiergate.support.AnthropicTranscripts.TEXT_OUTPUT_TOKENS;
import static dev.tiergate.support.AnthropicTranscripts.TEXT_PIECES;
import static dev.tiergate.support.AnthropicTranscripts.TOOL_ARGUMENTS;
import static dev.tiergate.support.AnthropicTranscripts.TOOL_ARGUMENT_PIECES;
import static dev.tiergate.support.AnthropicTranscripts.TOOL_FIRST_OUTPUT_TOKENS;
import static dev.tiergate.support.AnthropicTranscripts.TOOL_ID;
import static dev.tiergate.support.AnthropicTranscripts.TOOL_INPUT_TOKENS;
import static dev.tiergate.support.AnthropicTranscripts.TOOL_NAME;
import static dev.tiergate.support.AnthropicTranscripts.TOOL_OUTPUT_TOKENS;
import static dev.tiergate.support.AnthropicTranscripts.TOOL_TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.provider.SseParser;
import dev.tiergate.support.AnthropicTranscripts;
import dev.tiergate.wire.EventSink;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamEvent;
import dev.tiergate.wire.StreamTally;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic streams, as documented, decoded through the real SSE parser split at every byte. */
class AnthropicStreamDecoderTest {

  private static List<StreamEvent> expectedText() {
    List<StreamEvent> events = new ArrayList<>();
    events.add(StreamEvent.MESSAGE_START);
    events.add(new StreamEvent.Usage(TEXT_INPUT_TOKENS, TEXT_FIRST_OUTPUT_TOKENS));
    TEXT_PIECES.forEach(piece -> events.add(new StreamEvent.TextDelta(piece)));
    events.add(new StreamEvent.Finish(FinishReason.END_TURN));
    events.add(new StreamEvent.Usage(TEXT_INPUT_TOKENS, TEXT_OUTPUT_TOKENS));
    events.add(StreamEvent.END);
    return events;
  }

  private static List<StreamEvent> expectedToolCall() {
    List<StreamEvent> events = new ArrayList<>();
    events.add(StreamEvent.MESSAGE_START);
    events.add(new StreamEvent.Usage(TOOL_INPUT_TOKENS, TOOL_FIRST_OUTPUT_TOKENS));
    events.add(new StreamEvent.TextDelta(TOOL_TEXT));
    events.add(new StreamEvent.ToolCallStart(0, TOOL_ID, TOOL_NAME));
    // The empty first fragment Anthropic sends carries nothing and is not passed on.
    TOOL_ARGUMENT_PIECES.stream().filter(piece -> !piece.isEmpty())
        .forEach(piece -> events.add(new StreamEvent.ToolCallDelta(0, piece)));
    events.add(new StreamEvent.Finish(FinishReason.TOOL_USE));
    events.add(new StreamEvent.Usage(TOOL_INPUT_TOKENS, TOOL_OUTPUT_TOKENS));
    events.add(StreamEvent.END);
    return events;
  }

  @Test
  void textAnswerSplitAtEveryByteYieldsTheSameEvents() {
    String body = AnthropicTranscripts.textAnswer();
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    for (int split = 0; split <= length; split++) {
      assertEquals(expectedText(), Sse.decode(body, split), "split at " + split);
    }
  }

  @Test
  void textAnswerSplitAtEveryPairOfBytesInsideTheMultiByteDeltaYieldsTheSameEvents() {
    String body = AnthropicTranscripts.textAnswer();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int start = indexOf(bytes, "llo, 日本".getBytes(StandardCharsets.UTF_8));
    for (int first = start; first < start + 20; first++) {
      for (int second = first; second < start + 20; second++) {
        assertEquals(expectedText(), Sse.decode(bytes, new AnthropicStreamDecoder(), first, second),
            "split at " + first + " and " + second);
      }
    }
  }

  @Test
  void toolCallArgumentsStreamInPiecesUnderTheCallsIdAndName() {
    String body = AnthropicTranscripts.toolCallAnswer();
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    for (int split = 0; split <= length; split += 7) {
      assertEquals(expectedToolCall(), Sse.decode(body, split), "split at " + split);
    }
    List<StreamEvent> events = Sse.decodeByteByByte(body);
    assertEquals(expectedToolCall(), events);
    StringBuilder arguments = new StringBuilder();
    events.stream().filter(StreamEvent.ToolCallDelta.class::isInstance)
        .forEach(e -> arguments.append(((StreamEvent.ToolCallDelta) e).arguments()));
    assertEquals(TOOL_ARGUMENTS, arguments.toString());
    assertEquals("fahrenheit", readJson(arguments.toString()).get("unit").asText());
  }

  @Test
  void cumulativeUsageReplacesTheFirstReportInsteadOfAddingToIt() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    StreamTally tally = new StreamTally(event -> { });
    feed(AnthropicTranscripts.textAnswer(), decoder, tally);
    assertEquals(TEXT_INPUT_TOKENS, tally.usage().promptTokens());
    assertEquals(TEXT_OUTPUT_TOKENS, tally.usage().completionTokens());
    assertEquals(FinishReason.END_TURN, tally.finishReason());
    assertTrue(tally.ended());
  }

  @Test
  void promptTokensIncludeCacheReadsAndWrites() {
    List<StreamEvent> events = new ArrayList<>();
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    decoder.decode(frame("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":"
        + "{\"input_tokens\":5,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2000,"
        + "\"output_tokens\":1}}}"), events::add);
    // Newer API versions repeat the input counts in message_delta; they are totals as well.
    decoder.decode(frame("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
        + "\"usage\":{\"input_tokens\":5,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2000,"
        + "\"output_tokens\":30}}"), events::add);
    decoder.decode(frame("message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":"
        + "{\"output_tokens\":31}}"), events::add);
    assertEquals(List.of(StreamEvent.MESSAGE_START, new StreamEvent.Usage(2105, 1),
        new StreamEvent.Finish(FinishReason.MAX_TOKENS), new StreamEvent.Usage(2105, 30),
        new StreamEvent.Usage(2105, 31)), events);
  }

  @Test
  void thinkingBlocksArePassedOverAndTheTextAfterThemKept() {
    List<StreamEvent> events = Sse.decode(AnthropicTranscripts.thinkingAnswer());
    assertEquals(expectedText(), events);
  }

  @Test
  void anErrorEventMidStreamThrowsAfterTheTextBeforeIt() {
    List<StreamEvent> events = new ArrayList<>();
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    GatewayException error = assertThrows(GatewayException.class,
        () -> feed(AnthropicTranscripts.errorMidStream(), decoder, events::add));
    assertEquals("upstream_stream_error", error.errorClass());
    assertEquals(502, error.status());
    assertTrue(error.getMessage().contains(AnthropicTranscripts.ERROR_MESSAGE), error.getMessage());
    assertEquals(List.of(StreamEvent.MESSAGE_START, new StreamEvent.Usage(TEXT_INPUT_TOKENS, 1),
        new StreamEvent.TextDelta(TEXT_PIECES.getFirst())), events);
  }

  @Test
  void anErrorMessageIsRedacted() {
    GatewayException error = assertThrows(GatewayException.class, () -> new AnthropicStreamDecoder().decode(
        frame("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"bad key "
            + "sk-ant-api03-abcdefghijklmnop\"}}"), event -> { }));
    assertFalse(error.getMessage().contains("abcdefghijklmnop"), error.getMessage());
  }

  @Test
  void malformedEventsThrow() {
    for (String data : List.of("{\"type\":\"content_block_delta\"", "not json", "[1,2]", "\"text\"")) {
      GatewayException error = assertThrows(GatewayException.class,
          () -> new AnthropicStreamDecoder().decode(frame("content_block_delta", data), event -> { }), data);
      assertEquals("upstream_malformed_stream", error.errorClass(), data);
    }
  }

  @Test
  void pingsCommentsAndUnknownEventsProduceNothing() {
    List<StreamEvent> events = new ArrayList<>();
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    decoder.decode(frame("ping", "{\"type\": \"ping\"}"), events::add);
    decoder.decode(new SseEvent(Buffer.buffer(": hi\n\n"), null, null), events::add);
    decoder.decode(frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"), events::add);
    decoder.decode(frame("future_event", "{\"type\":\"future_event\",\"x\":1}"), events::add);
    assertEquals(List.of(), events);
  }

  @Test
  void serverToolBlocksAreSkippedAndDoNotShiftToolCallIndexes() {
    List<StreamEvent> events = new ArrayList<>();
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    decoder.decode(frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}"), events::add);
    decoder.decode(frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\":1}\"}}"), events::add);
    decoder.decode(frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"lookup\",\"input\":{}}}"), events::add);
    decoder.decode(frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
        + "{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"), events::add);
    assertEquals(List.of(StreamEvent.MESSAGE_START, new StreamEvent.ToolCallStart(0, "toolu_2", "lookup"),
        new StreamEvent.ToolCallDelta(0, "{}")), events);
  }

  @Test
  void stopReasonsMapToTheGatewaysReasons() {
    assertEquals(FinishReason.END_TURN, AnthropicStopReason.read("end_turn"));
    assertEquals(FinishReason.MAX_TOKENS, AnthropicStopReason.read("max_tokens"));
    assertEquals(FinishReason.STOP_SEQUENCE, AnthropicStopReason.read("stop_sequence"));
    assertEquals(FinishReason.TOOL_USE, AnthropicStopReason.read("tool_use"));
    assertEquals(FinishReason.CONTENT_FILTER, AnthropicStopReason.read("refusal"));
    assertEquals(FinishReason.OTHER, AnthropicStopReason.read("pause_turn"));
  }

  @Test
  void aStreamCutBeforeMessageStopIsIncomplete() {
    String body = AnthropicTranscripts.textAnswer();
    String cut = body.substring(0, body.indexOf("event: message_stop"));
    List<StreamEvent> events = new ArrayList<>();
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    feed(cut, decoder, events::add);
    assertFalse(decoder.endOfInput(events::add));
    assertFalse(events.contains(StreamEvent.END));
  }

  @Test
  void aCompleteStreamEndsOnceAndIgnoresWhatFollows() {
    List<StreamEvent> events = new ArrayList<>();
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    feed(AnthropicTranscripts.textAnswer() + AnthropicTranscripts.textAnswer(), decoder, events::add);
    assertTrue(decoder.endOfInput(events::add));
    assertEquals(expectedText(), events);
  }

  @Test
  void messageStopWithoutAStopReasonStillFinishes() {
    List<StreamEvent> events = new ArrayList<>();
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    decoder.decode(frame("message_stop", "{\"type\":\"message_stop\"}"), events::add);
    assertEquals(List.of(StreamEvent.MESSAGE_START, new StreamEvent.Finish(FinishReason.END_TURN), StreamEvent.END),
        events);
  }

  static SseEvent frame(String event, String data) {
    return new SseEvent(Buffer.buffer("event: " + event + "\ndata: " + data + "\n\n"), event, data);
  }

  private static void feed(String body, AnthropicStreamDecoder decoder, EventSink sink) {
    new SseParser(64 * 1024, frame -> decoder.decode(frame, sink))
        .feed(Buffer.buffer(body));
  }

  private static JsonNode readJson(String json) {
    try {
      return JsonSupport.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
