package dev.tiergate.canary;

import dev.tiergate.bus.Addresses;
import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.config.ObservabilityConfig;
import dev.tiergate.provider.Redactor;
import dev.tiergate.registry.UsageLog;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.usage.AccessLog;
import dev.tiergate.usage.Pricing;
import dev.tiergate.usage.RequestMeters;
import dev.tiergate.usage.UsageQuery;
import dev.tiergate.usage.UsageReport;
import dev.tiergate.usage.UsageTotals;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Consumes one {@link CallOutcome} per request from {@link Addresses#OUTCOMES} and turns it, off the request path,
 * into: the canary's gate windows ({@link CanaryWatch}), the request meters on {@code /metrics}
 * ({@link RequestMeters}), the in-memory usage totals ({@link UsageTotals}), a {@code model_usage_log} row when a
 * database is configured ({@link UsageLog}) and an access-log line ({@link AccessLog}). The cost of each request is
 * computed once here, from the registry in force. Answers usage questions on {@link Addresses#USAGE_QUERY}.
 */
public final class MetricsVerticle extends VerticleBase {

  /** How long access lines wait to be written together. */
  private static final long ACCESS_FLUSH_MS = 200;

  private final MeterRegistry registry;
  private final Optional<DatabaseConfig> database;
  private final SnapshotHolder snapshots;
  private final ObservabilityConfig observability;
  private final Clock clock;
  private UsageLog usage;
  private CanaryWatch canary;
  private UsageTotals totals;
  private RequestMeters meters;
  private AccessLog accessLog;

  /**
   * @param database where usage rows go; empty = none are written
   * @param snapshots the registry in force, for prices
   */
  public MetricsVerticle(MeterRegistry registry, Optional<DatabaseConfig> database, SnapshotHolder snapshots,
                         ObservabilityConfig observability) {
    this.registry = registry;
    this.database = database;
    this.snapshots = snapshots;
    this.observability = observability;
    this.clock = Clock.systemUTC();
  }

  @Override
  public Future<?> start() {
    database.ifPresent(db -> usage = new UsageLog(vertx, db, registry, 10_000, 200, 1_000));
    canary = new CanaryWatch(vertx, snapshots, registry, clock, Duration.ofMinutes(5), 2_000);
    totals = new UsageTotals(clock, observability.usageRetentionMinutes());
    meters = observability.metrics() ? new RequestMeters(registry) : null;
    if (observability.accessLog()) {
      accessLog = new AccessLog(clock);
      vertx.setPeriodic(ACCESS_FLUSH_MS, id -> accessLog.flush());
    }
    nettyMemoryGauges();
    var outcomes = vertx.eventBus().<CallOutcome>localConsumer(Addresses.OUTCOMES, message -> record(message.body()));
    var queries = vertx.eventBus().<JsonObject>localConsumer(Addresses.USAGE_QUERY, this::answerUsage);
    return Future.all(outcomes.completion(), queries.completion());
  }

  /**
   * Direct memory of Netty's allocators, which the JVM's buffer-pool gauges do not see: the pooled allocator Vert.x
   * gives its connections, and Netty's default one.
   */
  private void nettyMemoryGauges() {
    allocatorGauge("vertx", VertxByteBufAllocator.POOLED_ALLOCATOR);
    if (ByteBufAllocator.DEFAULT != VertxByteBufAllocator.POOLED_ALLOCATOR) {
      allocatorGauge("netty", ByteBufAllocator.DEFAULT);
    }
  }

  private void allocatorGauge(String name, ByteBufAllocator allocator) {
    if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
      Gauge.builder("tiergate.netty.direct.memory", provider, p -> p.metric().usedDirectMemory())
          .baseUnit("bytes").description("Direct memory held by a Netty allocator")
          .tag("allocator", name).register(registry);
    }
  }

  @Override
  public Future<?> stop() {
    if (accessLog != null) {
      accessLog.flush();
    }
    return usage == null ? Future.succeededFuture() : usage.close();
  }

  private void record(CallOutcome outcome) {
    double cost = Pricing.cost(outcome, snapshots.current().models());
    canary.record(outcome);
    totals.add(outcome, cost);
    if (usage != null) {
      usage.record(outcome, cost);
    }
    if (meters != null) {
      meters.record(outcome, cost);
    }
    if (accessLog != null) {
      accessLog.write(outcome, cost);
    }
  }

  /** Memory unless the database is asked for, or is the default because one is configured. */
  private void answerUsage(Message<JsonObject> message) {
    JsonObject body = message.body();
    UsageQuery.Source source = body.getString("source") == null
        ? (usage != null ? UsageQuery.Source.DATABASE : UsageQuery.Source.MEMORY)
        : UsageQuery.Source.valueOf(body.getString("source"));
    UsageQuery query = new UsageQuery(Instant.parse(body.getString("since")),
        UsageQuery.Dimension.valueOf(body.getString("by")), source);
    if (source == UsageQuery.Source.MEMORY) {
      message.reply(totals.query(query.since(), query.by()).toJson());
      return;
    }
    if (usage == null) {
      message.fail(400, "No database is configured: usage totals are in memory only (source=memory)");
      return;
    }
    usage.query(query, clock)
        .map(UsageReport::toJson)
        .onSuccess(message::reply)
        .onFailure(e -> message.fail(503, "The usage log cannot be read: " + Redactor.clip(String.valueOf(e.getMessage()))));
  }
}
