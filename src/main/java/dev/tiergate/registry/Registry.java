package dev.tiergate.registry;

import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.routing.Tier;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The model registry as loaded from one source: providers, models, the cloud model of each tier and the local model
 * of each tier that has one. Immutable; {@code RouterVerticle} builds routing snapshots from it.
 *
 * @param source      {@code conf} or {@code database}
 * @param tiers       the cloud model key serving each tier
 * @param localModels the local model key serving each tier that has one
 * @param loadedAt    when it was read
 */
public record Registry(String source, Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                       Map<Tier, String> tiers, Map<Tier, String> localModels, Instant loadedAt) {

  public Registry {
    Objects.requireNonNull(source, "source");
    providers = Map.copyOf(providers);
    models = Map.copyOf(models);
    tiers = Map.copyOf(tiers);
    localModels = Map.copyOf(localModels);
    Objects.requireNonNull(loadedAt, "loadedAt");
  }
}
