package dev.tiergate.config;

import dev.tiergate.routing.Tier;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The routing policy beyond the tier table: when traffic may go local, privacy and airgap, the canary share, how the
 * models of a tier are balanced, and how hard the chain tries (see {@link ResilienceConfig}).
 *
 * @param useLocal          {@code USE_LOCAL_LLM}: eligible traffic may go to local models at all
 * @param localEligible     tiers that may be served locally (haiku by default); opus never is, whatever this says
 * @param localModels       the local model key serving each tier that has one
 * @param localFallback     {@code OLLAMA_FALLBACK_ENABLED}: a failed local call falls back to the tier's cloud models
 * @param modelFallbacks    {@code LLM_ENABLE_FALLBACK}: follow each model's configured fallbacks
 * @param airgap            {@code LLM_AIRGAP_MODE}: no request ever reaches a cloud provider
 * @param classify          propose a tier from the prompt when a request gives no hint
 * @param canary            the local canary share
 * @param privacyPatterns   {@code name=regex} (or a bare regex): prompts matching one are served locally or refused
 * @param pools             per tier, the equivalent cloud models and how they are balanced; a tier without a pool
 *                          is served by its {@code tiers} model
 * @param preferredProvider {@code LLM_DEFAULT_PROVIDER}: within a pool, this provider's models come first; null = none
 * @param phaseRoutingFile  sub-agent × phase table ({@code conf/phase-model-routing.json}), null when none
 */
public record RoutingConfig(boolean useLocal, Set<Tier> localEligible, Map<Tier, String> localModels,
                            boolean localFallback, boolean modelFallbacks, boolean airgap, boolean classify,
                            CanaryConfig canary, List<String> privacyPatterns, Map<Tier, TierPool> pools,
                            String preferredProvider, String phaseRoutingFile, ResilienceConfig resilience) {

  public RoutingConfig {
    localEligible = Set.copyOf(localEligible);
    localModels = Map.copyOf(localModels);
    privacyPatterns = List.copyOf(privacyPatterns);
    pools = Map.copyOf(pools);
    Objects.requireNonNull(canary, "canary");
    Objects.requireNonNull(resilience, "resilience");
  }

  /** The same policy with the local model of each tier taken from a registry. */
  public RoutingConfig withLocalModels(Map<Tier, String> models) {
    return new RoutingConfig(useLocal, localEligible, models, localFallback, modelFallbacks, airgap, classify, canary,
        privacyPatterns, pools, preferredProvider, phaseRoutingFile, resilience);
  }

  /** The same policy with the canary at {@code stage} (the canary state machine's, not the configured start). */
  public RoutingConfig withCanaryStage(int stage) {
    return new RoutingConfig(useLocal, localEligible, localModels, localFallback, modelFallbacks, airgap, classify,
        new CanaryConfig(canary.enabled(), stage, canary.stages()), privacyPatterns, pools, preferredProvider,
        phaseRoutingFile, resilience);
  }

  /** The canary: with it enabled, an eligible request goes local when its bucket is below the stage. */
  public record CanaryConfig(boolean enabled, int stage, List<Integer> stages) {

    public CanaryConfig {
      stages = List.copyOf(stages);
      Checks.range("routing.canary.stage", stage, 0, 100);
      for (int s : stages) {
        Checks.range("routing.canary.stages", s, 0, 100);
      }
    }
  }

  /** How the models of a tier share its traffic. */
  public enum Balance {
    /** In the order listed (the preferred provider's first). */
    PRIORITY,
    /** Smooth weighted round robin over the listed weights. */
    WEIGHTED,
    /** Lowest moving average of time to first token first (untried models first, to learn them). */
    LEAST_LATENCY,
    /** Lowest price per 1k tokens (input + output) first. */
    LOWEST_COST;

    public static Balance parse(String key, String value) {
      for (Balance balance : values()) {
        if (balance.name().equalsIgnoreCase(value.replace('-', '_'))) {
          return balance;
        }
      }
      throw new ConfigException(key, "must be priority, weighted, least_latency or lowest_cost, got '" + value + "'");
    }
  }

  /**
   * The equivalent cloud models of one tier.
   *
   * @param weights one per model, for {@link Balance#WEIGHTED}; all 1 otherwise
   */
  public record TierPool(Balance balance, List<String> models, List<Integer> weights) {

    public TierPool {
      models = List.copyOf(models);
      weights = List.copyOf(weights);
      if (models.isEmpty() || models.size() != weights.size()) {
        throw new IllegalArgumentException("a pool needs models and one weight each");
      }
    }
  }
}
