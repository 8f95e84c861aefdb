package dev.tiergate.routing;

import dev.tiergate.config.GatewayConfig;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import java.util.Map;

/**
 * Immutable view of everything routing needs. Built by {@link RouterVerticle} only and swapped in whole; the hot path
 * reads it without locks.
 *
 * @param version increases with every new snapshot
 */
public record RoutingSnapshot(long version, Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                              Map<Tier, String> tiers, Tier defaultTier) {

  public RoutingSnapshot {
    providers = Map.copyOf(providers);
    models = Map.copyOf(models);
    tiers = Map.copyOf(tiers);
  }

  public static RoutingSnapshot fromConfig(long version, GatewayConfig config) {
    return new RoutingSnapshot(version, config.providers(), config.models(), config.tiers(), config.defaultTier());
  }

  public Target target(String modelKey) {
    ModelConfig model = models.get(modelKey);
    return new Target(model, providers.get(model.provider()));
  }
}
