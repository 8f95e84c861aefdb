package dev.tiergate.usage;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.ModelConfig;
import java.util.Map;

/** The cost of a finished request at the registry's prices: local answers cost nothing, unknown models nothing. */
public final class Pricing {

  private Pricing() {
  }

  public static double cost(CallOutcome outcome, Map<String, ModelConfig> models) {
    if ("local".equals(outcome.route())) {
      return 0;
    }
    ModelConfig model = models.get(outcome.model());
    return model == null ? 0 : model.cost(outcome.promptTokens(), outcome.completionTokens());
  }
}
