package dev.tiergate.routing;

import java.util.List;

/**
 * The routing plan for one request: its tier and the targets to try in order (primary first, then fallbacks).
 *
 * @param pinned whether the client named a registry model
 */
public record RouteDecision(Tier tier, List<Target> chain, boolean pinned) {

  public RouteDecision {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one target");
    }
  }

  public Target primary() {
    return chain.getFirst();
  }
}
