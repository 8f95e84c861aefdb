package dev.tiergate.canary;

import dev.tiergate.bus.Addresses;
import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.registry.UsageLog;
import dev.tiergate.routing.SnapshotHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Consumes one {@link CallOutcome} per request from {@link Addresses#OUTCOMES} and keeps the request counters, latency
 * timers and token totals in the injected Micrometer registry. The rolling canary gate windows will live here too.
 * Labels are bounded: provider, model and route come from configuration, status and error class from a fixed set.
 * Meters are looked up once per label set and cached: building tags per request costs more than the counting. With a
 * database, each outcome also becomes a usage row and a canary metrics row, written in batches ({@link UsageLog}).
 */
public final class MetricsVerticle extends VerticleBase {

  private final MeterRegistry registry;
  private final Optional<DatabaseConfig> database;
  private final SnapshotHolder snapshots;
  private final Map<Labels, Meters> meters = new HashMap<>();
  private MessageConsumer<CallOutcome> consumer;
  private UsageLog usage;
  private CanaryWatch canary;

  /** One label set of the request counter. */
  private record Labels(String format, String provider, String model, String route, int status, String error,
                        boolean stream, boolean fallback) {
  }

  /** The meters an outcome with given labels updates. */
  private record Meters(Counter requests, Timer duration, Timer ttft, Counter promptTokens, Counter completionTokens,
                        Counter reasoningStripped) {
  }

  /**
   * @param database where usage rows go; empty = none are written
   * @param snapshots the registry in force, for prices
   */
  public MetricsVerticle(MeterRegistry registry, Optional<DatabaseConfig> database, SnapshotHolder snapshots) {
    this.registry = registry;
    this.database = database;
    this.snapshots = snapshots;
  }

  @Override
  public Future<?> start() {
    database.ifPresent(db -> usage = new UsageLog(vertx, db, () -> snapshots.current().models(), registry, 10_000,
        200, 1_000));
    canary = new CanaryWatch(vertx, snapshots, registry, Clock.systemUTC(), Duration.ofMinutes(5), 2_000);
    consumer = vertx.eventBus().localConsumer(Addresses.OUTCOMES, message -> record(message.body()));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return usage == null ? Future.succeededFuture() : usage.close();
  }

  private void record(CallOutcome outcome) {
    canary.record(outcome);
    if (usage != null) {
      usage.record(outcome);
    }
    Labels labels = new Labels(outcome.clientFormat(), outcome.provider(), outcome.model(), outcome.route(),
        outcome.status(),
        outcome.errorClass() == null ? "none" : outcome.errorClass(), outcome.stream(), outcome.fallback());
    Meters m = meters.computeIfAbsent(labels, this::register);
    m.requests().increment();
    m.duration().record((long) (outcome.durationMs() * 1e6), TimeUnit.NANOSECONDS);
    if (outcome.ttftMs() >= 0) {
      m.ttft().record((long) (outcome.ttftMs() * 1e6), TimeUnit.NANOSECONDS);
    }
    if (outcome.promptTokens() > 0) {
      m.promptTokens().increment(outcome.promptTokens());
    }
    if (outcome.completionTokens() > 0) {
      m.completionTokens().increment(outcome.completionTokens());
    }
    if (outcome.reasoningStripped()) {
      m.reasoningStripped().increment();
    }
  }

  private Meters register(Labels l) {
    String stream = Boolean.toString(l.stream());
    return new Meters(
        Counter.builder("tiergate.requests")
            .description("Completed requests by outcome")
            .tags("format", l.format(), "provider", l.provider(), "model", l.model(), "route", l.route(),
                "status", Integer.toString(l.status()), "error", l.error(), "stream", stream,
                "fallback", Boolean.toString(l.fallback()))
            .register(registry),
        Timer.builder("tiergate.request.duration")
            .tags("provider", l.provider(), "route", l.route(), "stream", stream)
            .register(registry),
        Timer.builder("tiergate.ttft")
            .description("Time to first content byte sent to the client")
            .tags("provider", l.provider(), "route", l.route())
            .register(registry),
        tokens("prompt", l),
        tokens("completion", l),
        Counter.builder("tiergate.reasoning.stripped")
            .description("Answers from which <think> blocks were removed")
            .tags("provider", l.provider(), "model", l.model())
            .register(registry));
  }

  private Counter tokens(String kind, Labels l) {
    return Counter.builder("tiergate.tokens")
        .tags("kind", kind, "provider", l.provider(), "model", l.model())
        .register(registry);
  }
}
