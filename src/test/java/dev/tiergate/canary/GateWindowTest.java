package dev.tiergate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GateWindowTest {

  private static final Instant START = Instant.parse("2025-03-01T12:00:00.123Z");

  private final MutableClock clock = new MutableClock(START);
  private final GateWindow window = new GateWindow(Duration.ofMinutes(5), 30, clock);

  @Test
  void sampleIsInAt299point9SecondsAndOutAt300point1() {
    window.record(ArmSample.error(100));

    clock.advanceMillis(299_900);
    GateWindow.Stats in = window.stats();
    assertEquals(1, in.requests());
    assertEquals(1, in.errors());

    clock.advanceMillis(200);
    GateWindow.Stats out = window.stats();
    assertEquals(0, out.requests());
    assertEquals(0, out.errors());
    assertEquals(0.0, out.errorRate());
    assertTrue(Double.isNaN(out.p95Ms()));
  }

  @Test
  void sampleAtExactlyTheWindowLengthIsOut() {
    window.record(ArmSample.ok(100));
    clock.advanceMillis(299_999);
    assertEquals(1, window.stats().requests());
    clock.advanceMillis(1);
    assertEquals(0, window.stats().requests());
  }

  @Test
  void oldSlicesFallOutOneAtATime() {
    for (int second = 0; second < 300; second += 10) {
      window.record(ArmSample.ok(10));
      clock.advanceMillis(10_000);
    }
    // now = 300 s: the slice of t=0 s just left; 29 remain
    assertEquals(29, window.stats().requests());
    clock.advanceMillis(10_000);
    assertEquals(28, window.stats().requests());
    clock.advanceMillis(270_000);
    assertEquals(1, window.stats().requests());
    clock.advanceMillis(10_000);
    assertEquals(0, window.stats().requests());
  }

  @Test
  void slicesRollOverAfterALongIdleGap() {
    for (int i = 0; i < 20; i++) {
      window.record(ArmSample.error(5_000));
    }
    // Idle for many windows, and by an odd amount so the ring index of "now" differs from the old one.
    clock.advance(Duration.ofHours(7).plusSeconds(13));
    assertEquals(0, window.stats().requests());

    window.record(ArmSample.ok(40));
    window.record(ArmSample.ok(40));
    GateWindow.Stats stats = window.stats();
    assertEquals(2, stats.requests());
    assertEquals(0, stats.errors());
    assertEquals(40.0, stats.p95Ms(), 0.1);

    // Exactly one ring length later the same ring position is reused: the old counts must not survive.
    clock.advance(Duration.ofMinutes(5));
    window.record(ArmSample.ok(40));
    assertEquals(1, window.stats().requests());
  }

  @Test
  void p95OfUniformOneToThousandMillisIsAbout950() {
    List<Integer> latencies = new ArrayList<>();
    for (int ms = 1; ms <= 1000; ms++) {
      latencies.add(ms);
    }
    Collections.shuffle(latencies, new Random(42));
    for (int i = 0; i < latencies.size(); i++) {
      window.record(ArmSample.ok(latencies.get(i)));
      if (i % 100 == 99) {
        clock.advanceMillis(7_000); // spread over several slices so the merge is exercised
      }
    }
    GateWindow.Stats stats = window.stats();
    assertEquals(1000, stats.requests());
    assertEquals(950.0, stats.p95Ms(), 950.0 * 0.002);
  }

  @Test
  void p95UsesOnlyLiveSlices() {
    for (int i = 0; i < 100; i++) {
      window.record(ArmSample.ok(9_000));
    }
    clock.advanceMillis(200_000);
    for (int i = 0; i < 100; i++) {
      window.record(ArmSample.ok(100));
    }
    assertEquals(9_000.0, window.stats().p95Ms(), 9.0 * 1.0);
    clock.advanceMillis(100_000);
    assertEquals(100.0, window.stats().p95Ms(), 0.1);
  }

  @Test
  void latenciesAreClampedToTenMinutes() {
    window.record(ArmSample.ok(3_600_000));
    window.record(ArmSample.ok(0));
    assertEquals(GateWindow.MAX_LATENCY_MS, window.stats().p95Ms(), GateWindow.MAX_LATENCY_MS * 0.001);
  }

  @Test
  void contentFailuresCountAsErrors() {
    window.record(ArmSample.ok(10));
    window.record(ArmSample.contentFailure(10));
    window.record(ArmSample.error(10));
    window.record(new ArmSample(false, 10, true));
    GateWindow.Stats stats = window.stats();
    assertEquals(4, stats.requests());
    assertEquals(3, stats.errors());
    assertEquals(2, stats.contentFailures());
    assertEquals(0.75, stats.errorRate());
    assertEquals(3, stats.consecutiveFailures());
  }

  @Test
  void consecutiveFailuresAreResetBySuccessOnly() {
    window.record(ArmSample.error(10));
    window.record(ArmSample.contentFailure(10));
    assertEquals(2, window.stats().consecutiveFailures());
    window.record(ArmSample.ok(10));
    assertEquals(0, window.stats().consecutiveFailures());
    window.record(ArmSample.error(10));
    assertEquals(1, window.stats().consecutiveFailures());
  }

  @Test
  void consecutiveFailuresAreNotWindowed() {
    window.record(ArmSample.error(10));
    window.record(ArmSample.error(10));
    clock.advance(Duration.ofMinutes(30));
    window.record(ArmSample.error(10));
    GateWindow.Stats stats = window.stats();
    assertEquals(1, stats.requests());
    assertEquals(3, stats.consecutiveFailures());
  }

  @Test
  void clockGoingBackwardsDoesNotResurrectOrLoseSamples() {
    window.record(ArmSample.ok(10));
    clock.advanceMillis(60_000);
    window.record(ArmSample.ok(10));
    clock.set(START);
    window.record(ArmSample.ok(10));
    assertEquals(3, window.stats().requests());
  }

  @Test
  void statsJsonWritesNullForMissingP95() {
    assertEquals(null, window.stats().toJson().getValue("p95Ms"));
    assertTrue(window.stats().toJson().containsKey("p95Ms"));
    window.record(ArmSample.contentFailure(250));
    var json = window.stats().toJson();
    assertEquals(1L, json.getLong("requests"));
    assertEquals(1L, json.getLong("errors"));
    assertEquals(1.0, json.getDouble("errorRate"));
    assertEquals(250.0, json.getDouble("p95Ms"), 0.25);
    assertEquals(1, json.getInteger("consecutiveFailures"));
    assertEquals(1L, json.getLong("contentFailures"));
  }

  @Test
  void defaultWindowIsFiveMinutes() {
    assertEquals(Duration.ofMinutes(5), new GateWindow(clock).window());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new GateWindow(Duration.ZERO, 30, clock));
    assertThrows(IllegalArgumentException.class, () -> new GateWindow(Duration.ofMinutes(5), 0, clock));
    assertThrows(IllegalArgumentException.class, () -> new GateWindow(Duration.ofMillis(100), 30, clock));
    assertThrows(IllegalArgumentException.class, () -> new ArmSample(true, -1, false));
    assertThrows(IllegalArgumentException.class, () -> new ArmSample(true, Double.NaN, false));
    assertThrows(IllegalArgumentException.class, () -> new ArmSample(true, Double.POSITIVE_INFINITY, false));
  }
}
