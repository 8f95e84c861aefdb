package dev.tiergate.registry;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.config.ModelConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one {@code model_usage_log} and one {@code llm_canary_metrics} row per finished request, in batches, off the
 * request path. Rows wait in a bounded queue; a batch goes out every {@code flushMs} or when full. When the database
 * is slow or away the queue fills and further rows are dropped and counted ({@code tiergate.usage.dropped}): a
 * request never waits for the database. Used on the metrics verticle's event loop only.
 */
public final class UsageLog {

  private static final Logger LOG = LoggerFactory.getLogger(UsageLog.class);
  private static final String USAGE = "INSERT INTO model_usage_log (request_id, client_key_id, provider_key, model_key,"
      + " leo_tier, route, prompt_tokens, completion_tokens, tokens_estimated, cost_usd, status, error_class, ttft_ms,"
      + " duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
  private static final String CANARY = "INSERT INTO llm_canary_metrics (request_id, arm, model_key, success,"
      + " error_class, latency_ms, ttft_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)";

  private final Vertx vertx;
  private final Pool pool;
  private final Supplier<Map<String, ModelConfig>> models;
  private final int capacity;
  private final int batchSize;
  private final Counter dropped;
  private final Counter written;
  private final ArrayDeque<CallOutcome> queue = new ArrayDeque<>();
  private boolean flushing;
  private long timer = -1;

  /**
   * @param models the current registry, for prices (local models cost 0)
   */
  public UsageLog(Vertx vertx, DatabaseConfig db, Supplier<Map<String, ModelConfig>> models, MeterRegistry registry,
                  int capacity, int batchSize, long flushMs) {
    this.vertx = vertx;
    this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2).setMaxWaitQueueSize(2))
        .connectingTo(PgRegistryStore.connectOptions(db)).using(vertx).build();
    this.models = models;
    this.capacity = capacity;
    this.batchSize = batchSize;
    this.dropped = Counter.builder("tiergate.usage.dropped")
        .description("Usage rows dropped because the database was slow or away").register(registry);
    this.written = Counter.builder("tiergate.usage.written").description("Usage rows written").register(registry);
    this.timer = vertx.setPeriodic(flushMs, id -> flush());
  }

  /** Queues the rows of one request; drops them (counted) when the queue is full. */
  public void record(CallOutcome outcome) {
    if (outcome.provider().equals("none")) {
      return;
    }
    if (queue.size() >= capacity) {
      dropped.increment();
      return;
    }
    queue.add(outcome);
    if (queue.size() >= batchSize) {
      flush();
    }
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return pool.close();
  }

  private void flush() {
    if (flushing || queue.isEmpty()) {
      return;
    }
    flushing = true;
    List<CallOutcome> batch = new ArrayList<>(Math.min(queue.size(), batchSize));
    while (!queue.isEmpty() && batch.size() < batchSize) {
      batch.add(queue.poll());
    }
    Map<String, ModelConfig> registry = models.get();
    List<Tuple> usage = batch.stream().map(o -> usageRow(o, registry.get(o.model()))).toList();
    List<Tuple> canary = batch.stream().map(UsageLog::canaryRow).toList();
    pool.withTransaction(conn -> conn.preparedQuery(USAGE).executeBatch(usage)
            .compose(r -> conn.preparedQuery(CANARY).executeBatch(canary)))
        .onSuccess(r -> written.increment(batch.size()))
        .onFailure(e -> {
          dropped.increment(batch.size());
          LOG.debug("usage rows dropped ({}): {}", batch.size(), e.getMessage());
        })
        .onComplete(ar -> {
          flushing = false;
          if (queue.size() >= batchSize) {
            flush();
          }
        });
  }

  private static Tuple usageRow(CallOutcome o, ModelConfig model) {
    Integer prompt = o.promptTokens() < 0 ? null : (int) o.promptTokens();
    Integer completion = o.completionTokens() < 0 ? null : (int) o.completionTokens();
    Double cost = model == null ? null : (Math.max(0, o.promptTokens()) * model.inputPricePer1k()
        + Math.max(0, o.completionTokens()) * model.outputPricePer1k()) / 1000.0;
    return Tuple.from(new Object[] {o.requestId(), null, o.provider(), o.model(), o.tier(), o.route(), prompt,
        completion, false, cost == null ? null : java.math.BigDecimal.valueOf(cost), o.status(), o.errorClass(),
        o.ttftMs() < 0 ? null : o.ttftMs(), o.durationMs()});
  }

  private static Tuple canaryRow(CallOutcome o) {
    String arm = "local".equals(o.route()) ? "local" : "cloud";
    return Tuple.from(new Object[] {o.requestId(), arm, o.model(), o.success(), o.errorClass(), o.durationMs(),
        o.ttftMs() < 0 ? null : o.ttftMs()});
  }
}
