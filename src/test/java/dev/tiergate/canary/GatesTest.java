package dev.tiergate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.canary.GateReport.Gate;
import dev.tiergate.canary.GateReport.Verdict;
import dev.tiergate.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatesTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
  private final GateWindow local = new GateWindow(clock);
  private final GateWindow cloud = new GateWindow(clock);
  private final GateThresholds defaults = GateThresholds.DEFAULT;

  private GateReport evaluate() {
    return Gates.evaluate(local.stats(), cloud.stats(), defaults);
  }

  private static void repeat(GateWindow window, int times, ArmSample sample) {
    for (int i = 0; i < times; i++) {
      window.record(sample);
    }
  }

  private static Verdict verdict(GateReport report, String gate) {
    return report.gate(gate).orElseThrow().verdict();
  }

  @Test
  void healthyArmsPassEveryGate() {
    repeat(local, 50, ArmSample.ok(300));
    repeat(cloud, 50, ArmSample.ok(250));
    GateReport report = evaluate();
    assertTrue(report.allPass(), report.toJson().encodePrettily());
    assertEquals(List.of(), report.blocking());
    assertFalse(report.rollbackNow());
    assertFalse(report.rollbackOnTick());
    assertEquals(List.of(Gates.ERROR_RATE, Gates.LATENCY, Gates.CONSECUTIVE_FAILURES),
      report.gates().stream().map(Gate::name).toList());
  }

  @Test
  void tooFewSamplesAreInconclusiveAndNeverRollBackOrPromote() {
    repeat(local, 9, ArmSample.ok(99_000));
    local.record(ArmSample.error(10));
    local.record(ArmSample.error(10));
    repeat(cloud, 50, ArmSample.ok(100));
    // 11 requests with minSamples 12: 2 errors (18 %) and a P95 far over the limit, still inconclusive
    GateThresholds t = new GateThresholds(0.05, 2.0, 3, 12, 2000);
    GateReport report = Gates.evaluate(local.stats(), cloud.stats(), t);
    assertEquals(Verdict.INCONCLUSIVE, verdict(report, Gates.ERROR_RATE));
    assertEquals(Verdict.INCONCLUSIVE, verdict(report, Gates.LATENCY));
    assertEquals(Verdict.PASS, verdict(report, Gates.CONSECUTIVE_FAILURES));
    assertFalse(report.allPass());
    assertEquals(List.of(Gates.ERROR_RATE, Gates.LATENCY), report.blocking().stream().map(Gate::name).toList());
    assertFalse(report.rollbackOnTick());
    assertFalse(report.rollbackNow());
    assertTrue(report.gate(Gates.ERROR_RATE).orElseThrow().detail().contains("11 of 12"));
  }

  @Test
  void emptyLocalArmIsInconclusive() {
    GateReport report = evaluate();
    assertEquals(Verdict.INCONCLUSIVE, verdict(report, Gates.ERROR_RATE));
    assertEquals(Verdict.INCONCLUSIVE, verdict(report, Gates.LATENCY));
    assertEquals(Verdict.PASS, verdict(report, Gates.CONSECUTIVE_FAILURES));
    assertFalse(report.allPass());
    assertFalse(report.rollbackOnTick());
  }

  @Test
  void aBadBurstInBusyTrafficPassesAndLaterLeavesTheWindow() {
    repeat(cloud, 100, ArmSample.ok(200));
    repeat(local, 40, ArmSample.ok(200));
    clock.advance(Duration.ofSeconds(30));
    repeat(local, 2, ArmSample.error(50)); // the burst
    repeat(local, 18, ArmSample.ok(200));
    GateReport withBurst = evaluate();
    assertEquals(2, withBurst.local().errors());
    assertTrue(withBurst.allPass(), withBurst.toJson().encodePrettily()); // 2 of 60 = 3.3 %
    assertFalse(withBurst.rollbackOnTick());

    clock.advance(Duration.ofMinutes(4).plusSeconds(50));
    repeat(local, 20, ArmSample.ok(200));
    repeat(cloud, 20, ArmSample.ok(200));
    clock.advance(Duration.ofSeconds(10)); // t = 5:30: the burst's slice (0:30..0:40) has just left
    GateReport later = evaluate();
    assertEquals(20, later.local().requests());
    assertEquals(0, later.local().errors());
    assertTrue(later.allPass());
  }

  @Test
  void aBurstThatDominatesAThinWindowFailsUntilItLeaves() {
    repeat(cloud, 100, ArmSample.ok(200));
    repeat(local, 2, ArmSample.error(50));
    repeat(local, 18, ArmSample.ok(200));
    GateReport burst = evaluate(); // 2 of 20 = 10 %
    assertEquals(Verdict.FAIL, verdict(burst, Gates.ERROR_RATE));
    assertTrue(burst.rollbackOnTick());
    assertFalse(burst.rollbackNow());

    clock.advance(Duration.ofMinutes(3));
    repeat(local, 20, ArmSample.ok(200));
    repeat(cloud, 20, ArmSample.ok(200));
    clock.advance(Duration.ofMinutes(2).plusSeconds(10));
    GateReport recovered = evaluate();
    assertEquals(20, recovered.local().requests());
    assertTrue(recovered.allPass(), recovered.toJson().encodePrettily());
  }

  @Test
  void aSustainedBreachFailsInEverySliceAndRollsBackOnTheTick() {
    for (int slice = 0; slice < 60; slice++) { // ten minutes of one error in every ten requests
      repeat(local, 9, ArmSample.ok(200));
      local.record(ArmSample.error(200));
      repeat(cloud, 10, ArmSample.ok(200));
      clock.advance(Duration.ofSeconds(10));
    }
    GateReport sustained = evaluate();
    assertEquals(290, sustained.local().requests()); // 29 full slices; the current one is still empty
    assertEquals(Verdict.PASS, verdict(sustained, Gates.LATENCY));
    assertEquals(Verdict.FAIL, verdict(sustained, Gates.ERROR_RATE));
    assertEquals(0.1, sustained.gate(Gates.ERROR_RATE).orElseThrow().value(), 1e-9);
    assertTrue(sustained.rollbackOnTick());
    assertFalse(sustained.rollbackNow(), "the errors were never consecutive");
  }

  @Test
  void errorRateAtTheLimitPasses() {
    repeat(local, 19, ArmSample.ok(100));
    local.record(ArmSample.error(100));
    assertEquals(Verdict.PASS, verdict(evaluate(), Gates.ERROR_RATE));
    local.record(ArmSample.error(100));
    assertEquals(Verdict.FAIL, verdict(evaluate(), Gates.ERROR_RATE));
  }

  @Test
  void contentFailuresFailTheErrorRateGate() {
    repeat(local, 18, ArmSample.ok(100));
    local.record(ArmSample.contentFailure(100));
    local.record(ArmSample.ok(100));
    local.record(ArmSample.contentFailure(100));
    local.record(ArmSample.ok(100));
    GateReport report = evaluate();
    assertEquals(Verdict.FAIL, verdict(report, Gates.ERROR_RATE));
    assertTrue(report.gate(Gates.ERROR_RATE).orElseThrow().detail().contains("2 content failures"));
  }

  @Test
  void threeConsecutiveFailuresFailAtOnceEvenWithFewSamples() {
    local.record(ArmSample.ok(100));
    local.record(ArmSample.error(100));
    local.record(ArmSample.contentFailure(100));
    assertFalse(evaluate().rollbackNow());
    local.record(ArmSample.error(100));
    GateReport report = evaluate();
    assertEquals(Verdict.FAIL, verdict(report, Gates.CONSECUTIVE_FAILURES));
    assertEquals(3.0, report.gate(Gates.CONSECUTIVE_FAILURES).orElseThrow().value());
    assertEquals(Verdict.INCONCLUSIVE, verdict(report, Gates.ERROR_RATE));
    assertTrue(report.rollbackNow());
    assertFalse(report.rollbackOnTick());
    assertFalse(report.allPass());
  }

  @Test
  void aSuccessResetsTheFailureStreak() {
    repeat(local, 2, ArmSample.error(100));
    local.record(ArmSample.ok(100));
    repeat(local, 2, ArmSample.error(100));
    GateReport report = evaluate();
    assertEquals(Verdict.PASS, verdict(report, Gates.CONSECUTIVE_FAILURES));
    assertEquals(2.0, report.gate(Gates.CONSECUTIVE_FAILURES).orElseThrow().value());
  }

  @Test
  void latencyIsJudgedAgainstTheCloudArm() {
    repeat(cloud, 40, ArmSample.ok(500));
    repeat(local, 40, ArmSample.ok(900));
    GateReport pass = evaluate();
    Gate latency = pass.gate(Gates.LATENCY).orElseThrow();
    assertEquals(Verdict.PASS, latency.verdict());
    assertEquals(1000.0, latency.threshold(), 1.0);
    assertTrue(latency.detail().contains("cloud P95"), latency.detail());

    repeat(local, 40, ArmSample.ok(1_200)); // half the window now at 1.2 s: P95 over 2 x 500 ms
    GateReport fail = evaluate();
    assertEquals(Verdict.FAIL, verdict(fail, Gates.LATENCY));
    assertEquals(1_200.0, fail.gate(Gates.LATENCY).orElseThrow().value(), 1.5);
    assertTrue(fail.rollbackOnTick());
    assertEquals(Verdict.PASS, verdict(fail, Gates.ERROR_RATE));
  }

  @Test
  void latencyFallsBackToTheConfiguredBaselineWhileTheCloudArmIsThin() {
    repeat(cloud, 9, ArmSample.ok(100)); // one short of minSamples: its 100 ms P95 is not trusted
    repeat(local, 20, ArmSample.ok(3_000));
    GateThresholds t = new GateThresholds(0.05, 2.0, 3, 10, 2_000);
    Gate pass = Gates.evaluate(local.stats(), cloud.stats(), t).gate(Gates.LATENCY).orElseThrow();
    assertEquals(Verdict.PASS, pass.verdict());
    assertEquals(4_000.0, pass.threshold());
    assertTrue(pass.detail().contains("configured baseline 2000.0 ms (cloud arm has 9 of 10 samples)"), pass.detail());

    GateThresholds tight = new GateThresholds(0.05, 2.0, 3, 10, 1_000);
    Gate fail = Gates.evaluate(local.stats(), cloud.stats(), tight).gate(Gates.LATENCY).orElseThrow();
    assertEquals(Verdict.FAIL, fail.verdict());
    assertEquals(2_000.0, fail.threshold());

    cloud.record(ArmSample.ok(100)); // now 10 cloud samples: the measured 100 ms P95 applies
    Gate measured = Gates.evaluate(local.stats(), cloud.stats(), t).gate(Gates.LATENCY).orElseThrow();
    assertEquals(Verdict.FAIL, measured.verdict());
    assertEquals(200.0, measured.threshold(), 0.5);
  }

  @Test
  void reportJsonNamesEveryGateAndBothArms() {
    repeat(cloud, 3, ArmSample.ok(100));
    local.record(ArmSample.ok(100));
    var json = evaluate().toJson();
    assertFalse(json.getBoolean("allPass"));
    assertFalse(json.getBoolean("rollbackNow"));
    assertFalse(json.getBoolean("rollbackOnTick"));
    assertEquals(3, json.getJsonArray("gates").size());
    var latency = json.getJsonArray("gates").getJsonObject(1);
    assertEquals("latency", latency.getString("name"));
    assertEquals("INCONCLUSIVE", latency.getString("verdict"));
    assertEquals(4_000.0, latency.getDouble("threshold"));
    assertEquals(100.0, latency.getDouble("value"), 0.1);
    assertEquals(1L, json.getJsonObject("local").getLong("requests"));
    assertEquals(3L, json.getJsonObject("cloud").getLong("requests"));
    // NaN never reaches the JSON: an empty arm has a null P95
    var empty = Gates.evaluate(GateWindow.Stats.EMPTY, GateWindow.Stats.EMPTY, defaults).toJson();
    assertTrue(empty.getJsonArray("gates").getJsonObject(1).containsKey("value"));
    assertEquals(null, empty.getJsonArray("gates").getJsonObject(1).getValue("value"));
    assertEquals(null, empty.getJsonObject("local").getValue("p95Ms"));
    io.vertx.core.json.Json.encode(empty); // strictly encodable
  }
}
