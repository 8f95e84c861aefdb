package dev.tiergate.wire.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the encoder writes, the parser and decoder read back as the same events. */
class OllamaRoundTripTest {

  @Test
  void textToolCallsUsageAndFinishSurviveEveryByteSplit() {
    List<StreamEvent> sent = List.of(StreamEvent.MESSAGE_START,
        new StreamEvent.TextDelta("Hé"),
        new StreamEvent.TextDelta(" 日本 🙂\n\"quoted\""),
        new StreamEvent.ToolCallStart(0, "call_0", "get_weather"),
        new StreamEvent.ToolCallDelta(0, "{\"city\":"),
        new StreamEvent.ToolCallDelta(0, "\"Paris\",\"days\":[1,2]}"),
        new StreamEvent.ToolCallStart(1, "call_1", "get_time"),
        new StreamEvent.Usage(10, 20),
        new StreamEvent.Finish(FinishReason.TOOL_USE),
        StreamEvent.END);
    String wire = encode(sent);
    List<StreamEvent> expected = List.of(StreamEvent.MESSAGE_START,
        new StreamEvent.TextDelta("Hé"),
        new StreamEvent.TextDelta(" 日本 🙂\n\"quoted\""),
        new StreamEvent.ToolCallStart(0, "call_0", "get_weather"),
        new StreamEvent.ToolCallDelta(0, "{\"city\":\"Paris\",\"days\":[1,2]}"),
        new StreamEvent.ToolCallStart(1, "call_1", "get_time"),
        new StreamEvent.ToolCallDelta(1, "{}"),
        new StreamEvent.Usage(10, 20),
        new StreamEvent.Finish(FinishReason.TOOL_USE),
        StreamEvent.END);
    int length = wire.getBytes(StandardCharsets.UTF_8).length;
    for (int cut = 0; cut <= length; cut++) {
      OllamaStreamDecoderTest.Decoded decoded = OllamaStreamDecoderTest.decode(wire, cut);
      assertEquals(expected, decoded.events(), "cut at " + cut);
      assertTrue(decoded.complete());
    }
  }

  @Test
  void finishReasonsOllamaCanNameSurvive() {
    for (FinishReason reason : List.of(FinishReason.END_TURN, FinishReason.MAX_TOKENS)) {
      List<StreamEvent> sent = List.of(StreamEvent.MESSAGE_START, new StreamEvent.TextDelta("x"),
          new StreamEvent.Finish(reason), StreamEvent.END);
      assertEquals(sent, OllamaStreamDecoderTest.decode(encode(sent)).events());
    }
  }

  @Test
  void anAnswerWithoutUsageComesBackWithoutUsage() {
    List<StreamEvent> sent = List.of(StreamEvent.MESSAGE_START, new StreamEvent.TextDelta("x"), StreamEvent.END);
    List<StreamEvent> back = OllamaStreamDecoderTest.decode(encode(sent)).events();
    assertEquals(List.of(StreamEvent.MESSAGE_START, new StreamEvent.TextDelta("x"),
        new StreamEvent.Finish(FinishReason.END_TURN), StreamEvent.END), back);
  }

  private static String encode(List<StreamEvent> events) {
    OllamaStreamEncoder encoder = new OllamaStreamEncoder("m", OllamaStreamEncoderTest.CLOCK);
    List<String> out = new ArrayList<>();
    for (StreamEvent event : events) {
      encoder.accept(event);
      var bytes = encoder.take();
      if (bytes != null) {
        out.add(bytes.toString(StandardCharsets.UTF_8));
      }
    }
    return String.join("", out);
  }
}
