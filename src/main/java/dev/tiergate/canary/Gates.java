package dev.tiergate.canary;

import dev.tiergate.canary.GateReport.Gate;
import dev.tiergate.canary.GateReport.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The canary quality gates: judges the local arm's window against the cloud arm's and the thresholds. */
public final class Gates {

  public static final String ERROR_RATE = "error_rate";
  public static final String LATENCY = "latency";
  public static final String CONSECUTIVE_FAILURES = "consecutive_failures";

  private Gates() {
  }

  /**
   * Evaluates the three gates, in this order:
   * <ul>
   *   <li>{@code error_rate}: local error rate ≤ {@code maxErrorRate}; inconclusive below {@code minSamples} local
   *       requests.</li>
   *   <li>{@code latency}: local P95 ≤ {@code maxLatencyRatio} × cloud P95, or × {@code baselineP95Ms} while the
   *       cloud arm has fewer than {@code minSamples} requests; inconclusive below {@code minSamples} local requests.
   *   </li>
   *   <li>{@code consecutive_failures}: the local failure streak is below {@code maxConsecutiveFailures}; never
   *       inconclusive, so a streak fails it however few requests the window holds.</li>
   * </ul>
   */
  public static GateReport evaluate(GateWindow.Stats local, GateWindow.Stats cloud, GateThresholds thresholds) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(thresholds, "thresholds");
    List<Gate> gates = List.of(
      errorRate(local, thresholds),
      latency(local, cloud, thresholds),
      consecutiveFailures(local, thresholds));
    return new GateReport(gates, local, cloud);
  }

  private static Gate errorRate(GateWindow.Stats local, GateThresholds t) {
    if (local.requests() < t.minSamples()) {
      return new Gate(ERROR_RATE, Verdict.INCONCLUSIVE, local.errorRate(), t.maxErrorRate(), tooFew(local, t));
    }
    boolean pass = local.errorRate() <= t.maxErrorRate();
    String detail = format("%d errors in %d local requests (%.2f %%, %d content failures); limit %.2f %%",
      local.errors(), local.requests(), local.errorRate() * 100, local.contentFailures(), t.maxErrorRate() * 100);
    return new Gate(ERROR_RATE, pass ? Verdict.PASS : Verdict.FAIL, local.errorRate(), t.maxErrorRate(), detail);
  }

  private static Gate latency(GateWindow.Stats local, GateWindow.Stats cloud, GateThresholds t) {
    boolean cloudMeasured = cloud.requests() >= t.minSamples() && Double.isFinite(cloud.p95Ms());
    double cloudP95 = cloudMeasured ? cloud.p95Ms() : t.baselineP95Ms();
    double limit = t.maxLatencyRatio() * cloudP95;
    String baseline = cloudMeasured
      ? format("cloud P95 %.1f ms over %d requests", cloudP95, cloud.requests())
      : format("configured baseline %.1f ms (cloud arm has %d of %d samples)", cloudP95, cloud.requests(),
        t.minSamples());
    if (local.requests() < t.minSamples()) {
      return new Gate(LATENCY, Verdict.INCONCLUSIVE, local.p95Ms(), limit, tooFew(local, t) + "; " + baseline);
    }
    boolean pass = local.p95Ms() <= limit;
    String detail = format("local P95 %.1f ms; limit %.1f ms = %.2f x %s", local.p95Ms(), limit,
      t.maxLatencyRatio(), baseline);
    return new Gate(LATENCY, pass ? Verdict.PASS : Verdict.FAIL, local.p95Ms(), limit, detail);
  }

  private static Gate consecutiveFailures(GateWindow.Stats local, GateThresholds t) {
    boolean pass = local.consecutiveFailures() < t.maxConsecutiveFailures();
    String detail = format("%d consecutive local failures; fails at %d", local.consecutiveFailures(),
      t.maxConsecutiveFailures());
    return new Gate(CONSECUTIVE_FAILURES, pass ? Verdict.PASS : Verdict.FAIL, local.consecutiveFailures(),
      t.maxConsecutiveFailures(), detail);
  }

  private static String tooFew(GateWindow.Stats local, GateThresholds t) {
    return format("inconclusive: %d of %d required local samples", local.requests(), t.minSamples());
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
