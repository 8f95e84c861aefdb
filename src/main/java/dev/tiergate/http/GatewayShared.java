package dev.tiergate.http;

import dev.tiergate.provider.Breakers;
import dev.tiergate.provider.HealthBoard;
import dev.tiergate.routing.Balancer;
import dev.tiergate.routing.LatencyBoard;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.security.KeyLimiter;
import dev.tiergate.security.LoadShedder;

/**
 * The state every verticle of one gateway shares, each piece with a single writer or lock-free updates: the routing
 * snapshot, provider health, latency averages and the balancer built on them, the retry budget and the circuit
 * breakers.
 */
public record GatewayShared(SnapshotHolder snapshots, HealthBoard health, LatencyBoard latency, Balancer balancer,
                            RetryBudget retryBudget, Breakers breakers, Observation observation,
                            LoadShedder shedder, KeyLimiter limiter) {
}
