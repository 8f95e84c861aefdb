package dev.tiergate.routing;

import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.RoutingConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders the equivalent models of a tier for one request: priority, weighted round robin, least latency or lowest
 * cost. The first model is the one tried; the others follow as fallbacks. Shared by every event loop; lock-free.
 */
public final class Balancer {

  private final LatencyBoard latency;
  private final Map<Tier, AtomicLong> turns = new ConcurrentHashMap<>();

  public Balancer(LatencyBoard latency) {
    this.latency = latency;
  }

  /**
   * @param advance whether this call takes a turn of the round robin (false for explanations)
   */
  public List<String> order(Tier tier, RoutingConfig.TierPool pool, String preferredProvider,
                            Map<String, ModelConfig> models, boolean advance) {
    List<String> ordered = new ArrayList<>(pool.models());
    if (preferredProvider != null) {
      ordered.sort(Comparator.comparing(key -> !preferredProvider.equals(models.get(key).provider())));
    }
    switch (pool.balance()) {
      case PRIORITY -> {
      }
      case WEIGHTED -> rotateToWeightedPick(tier, pool, ordered, advance);
      case LEAST_LATENCY -> ordered.sort(Comparator.comparingDouble(latency::average));
      case LOWEST_COST -> ordered.sort(Comparator.comparingDouble(key -> models.get(key).inputPricePer1k()
          + models.get(key).outputPricePer1k()));
    }
    return ordered;
  }

  /** Picks by cumulative weight from a per-tier turn counter; the other models keep their order behind it. */
  private void rotateToWeightedPick(Tier tier, RoutingConfig.TierPool pool, List<String> ordered, boolean advance) {
    int total = pool.weights().stream().mapToInt(Integer::intValue).sum();
    AtomicLong counter = turns.computeIfAbsent(tier, t -> new AtomicLong());
    long turn = Math.floorMod(advance ? counter.getAndIncrement() : counter.get(), total);
    String pick = pool.models().getLast();
    long cumulative = 0;
    for (int i = 0; i < pool.models().size(); i++) {
      cumulative += pool.weights().get(i);
      if (turn < cumulative) {
        pick = pool.models().get(i);
        break;
      }
    }
    ordered.remove(pick);
    ordered.addFirst(pick);
  }
}
