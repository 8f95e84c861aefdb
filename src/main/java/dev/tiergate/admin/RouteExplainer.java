package dev.tiergate.admin;

import dev.tiergate.http.GatewayException;
import dev.tiergate.routing.Balancer;
import dev.tiergate.routing.RouteDecision;
import dev.tiergate.routing.RouteHints;
import dev.tiergate.routing.RoutePlanner;
import dev.tiergate.routing.RoutingSnapshot;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.Turn;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /admin/route?model=…&tier=…&purpose=…&subAgent=…&phase=…&session=…&allowLocal=…&provider=…&prompt=…}:
 * plans a sample request with the live snapshot (without taking a round-robin turn) and shows which rule decided
 * each step — or the refusal a real request would get.
 */
final class RouteExplainer {

  private RouteExplainer() {
  }

  static JsonObject explain(MultiMap params, RoutingSnapshot snapshot, Balancer balancer) {
    String prompt = params.get("prompt");
    Conversation conversation = prompt == null ? null : new Conversation(null,
        List.of(new Turn(Turn.Role.USER, List.of(new Part.Text(prompt)))), List.of(), ToolChoice.AUTO,
        Sampling.DEFAULT, ResponseFormat.TEXT, false);
    String allowLocal = params.get("allowLocal");
    RouteHints hints = new RouteHints(params.get("model"), params.get("tier"), params.get("purpose"),
        params.get("subAgent"), params.get("phase"), params.get("session"),
        allowLocal == null ? null : Boolean.parseBoolean(allowLocal.toLowerCase(Locale.ROOT)), params.get("provider"),
        () -> conversation);
    try {
      RouteDecision decision = RoutePlanner.plan(hints, snapshot, balancer, false);
      JsonArray chain = new JsonArray();
      for (Target target : decision.chain()) {
        chain.add(new JsonObject().put("model", target.model().key()).put("provider", target.provider().name())
            .put("route", target.route()));
      }
      JsonObject body = new JsonObject().put("tier", decision.tier().wireName())
          .put("route", decision.primary().route()).put("pinned", decision.pinned()).put("chain", chain)
          .put("reasons", new JsonArray(decision.reasons()));
      if (decision.bucket() >= 0) {
        body.put("bucket", decision.bucket()).put("canaryStage", decision.canaryStage());
      }
      return body;
    } catch (GatewayException refused) {
      return new JsonObject().put("refused", new JsonObject().put("status", refused.status())
          .put("code", refused.code()).put("message", refused.getMessage()));
    }
  }
}
