package dev.tiergate.provider;

import java.util.HashMap;
import java.util.Map;

/**
 * The latest {@link ProviderHealth} of every provider. Written by the {@link HealthVerticle} alone, read by readiness
 * and the admin API: a volatile reference to an immutable map, so readers never lock.
 */
public final class HealthBoard {

  private volatile Map<String, ProviderHealth> current = Map.of();

  public Map<String, ProviderHealth> current() {
    return current;
  }

  /** The provider's last check, or {@link ProviderHealth#unknown} before the first. */
  public ProviderHealth of(String provider) {
    return current.getOrDefault(provider, ProviderHealth.unknown(provider));
  }

  /**
   * Whether the gateway can serve: no round finished yet or checks are off (nothing is known against it), or at least
   * one provider answered its last check.
   */
  public boolean serviceable() {
    Map<String, ProviderHealth> board = current;
    return board.isEmpty() || board.values().stream().anyMatch(h -> h.status() == ProviderHealth.Status.UP);
  }

  void record(ProviderHealth health) {
    Map<String, ProviderHealth> next = new HashMap<>(current);
    next.put(health.provider(), health);
    current = Map.copyOf(next);
  }
}
