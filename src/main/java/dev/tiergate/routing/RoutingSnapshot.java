package dev.tiergate.routing;

import dev.tiergate.config.GatewayConfig;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.RoutingConfig;
import dev.tiergate.registry.Registry;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable view of everything routing needs. Built by {@link RouterVerticle} only and swapped in whole; the hot path
 * reads it without locks.
 *
 * @param version  increases with every new snapshot
 * @param routing  the policy: local, privacy, airgap, canary, pools (its local models are the registry's)
 * @param phases   the sub-agent × phase table
 * @param privacy  the compiled privacy patterns
 * @param source   where the registry came from: {@code conf} or {@code database}
 * @param loadedAt when the registry was read
 */
public record RoutingSnapshot(long version, Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                              Map<Tier, String> tiers, Tier defaultTier, RoutingConfig routing, PhaseRouting phases,
                              PrivacyGuard privacy, String source, Instant loadedAt) {

  public RoutingSnapshot {
    providers = Map.copyOf(providers);
    models = Map.copyOf(models);
    tiers = Map.copyOf(tiers);
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(phases, "phases");
    Objects.requireNonNull(privacy, "privacy");
  }

  /** A snapshot of the configuration's own registry. */
  public static RoutingSnapshot fromConfig(long version, GatewayConfig config, PhaseRouting phases) {
    return of(version, config, new Registry("conf", config.providers(), config.models(), config.tiers(),
        config.routing().localModels(), Instant.now()), phases, PrivacyGuard.of(config.routing().privacyPatterns()));
  }

  /** A snapshot of {@code registry} under the configuration's policy. */
  public static RoutingSnapshot of(long version, GatewayConfig config, Registry registry, PhaseRouting phases,
                                   PrivacyGuard privacy) {
    return of(version, config, registry, phases, privacy, config.routing().canary().stage());
  }

  /** A snapshot of {@code registry} under the configuration's policy, with the canary at {@code canaryStage}. */
  public static RoutingSnapshot of(long version, GatewayConfig config, Registry registry, PhaseRouting phases,
                                   PrivacyGuard privacy, int canaryStage) {
    return new RoutingSnapshot(version, registry.providers(), registry.models(), registry.tiers(),
        config.defaultTier(), config.routing().withLocalModels(registry.localModels()).withCanaryStage(canaryStage),
        phases, privacy, registry.source(), registry.loadedAt());
  }

  public Target target(String modelKey) {
    ModelConfig model = models.get(modelKey);
    return new Target(model, providers.get(model.provider()));
  }

  public boolean isLocal(String modelKey) {
    return providers.get(models.get(modelKey).provider()).local();
  }
}
