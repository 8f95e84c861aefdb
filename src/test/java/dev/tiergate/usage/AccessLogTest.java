package dev.tiergate.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.support.MutableClock;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The hand-written access line is valid JSON for any field content, with every field of the outcome. */
class AccessLogTest {

  @Test
  void everyFieldIsWrittenAndEscaped() {
    String awkward = "mo\"del\\with\nnew\tline\u0001\u2028";
    CallOutcome outcome = new CallOutcome("tg-1", "key-1", "openai", "cloud", "cloud", "sonnet", "prov", awkward, 200,
        true, true, 2, 12.3456789, 100.5, 0.0421, 9, -1, true, true, false, 512, "end_turn", "upstream_stream_cut",
        false, "leaked_think", "the \"prompt\"");
    JsonObject line = AccessLog.line(outcome, 0.000123456789, new MutableClock(Instant.parse("2026-11-22T07:00:00Z")));
    assertEquals(awkward, line.getString("model"));
    assertEquals("2026-11-22T07:00:00Z", line.getString("ts"));
    assertEquals("key-1", line.getString("key"));
    assertEquals(12.346, line.getDouble("ttftMs"));
    assertEquals(0.042, line.getDouble("overheadMs"));
    assertEquals(9, line.getLong("promptTokens"));
    assertNull(line.getValue("completionTokens"), "unknown counts are null");
    assertTrue(line.getBoolean("partial"));
    assertEquals(2, line.getInteger("retries"));
    assertEquals(0.00012346, line.getDouble("costUsd"));
    assertEquals(100.5, line.getDouble("durationMs"));
    assertEquals("the \"prompt\"", line.getString("prompt"));
    assertEquals("leaked_think", line.getString("contentFailure"));
    assertEquals(25, line.size());
    CallOutcome refused = new CallOutcome("tg-2", "anonymous", "ollama", "none", "none", "none", "none", "none", 401,
        false, false, 0, -1, 0.2, 0.2, -1, -1, false, false, false, 90, null, "unauthorized", false, null, null);
    JsonObject plain = AccessLog.line(refused, 0, new MutableClock(Instant.EPOCH));
    assertNull(plain.getValue("ttftMs"));
    assertEquals(0, plain.getDouble("costUsd"));
    assertEquals(0.2, plain.getDouble("durationMs"));
    assertFalse(plain.containsKey("prompt"));
    assertEquals(23, plain.size());
  }

  @Test
  void aContinuedAnswerSaysSo() {
    CallOutcome continued = new CallOutcome("tg-3", "anonymous", "openai", "cloud", "cloud", "sonnet", "anthropic",
        "claude", 200, true, true, 0, 80, 900, 0.3, 60, 40, true, false, true, 2048, "end_turn", null, false, null,
        null);
    JsonObject line = AccessLog.line(continued, 0, new MutableClock(Instant.EPOCH));
    assertTrue(line.getBoolean("continued"));
    assertTrue(line.getBoolean("fallback"));
    assertEquals("claude", line.getString("model"));
  }
}
