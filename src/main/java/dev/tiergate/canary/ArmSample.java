package dev.tiergate.canary;

/**
 * One finished request of a canary arm, as the gate windows see it.
 *
 * @param success the upstream call completed without an error
 * @param latencyMs time to first token for streams, total time otherwise (the caller decides); finite and {@code >= 0}
 * @param contentFailure the answer was unusable although the call succeeded: a leaked {@code <think>} tag, or invalid
 *     JSON when JSON output was requested. Counts as an error.
 */
public record ArmSample(boolean success, double latencyMs, boolean contentFailure) {

  public ArmSample {
    if (!(latencyMs >= 0.0) || Double.isInfinite(latencyMs)) {
      throw new IllegalArgumentException("latencyMs must be a finite number >= 0, got " + latencyMs);
    }
  }

  /** A successful request with usable content. */
  public static ArmSample ok(double latencyMs) {
    return new ArmSample(true, latencyMs, false);
  }

  /** A request that failed upstream (error status, timeout, dropped stream). */
  public static ArmSample error(double latencyMs) {
    return new ArmSample(false, latencyMs, false);
  }

  /** A request that completed but whose content was unusable. */
  public static ArmSample contentFailure(double latencyMs) {
    return new ArmSample(true, latencyMs, true);
  }

  /** True when this request counts as an error: it failed, or its content was unusable. */
  public boolean failed() {
    return !success || contentFailure;
  }
}
