package dev.tiergate.admin;

import dev.tiergate.config.ModelConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.routing.Balancer;
import dev.tiergate.routing.RouteDecision;
import dev.tiergate.routing.RouteHints;
import dev.tiergate.routing.RoutePlanner;
import dev.tiergate.routing.RoutingSnapshot;
import dev.tiergate.routing.Target;
import dev.tiergate.usage.TokenEstimate;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Conversation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code POST /admin/estimate}: what a request would cost before anything is sent. The prompt's tokens are estimated
 * ({@link TokenEstimate}); the completion is priced at the request's {@code max_tokens} (the most it can cost), or at
 * an assumed length when the request sets none. Each candidate is priced: the targets the live routing plan would try
 * (primary, then fallbacks), or every registry model with {@code scope=all}.
 */
final class CostEstimator {

  /** Completion length priced when the request sets no {@code max_tokens}. */
  static final int ASSUMED_COMPLETION_TOKENS = 1_024;

  private CostEstimator() {
  }

  static JsonObject estimate(ChatRequest request, RouteHints hints, RoutingSnapshot snapshot, Balancer balancer,
                             boolean allModels) {
    Conversation conversation = request.promptView();
    long prompt = TokenEstimate.prompt(conversation);
    Integer maxTokens = conversation.sampling().maxTokens();
    long completion = maxTokens != null ? maxTokens : ASSUMED_COMPLETION_TOKENS;
    JsonObject body = new JsonObject().put("estimated", true).put("method", "chars/4 + 4 per message")
        .put("promptTokens", prompt).put("completionTokens", completion)
        .put("completionTokensFrom", maxTokens != null ? "max_tokens" : "assumed");
    List<Target> candidates = new ArrayList<>();
    try {
      RouteDecision decision = RoutePlanner.plan(hints, snapshot, balancer, false);
      body.put("tier", decision.tier().wireName()).put("route", decision.primary().route());
      candidates.addAll(decision.chain());
    } catch (GatewayException refused) {
      body.put("refused", new JsonObject().put("status", refused.status()).put("code", refused.code())
          .put("message", refused.getMessage()));
    }
    JsonArray priced = new JsonArray();
    if (allModels) {
      for (ModelConfig model : new TreeMap<>(snapshot.models()).values()) {
        priced.add(price(model, snapshot.providers().get(model.provider()).local(), prompt, completion));
      }
    } else {
      candidates.forEach(t -> priced.add(price(t.model(), t.provider().local(), prompt, completion)));
    }
    return body.put("candidates", priced);
  }

  private static JsonObject price(ModelConfig model, boolean local, long prompt, long completion) {
    double promptCost = local ? 0 : model.cost(prompt, 0);
    double completionCost = local ? 0 : model.cost(0, completion);
    JsonObject entry = new JsonObject().put("model", model.key()).put("provider", model.provider())
        .put("tier", model.tier().wireName()).put("local", local)
        .put("price", new JsonObject().put("inputPer1k", local ? 0.0 : model.inputPricePer1k())
            .put("outputPer1k", local ? 0.0 : model.outputPricePer1k()))
        .put("promptCostUsd", round(promptCost)).put("completionCostUsd", round(completionCost))
        .put("totalCostUsd", round(promptCost + completionCost));
    if (model.contextTokens() > 0) {
      entry.put("contextTokens", model.contextTokens()).put("fitsContext", prompt + completion <= model.contextTokens());
    }
    return entry;
  }

  private static double round(double usd) {
    return Math.round(usd * 1e8) / 1e8;
  }
}
