package dev.tiergate.canary;

import dev.tiergate.bus.Addresses;
import dev.tiergate.bus.CallOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;

/**
 * Consumes one {@link CallOutcome} per request from {@link Addresses#OUTCOMES} and keeps the request counters, latency
 * timers and token totals in the injected Micrometer registry. The rolling canary gate windows will live here too.
 * Labels are bounded: provider, model and route come from configuration, status and error class from a fixed set.
 */
public final class MetricsVerticle extends VerticleBase {

  private final MeterRegistry registry;
  private MessageConsumer<CallOutcome> consumer;

  public MetricsVerticle(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(Addresses.OUTCOMES, message -> record(message.body()));
    return consumer.completion();
  }

  private void record(CallOutcome outcome) {
    String error = outcome.errorClass() == null ? "none" : outcome.errorClass();
    Counter.builder("tiergate.requests")
        .description("Completed requests by outcome")
        .tags("provider", outcome.provider(), "model", outcome.model(), "route", outcome.route(),
            "status", Integer.toString(outcome.status()), "error", error, "stream", Boolean.toString(outcome.stream()),
            "fallback", Boolean.toString(outcome.fallback()))
        .register(registry).increment();
    Timer.builder("tiergate.request.duration")
        .tags("provider", outcome.provider(), "route", outcome.route(), "stream", Boolean.toString(outcome.stream()))
        .register(registry).record(Duration.ofNanos((long) (outcome.durationMs() * 1e6)));
    if (outcome.ttftMs() >= 0) {
      Timer.builder("tiergate.ttft")
          .description("Time to first content byte sent to the client")
          .tags("provider", outcome.provider(), "route", outcome.route())
          .register(registry).record(Duration.ofNanos((long) (outcome.ttftMs() * 1e6)));
    }
    tokens("prompt", outcome, outcome.promptTokens());
    tokens("completion", outcome, outcome.completionTokens());
  }

  private void tokens(String kind, CallOutcome outcome, long count) {
    if (count > 0) {
      Counter.builder("tiergate.tokens")
          .tags("kind", kind, "provider", outcome.provider(), "model", outcome.model())
          .register(registry).increment(count);
    }
  }
}
