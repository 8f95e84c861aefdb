package dev.tiergate.canary;

import io.vertx.core.json.JsonObject;

/**
 * The limits the canary quality gates judge the local arm against. Stored with the canary state
 * ({@code llm_canary_state.thresholds} holds the first four keys); a missing key takes its {@link #DEFAULT} value.
 *
 * @param maxErrorRate highest acceptable local error rate (errors / requests), 0..1
 * @param maxLatencyRatio highest acceptable local P95 as a multiple of the cloud P95
 * @param maxConsecutiveFailures this many local failures in a row fail the gate (and roll back at once)
 * @param minSamples requests an arm needs in the window before its error rate and latency are judged
 * @param baselineP95Ms the cloud P95 in milliseconds to compare against while the cloud arm has too few samples
 */
public record GateThresholds(double maxErrorRate, double maxLatencyRatio, int maxConsecutiveFailures, int minSamples,
                             double baselineP95Ms) {

  public static final GateThresholds DEFAULT = new GateThresholds(0.05, 2.0, 3, 10, 2000.0);

  public GateThresholds {
    if (!(maxErrorRate >= 0.0 && maxErrorRate <= 1.0)) {
      throw new IllegalArgumentException("maxErrorRate must be within 0..1, got " + maxErrorRate);
    }
    if (!(maxLatencyRatio > 0.0) || Double.isInfinite(maxLatencyRatio)) {
      throw new IllegalArgumentException("maxLatencyRatio must be a positive number, got " + maxLatencyRatio);
    }
    if (maxConsecutiveFailures < 1) {
      throw new IllegalArgumentException("maxConsecutiveFailures must be at least 1, got " + maxConsecutiveFailures);
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples must be at least 1, got " + minSamples);
    }
    if (!(baselineP95Ms > 0.0) || Double.isInfinite(baselineP95Ms)) {
      throw new IllegalArgumentException("baselineP95Ms must be a positive number, got " + baselineP95Ms);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("maxErrorRate", maxErrorRate)
      .put("maxLatencyRatio", maxLatencyRatio)
      .put("maxConsecutiveFailures", maxConsecutiveFailures)
      .put("minSamples", minSamples)
      .put("baselineP95Ms", baselineP95Ms);
  }

  /**
   * Reads thresholds written by {@link #toJson()} or stored in the database; {@code null} or missing keys take the
   * defaults.
   *
   * @throws IllegalArgumentException when a value is out of range
   * @throws ClassCastException when a value is not a number
   */
  public static GateThresholds fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULT;
    }
    return new GateThresholds(
      number(json, "maxErrorRate", DEFAULT.maxErrorRate).doubleValue(),
      number(json, "maxLatencyRatio", DEFAULT.maxLatencyRatio).doubleValue(),
      wholeNumber(json, "maxConsecutiveFailures", DEFAULT.maxConsecutiveFailures),
      wholeNumber(json, "minSamples", DEFAULT.minSamples),
      number(json, "baselineP95Ms", DEFAULT.baselineP95Ms).doubleValue());
  }

  private static Number number(JsonObject json, String key, Number fallback) {
    Number value = json.getNumber(key);
    return value == null ? fallback : value;
  }

  private static int wholeNumber(JsonObject json, String key, int fallback) {
    double value = number(json, key, fallback).doubleValue();
    if (value != Math.rint(value) || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be a whole number, got " + value);
    }
    return (int) value;
  }
}
