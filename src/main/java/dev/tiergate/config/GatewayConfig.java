package dev.tiergate.config;

import dev.tiergate.routing.Tier;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated configuration, loaded once by {@code Main} and passed to constructors.
 *
 * @param health      provider health checks
 * @param tiers       the model key serving each tier
 * @param defaultTier tier used when a request gives no hint ({@code model: auto} or absent)
 * @param routing     the routing policy: local, privacy, airgap, canary, pools, resilience
 * @param database    PostgreSQL for the registry and state ({@code DATABASE_URL}); empty = the embedded default
 * @param registryCacheMs how long a loaded registry is served before it is read again (changes notified by the
 *                    database are picked up at once)
 * @param clientKeys  keys clients must present; empty = no client auth
 * @param clientKeyPolicy limits of the keys from {@code TIERGATE_CLIENT_KEYS}, and whether auth is always on
 * @param observability meters, access log and usage totals
 */
public record GatewayConfig(HttpConfig http, AdminConfig admin, StreamingConfig streaming, HealthConfig health,
                            Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                            Map<Tier, String> tiers, Tier defaultTier, RoutingConfig routing,
                            Optional<DatabaseConfig> database, long registryCacheMs, List<Secret> clientKeys,
                            ClientKeyPolicy clientKeyPolicy, ObservabilityConfig observability) {

  public GatewayConfig {
    providers = Map.copyOf(providers);
    models = Map.copyOf(models);
    tiers = Map.copyOf(tiers);
    clientKeys = List.copyOf(clientKeys);
    validateReferences(providers, models, tiers);
  }

  private static void validateReferences(Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                                         Map<Tier, String> tiers) {
    for (ModelConfig model : models.values()) {
      if (!providers.containsKey(model.provider())) {
        throw new ConfigException("models." + model.key() + ".provider", "unknown provider '" + model.provider() + "'");
      }
      for (String fallback : model.fallbacks()) {
        if (!models.containsKey(fallback)) {
          throw new ConfigException("models." + model.key() + ".fallbacks", "unknown model '" + fallback + "'");
        }
      }
    }
    for (Tier tier : Tier.values()) {
      String key = tiers.get(tier);
      if (key == null) {
        throw new ConfigException("tiers." + tier.wireName(), "missing: every tier needs a model");
      }
      if (!models.containsKey(key)) {
        throw new ConfigException("tiers." + tier.wireName(), "unknown model '" + key + "'");
      }
    }
  }
}
