package dev.tiergate.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tiergate.bus.CallOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The continuation counter: one per continued stream, labelled with the model that finished it. */
class RequestMetersTest {

  @Test
  void aContinuedStreamIsCountedUnderTheModelThatFinishedIt() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RequestMeters meters = new RequestMeters(registry);
    meters.record(outcome("claude", true, null), 0);
    meters.record(outcome("claude", true, null), 0);
    meters.record(outcome("claude", false, null), 0);
    meters.record(outcome("gpt", true, "upstream_stream_reset"), 0);
    assertEquals(2, registry.get("tiergate.streams.continued").tags("model", "claude", "error", "none").counter()
        .count());
    assertEquals(1, registry.get("tiergate.streams.continued").tags("model", "gpt", "error", "upstream_stream_reset")
        .counter().count());
    assertNull(registry.find("tiergate.streams.continued").tags("model", "other").counter());
  }

  private static CallOutcome outcome(String model, boolean continued, String error) {
    return new CallOutcome("r", "anonymous", "openai", "cloud", "cloud", "sonnet", "p", model, 200, true, continued,
        0, 5, 100, 0.1, 10, 20, false, error != null, continued, 500, error == null ? "end_turn" : null, error, false,
        null, null);
  }
}
