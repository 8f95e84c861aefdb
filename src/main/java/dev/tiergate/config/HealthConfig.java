package dev.tiergate.config;

/**
 * Provider health checks: a cheap GET per provider, off the request path.
 *
 * @param intervalMs time between rounds; 0 turns the checks off (every provider then counts as up)
 * @param timeoutMs  how long one check may take before the provider counts as down
 */
public record HealthConfig(long intervalMs, long timeoutMs) {

  public HealthConfig {
    Checks.atLeast("health.intervalMs", intervalMs, 0);
    Checks.range("health.timeoutMs", timeoutMs, 100, 60_000);
  }

  public boolean enabled() {
    return intervalMs > 0;
  }
}
