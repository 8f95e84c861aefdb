package dev.tiergate.routing;

import java.util.List;

/**
 * The routing plan for one request: its tier, the targets to try in order (primary first, then fallbacks), and why.
 *
 * @param pinned      whether the client named a registry model or a provider
 * @param bucket      the canary bucket (0–99) when the canary decided, else -1
 * @param canaryStage the canary stage in force when the canary decided, else -1
 * @param reasons     each rule that decided a step, in order, for headers, logs and {@code /admin/route}
 */
public record RouteDecision(Tier tier, List<Target> chain, boolean pinned, int bucket, int canaryStage,
                            List<String> reasons) {

  public RouteDecision {
    chain = List.copyOf(chain);
    reasons = List.copyOf(reasons);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one target");
    }
  }

  public Target primary() {
    return chain.getFirst();
  }
}
