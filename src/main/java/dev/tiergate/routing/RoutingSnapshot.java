package dev.tiergate.routing;

import dev.tiergate.config.GatewayConfig;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.RoutingConfig;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable view of everything routing needs. Built by {@link RouterVerticle} only and swapped in whole; the hot path
 * reads it without locks.
 *
 * @param version increases with every new snapshot
 * @param routing the policy: local, privacy, airgap, canary, pools
 * @param phases  the sub-agent × phase table
 * @param privacy the compiled privacy patterns
 */
public record RoutingSnapshot(long version, Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                              Map<Tier, String> tiers, Tier defaultTier, RoutingConfig routing, PhaseRouting phases,
                              PrivacyGuard privacy) {

  public RoutingSnapshot {
    providers = Map.copyOf(providers);
    models = Map.copyOf(models);
    tiers = Map.copyOf(tiers);
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(phases, "phases");
    Objects.requireNonNull(privacy, "privacy");
  }

  public static RoutingSnapshot fromConfig(long version, GatewayConfig config, PhaseRouting phases) {
    return new RoutingSnapshot(version, config.providers(), config.models(), config.tiers(), config.defaultTier(),
        config.routing(), phases, PrivacyGuard.of(config.routing().privacyPatterns()));
  }

  public Target target(String modelKey) {
    ModelConfig model = models.get(modelKey);
    return new Target(model, providers.get(model.provider()));
  }

  public boolean isLocal(String modelKey) {
    return providers.get(models.get(modelKey).provider()).local();
  }
}
