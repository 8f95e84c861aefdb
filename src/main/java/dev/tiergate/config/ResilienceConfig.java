package dev.tiergate.config;

/**
 * How hard a call tries before it gives up, and when a target is taken out of rotation.
 *
 * @param chainDeadlineMs       one deadline for the whole chain (retries and fallbacks) until the answer starts
 * @param maxAttemptsPerTarget  attempts on one target, the first included
 * @param baseDelayMs           first backoff step (full jitter, doubling)
 * @param maxDelayMs            largest backoff step
 * @param retryAfterCapMs       a longer {@code Retry-After} moves on to the next target instead of waiting
 * @param retryBudgetRatio      retries in flight may be at most this share of active requests…
 * @param retryBudgetMin        …but always at least this many
 * @param breakerMaxFailures    failures in the window that open a target's circuit; 0 = breakers off
 * @param breakerResetMs        how long a circuit stays open before one probe is let through
 * @param breakerWindowMs       the rolling window failures are counted in
 */
public record ResilienceConfig(long chainDeadlineMs, int maxAttemptsPerTarget, long baseDelayMs, long maxDelayMs,
                               long retryAfterCapMs, double retryBudgetRatio, int retryBudgetMin,
                               int breakerMaxFailures, long breakerResetMs, long breakerWindowMs) {

  public ResilienceConfig {
    Checks.atLeast("routing.resilience.chainDeadlineMs", chainDeadlineMs, 1);
    Checks.range("routing.resilience.maxAttemptsPerTarget", maxAttemptsPerTarget, 1, 10);
    Checks.atLeast("routing.resilience.baseDelayMs", baseDelayMs, 0);
    Checks.atLeast("routing.resilience.maxDelayMs", maxDelayMs, baseDelayMs);
    Checks.atLeast("routing.resilience.retryAfterCapMs", retryAfterCapMs, 0);
    if (!(retryBudgetRatio >= 0 && retryBudgetRatio <= 1)) {
      throw new ConfigException("routing.resilience.retryBudgetRatio", "must be between 0 and 1");
    }
    Checks.atLeast("routing.resilience.retryBudgetMin", retryBudgetMin, 0);
    Checks.atLeast("routing.resilience.breakerMaxFailures", breakerMaxFailures, 0);
    Checks.atLeast("routing.resilience.breakerResetMs", breakerResetMs, 1);
    // The breaker counts failures in whole seconds: a shorter window would never open it.
    Checks.atLeast("routing.resilience.breakerWindowMs", breakerWindowMs, 1000);
  }
}
