package dev.tiergate.routing;

import dev.tiergate.http.GatewayException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pure routing: hints + snapshot in, {@link RouteDecision} out. No I/O, no state; safe on any thread.
 */
public final class RoutePlanner {

  private static final String TIER_PREFIX = "tier:";
  private static final String PURPOSE_PREFIX = "purpose:";

  private RoutePlanner() {
  }

  /** Plans a request, or throws a 404 {@link GatewayException} for a model the snapshot does not know. */
  public static RouteDecision plan(RouteHints hints, RoutingSnapshot snapshot) {
    String model = hints.model() == null ? "auto" : hints.model().trim();
    if (snapshot.models().containsKey(model)) {
      return decision(snapshot, snapshot.models().get(model).tier(), model, true);
    }
    Tier tier;
    if (model.isEmpty() || model.equals("auto")) {
      tier = Tier.fromWire(hints.tier())
          .or(() -> Purposes.tierOf(hints.purpose()))
          .orElse(snapshot.defaultTier());
    } else if (model.startsWith(TIER_PREFIX)) {
      tier = Tier.fromWire(model.substring(TIER_PREFIX.length())).orElseThrow(() -> unknownModel(model));
    } else if (model.startsWith(PURPOSE_PREFIX)) {
      tier = Purposes.tierOf(model.substring(PURPOSE_PREFIX.length())).orElseThrow(() -> unknownModel(model));
    } else {
      throw unknownModel(model);
    }
    return decision(snapshot, tier, snapshot.tiers().get(tier), false);
  }

  private static RouteDecision decision(RoutingSnapshot snapshot, Tier tier, String modelKey, boolean pinned) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add(modelKey);
    keys.addAll(snapshot.models().get(modelKey).fallbacks());
    List<Target> chain = new ArrayList<>(keys.size());
    for (String key : keys) {
      chain.add(snapshot.target(key));
    }
    return new RouteDecision(tier, chain, pinned);
  }

  private static GatewayException unknownModel(String model) {
    return GatewayException.notFound("model_not_found",
        "The model '" + clip(model) + "' does not exist or is not routable here; see GET /v1/models");
  }

  private static String clip(String value) {
    return value.length() > 200 ? value.substring(0, 200) + "…" : value;
  }
}
