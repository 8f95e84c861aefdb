package dev.tiergate.provider;

import java.util.List;

/**
 * The last health check of one provider.
 *
 * @param status    {@link Status#UP}, {@link Status#DOWN}, {@link Status#SKIPPED} (a cloud provider without a key is
 *                  never called) or {@link Status#UNKNOWN} (not checked yet)
 * @param latencyMs how long the check took, -1 when none ran
 * @param checkedAt epoch milliseconds of the check, 0 when none ran
 * @param detail    why it is not up ({@code status 401}, {@code upstream_timeout}, …), null when up
 * @param models    the models the provider says it has (Ollama's {@code /api/tags}); empty when not read
 */
public record ProviderHealth(String provider, Status status, long latencyMs, long checkedAt, String detail,
                             List<String> models) {

  /** Health of a provider. */
  public enum Status { UP, DOWN, SKIPPED, UNKNOWN }

  public ProviderHealth {
    models = List.copyOf(models);
  }

  public static ProviderHealth unknown(String provider) {
    return new ProviderHealth(provider, Status.UNKNOWN, -1, 0, null, List.of());
  }
}
