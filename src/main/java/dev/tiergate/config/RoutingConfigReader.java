package dev.tiergate.config;

import static dev.tiergate.config.ConfigLoader.array;
import static dev.tiergate.config.ConfigLoader.bool;
import static dev.tiergate.config.ConfigLoader.integer;
import static dev.tiergate.config.ConfigLoader.longValue;
import static dev.tiergate.config.ConfigLoader.object;
import static dev.tiergate.config.ConfigLoader.string;

import dev.tiergate.routing.Tier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the {@code routing} section and its environment overrides (names from CONTRACT.md). */
final class RoutingConfigReader {

  private final Map<String, String> env;

  RoutingConfigReader(Map<String, String> env) {
    this.env = env;
  }

  /**
   * @param models the registry so far; {@code OLLAMA_MODEL} naming a model it lacks adds that model on the first
   *               local Ollama provider, so that setting one variable is enough to try a new local model
   */
  RoutingConfig read(JsonObject root, Map<String, ModelConfig> models, Map<String, ProviderConfig> providers) {
    JsonObject json = object(root, "routing");
    Set<Tier> eligible = EnumSet.noneOf(Tier.class);
    JsonArray eligibleJson = json.containsKey("localEligibleTiers") ? array(json, "routing.localEligibleTiers")
        : new JsonArray().add("haiku");
    for (int i = 0; i < eligibleJson.size(); i++) {
      eligible.add(Tier.parseConfig("routing.localEligibleTiers[" + i + "]", String.valueOf(eligibleJson.getValue(i))));
    }
    Map<Tier, String> localModels = localModels(json, models, providers);
    RoutingConfig.CanaryConfig canary = canary(object(json, "routing.canary"));
    List<String> privacy = new ArrayList<>();
    JsonArray patterns = array(json, "routing.privacyPatterns");
    for (int i = 0; i < patterns.size(); i++) {
      if (!(patterns.getValue(i) instanceof String pattern)) {
        throw new ConfigException("routing.privacyPatterns[" + i + "]", "must be a string");
      }
      privacy.add(pattern);
    }
    return new RoutingConfig(
        flag("USE_LOCAL_LLM", bool(json, "routing.useLocal", false)),
        eligible, localModels,
        flag("OLLAMA_FALLBACK_ENABLED", bool(json, "routing.localFallback", true)),
        flag("LLM_ENABLE_FALLBACK", bool(json, "routing.modelFallbacks", true)),
        flag("LLM_AIRGAP_MODE", bool(json, "routing.airgap", false)),
        bool(json, "routing.classify", true), canary, privacy, pools(object(json, "routing.pools"), models),
        preferredProvider(json, providers), string(json, "routing.phaseRoutingFile", null),
        resilience(object(json, "routing.resilience")));
  }

  private Map<Tier, String> localModels(JsonObject json, Map<String, ModelConfig> models,
                                        Map<String, ProviderConfig> providers) {
    Map<Tier, String> local = new EnumMap<>(Tier.class);
    JsonObject configured = object(json, "routing.localModels");
    for (String name : configured.fieldNames()) {
      String key = "routing.localModels." + name;
      local.put(Tier.parseConfig(key, name), localModel(key, string(configured, key, null), models, providers));
    }
    String ollamaModel = env.get("OLLAMA_MODEL");
    if (ollamaModel != null && !ollamaModel.isBlank()) {
      String name = ollamaModel.trim();
      if (!models.containsKey(name)) {
        ProviderConfig ollama = providers.values().stream()
            .filter(p -> p.local() && p.family() == ProviderFamily.OLLAMA).findFirst()
            .orElseThrow(() -> new ConfigException("OLLAMA_MODEL", "no local provider of family ollama to serve it"));
        models.put(name, new ModelConfig(name, ollama.name(), name, Tier.HAIKU, List.of(), false, true, 0, 0, 0));
      }
      local.put(Tier.HAIKU, localModel("OLLAMA_MODEL", name, models, providers));
    }
    return local;
  }

  private static String localModel(String key, String model, Map<String, ModelConfig> models,
                                   Map<String, ProviderConfig> providers) {
    ModelConfig config = models.get(model);
    if (config == null) {
      throw new ConfigException(key, "unknown model '" + model + "'");
    }
    if (!providers.get(config.provider()).local()) {
      throw new ConfigException(key, "model '" + model + "' is not served by a local provider");
    }
    return model;
  }

  private static RoutingConfig.CanaryConfig canary(JsonObject json) {
    List<Integer> stages = new ArrayList<>();
    JsonArray configured = json.containsKey("stages") ? array(json, "routing.canary.stages")
        : new JsonArray(List.of(0, 5, 25, 50, 100));
    for (int i = 0; i < configured.size(); i++) {
      if (!(configured.getValue(i) instanceof Number number)) {
        throw new ConfigException("routing.canary.stages[" + i + "]", "must be a number");
      }
      stages.add(number.intValue());
    }
    return new RoutingConfig.CanaryConfig(bool(json, "routing.canary.enabled", false),
        integer(json, "routing.canary.stage", 0), stages);
  }

  private static Map<Tier, RoutingConfig.TierPool> pools(JsonObject json, Map<String, ModelConfig> models) {
    Map<Tier, RoutingConfig.TierPool> pools = new EnumMap<>(Tier.class);
    for (String name : json.fieldNames()) {
      String key = "routing.pools." + name;
      JsonObject pool = object(json, key, name);
      RoutingConfig.Balance balance = RoutingConfig.Balance.parse(key + ".balance",
          string(pool, key + ".balance", "priority"));
      List<String> keys = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      Object listed = pool.getValue("models");
      if (listed instanceof JsonObject weighted) {
        for (String model : weighted.fieldNames()) {
          keys.add(model);
          weights.add(integer(weighted, key + ".models." + model, 1));
        }
      } else {
        JsonArray array = array(pool, key + ".models");
        for (int i = 0; i < array.size(); i++) {
          keys.add(String.valueOf(array.getValue(i)));
          weights.add(1);
        }
      }
      if (keys.isEmpty()) {
        throw new ConfigException(key + ".models", "needs at least one model");
      }
      for (int i = 0; i < keys.size(); i++) {
        if (!models.containsKey(keys.get(i))) {
          throw new ConfigException(key + ".models", "unknown model '" + keys.get(i) + "'");
        }
        Checks.atLeast(key + ".models." + keys.get(i), weights.get(i), 1);
      }
      pools.put(Tier.parseConfig(key, name), new RoutingConfig.TierPool(balance, keys, weights));
    }
    return pools;
  }

  private String preferredProvider(JsonObject json, Map<String, ProviderConfig> providers) {
    String value = env.get("LLM_DEFAULT_PROVIDER");
    String key = "LLM_DEFAULT_PROVIDER";
    if (value == null || value.isBlank()) {
      value = string(json, "routing.preferredProvider", null);
      key = "routing.preferredProvider";
    }
    if (value == null || value.isBlank()) {
      return null;
    }
    String name = value.trim().toLowerCase(Locale.ROOT);
    if (!providers.containsKey(name)) {
      throw new ConfigException(key, "unknown provider '" + value + "'");
    }
    return name;
  }

  private static ResilienceConfig resilience(JsonObject json) {
    String p = "routing.resilience.";
    Object ratio = json.getValue("retryBudgetRatio");
    if (ratio != null && !(ratio instanceof Number)) {
      throw new ConfigException(p + "retryBudgetRatio", "must be a number");
    }
    return new ResilienceConfig(longValue(json, p + "chainDeadlineMs", 150_000),
        integer(json, p + "maxAttemptsPerTarget", 3), longValue(json, p + "baseDelayMs", 100),
        longValue(json, p + "maxDelayMs", 2_000), longValue(json, p + "retryAfterCapMs", 5_000),
        ratio == null ? 0.2 : ((Number) ratio).doubleValue(), integer(json, p + "retryBudgetMin", 3),
        integer(json, p + "breakerMaxFailures", 5), longValue(json, p + "breakerResetMs", 30_000),
        longValue(json, p + "breakerWindowMs", 10_000));
  }

  private boolean flag(String name, boolean fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigException(name, "must be true or false, got '" + value + "'");
    };
  }
}
