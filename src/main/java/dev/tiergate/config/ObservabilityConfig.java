package dev.tiergate.config;

/**
 * What the gateway records about its traffic ({@code observability} in {@code conf/tiergate.json}).
 *
 * @param metrics               request meters on {@code /metrics} (counters, histograms, token and cost totals); the
 *                              canary gates and usage totals are kept either way
 * @param accessLog             one structured line per request on the {@code tiergate.access} logger
 * @param accessLogPrompts      debug only: add the start of the last user message (secrets redacted) to each line
 * @param usageRetentionMinutes how far back the in-memory usage totals reach ({@code GET /admin/usage})
 */
public record ObservabilityConfig(boolean metrics, boolean accessLog, boolean accessLogPrompts,
                                  int usageRetentionMinutes) {

  public static final ObservabilityConfig DEFAULT = new ObservabilityConfig(true, true, false, 24 * 60);

  public ObservabilityConfig {
    Checks.range("observability.usageRetentionMinutes", usageRetentionMinutes, 1, 31 * 24 * 60);
  }
}
