package dev.tiergate.http;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.StreamingConfig;
import dev.tiergate.provider.Breakers;
import dev.tiergate.provider.Upstreams;
import dev.tiergate.routing.LatencyBoard;
import java.util.function.Consumer;

/**
 * What every call of one HTTP verticle uses: its upstream clients, the relay settings, the error writer and the
 * outcome sink (its own), and the resilience state shared by all event loops (retry policy and budget, circuit
 * breakers, latency averages).
 *
 * @param chainDeadlineMs one deadline for a call's whole chain, until its answer starts
 * @param observation     per-chunk recorders and the prompt-excerpt switch
 */
record CallServices(Upstreams upstreams, StreamingConfig streaming, ErrorResponder errors,
                    Consumer<CallOutcome> outcomes, RetryPolicy retryPolicy, RetryBudget retryBudget,
                    Breakers breakers, LatencyBoard latency, long chainDeadlineMs, Observation observation) {
}
