package dev.tiergate.wire.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events written as Ollama's NDJSON stream. */
class OllamaStreamEncoderTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-05-27T22:54:57.641643Z"), ZoneOffset.UTC);
  private static final String HEAD = "{\"model\":\"local-fast\",\"created_at\":\"2025-05-27T22:54:57.641643Z\",";

  private final OllamaStreamEncoder encoder = new OllamaStreamEncoder("local-fast", CLOCK);

  @Test
  void textGoesOutAsItComesAndTheLastLineCarriesReasonAndCounts() {
    encoder.accept(StreamEvent.MESSAGE_START);
    assertNull(encoder.take());
    encoder.accept(new StreamEvent.TextDelta("Hé 🙂"));
    Buffer text = encoder.take();
    assertEquals(json(HEAD + "\"message\":{\"role\":\"assistant\",\"content\":\"Hé 🙂\"},\"done\":false}"),
        lines(text).getFirst());
    assertTrue(text.toString().endsWith("}\n"));
    assertEquals(1, lines(text).size());
    encoder.accept(new StreamEvent.Usage(12, -1));
    encoder.accept(new StreamEvent.Usage(-1, 7));
    encoder.accept(new StreamEvent.Finish(FinishReason.END_TURN));
    assertNull(encoder.take());
    encoder.accept(StreamEvent.END);
    assertEquals(HEAD + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,"
        + "\"prompt_eval_count\":12,\"eval_count\":7}\n", encoder.take().toString());
    assertNull(encoder.take());
  }

  @Test
  void unknownCountsAreLeftOutAndTheOutputLimitIsLength() {
    encoder.accept(new StreamEvent.Finish(FinishReason.MAX_TOKENS));
    encoder.accept(StreamEvent.END);
    assertEquals(HEAD + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"length\","
        + "\"done\":true}\n", encoder.take().toString());
  }

  @Test
  void everyOtherReasonIsStop() {
    for (FinishReason reason : List.of(FinishReason.END_TURN, FinishReason.STOP_SEQUENCE, FinishReason.TOOL_USE,
        FinishReason.CONTENT_FILTER, FinishReason.OTHER)) {
      OllamaStreamEncoder fresh = new OllamaStreamEncoder("m", CLOCK);
      fresh.accept(new StreamEvent.Finish(reason));
      fresh.accept(StreamEvent.END);
      assertEquals("stop", lines(fresh.take()).getFirst().path("done_reason").asText(), reason.name());
    }
  }

  @Test
  void aToolCallIsHeldUntilCompleteThenSentWholeWithObjectArguments() {
    encoder.accept(new StreamEvent.ToolCallStart(0, "call_x", "get_weather"));
    encoder.accept(new StreamEvent.ToolCallDelta(0, "{\"city\":"));
    encoder.accept(new StreamEvent.ToolCallDelta(0, "\"Zürich\"}"));
    assertNull(encoder.take());
    encoder.accept(new StreamEvent.ToolCallStart(1, "call_y", "get_time"));
    assertEquals(HEAD + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":"
        + "{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Zürich\"}}}]},\"done\":false}\n",
        encoder.take().toString());
    encoder.accept(new StreamEvent.Finish(FinishReason.TOOL_USE));
    List<JsonNode> lines = lines(encoder.take());
    assertEquals(1, lines.size());
    JsonNode call = lines.getFirst().path("message").path("tool_calls").get(0).path("function");
    assertEquals("get_time", call.path("name").asText());
    assertEquals("{}", call.path("arguments").toString());
    encoder.accept(StreamEvent.END);
    assertEquals("stop", lines(encoder.take()).getFirst().path("done_reason").asText());
  }

  @Test
  void pendingCallsAreSentAtTheEndEvenWithoutAFinish() {
    encoder.accept(new StreamEvent.ToolCallStart(0, "c", "f"));
    encoder.accept(new StreamEvent.ToolCallDelta(0, "{\"a\":1}"));
    encoder.accept(StreamEvent.END);
    List<JsonNode> lines = lines(encoder.take());
    assertEquals(2, lines.size());
    assertEquals("{\"a\":1}", lines.getFirst().path("message").path("tool_calls").get(0).path("function")
        .path("arguments").toString());
    assertEquals(true, lines.get(1).path("done").asBoolean());
  }

  @Test
  void argumentsThatAreNotAJsonObjectCannotBeWritten() {
    encoder.accept(new StreamEvent.ToolCallStart(0, "c", "f"));
    encoder.accept(new StreamEvent.ToolCallDelta(0, "{\"a\":"));
    GatewayException error = assertThrows(GatewayException.class, () -> encoder.accept(StreamEvent.END));
    assertEquals("upstream_malformed_stream", error.errorClass());
  }

  private static JsonNode json(String text) {
    try {
      return JsonSupport.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> lines(Buffer buffer) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : buffer.toString().split("\n")) {
      try {
        lines.add(JsonSupport.MAPPER.readTree(line));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lines;
  }
}
