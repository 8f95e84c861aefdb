package dev.tiergate.registry;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.usage.UsageQuery;
import dev.tiergate.usage.UsageReport;
import dev.tiergate.usage.UsageSum;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one {@code model_usage_log} and one {@code llm_canary_metrics} row per finished request, in batches, off the
 * request path, and answers usage totals from {@code model_usage_log}. Rows wait in a bounded queue; a batch goes out
 * every {@code flushMs} or when full. When the database is slow or away the queue fills and further rows are dropped
 * and counted ({@code tiergate.usage.dropped}): a request never waits for the database. Used on the metrics
 * verticle's event loop only.
 */
public final class UsageLog {

  private static final Logger LOG = LoggerFactory.getLogger(UsageLog.class);
  private static final String USAGE = "INSERT INTO model_usage_log (request_id, client_key_id, provider_key, model_key,"
      + " leo_tier, route, prompt_tokens, completion_tokens, tokens_estimated, cost_usd, status, error_class, ttft_ms,"
      + " duration_ms, client_format, partial, fallback, retries, overhead_ms, bytes_out) VALUES ($1, $2, $3, $4, $5,"
      + " $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)";
  private static final String CANARY = "INSERT INTO llm_canary_metrics (request_id, arm, model_key, success,"
      + " error_class, latency_ms, ttft_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)";
  // %s is a column of UsageQuery.Dimension, a fixed set: no request text ever reaches the SQL.
  private static final String TOTALS = """
      SELECT coalesce(%s, 'unknown') AS key, count(*) AS requests,
             count(*) FILTER (WHERE error_class IS NOT NULL) AS errors,
             count(*) FILTER (WHERE partial) AS partial,
             count(*) FILTER (WHERE tokens_estimated) AS estimated,
             coalesce(sum(prompt_tokens), 0)::int8 AS prompt_tokens,
             coalesce(sum(completion_tokens), 0)::int8 AS completion_tokens,
             coalesce(sum(cost_usd), 0)::float8 AS cost_usd
        FROM model_usage_log
       WHERE created_at >= $1
       GROUP BY 1
       ORDER BY 1""";

  /** One request's row: its outcome and the cost computed from the registry in force when it finished. */
  private record Pending(CallOutcome outcome, double costUsd) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final int capacity;
  private final int batchSize;
  private final Counter dropped;
  private final Counter written;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean flushing;
  private long timer = -1;

  public UsageLog(Vertx vertx, DatabaseConfig db, MeterRegistry registry, int capacity, int batchSize, long flushMs) {
    this.vertx = vertx;
    this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2).setMaxWaitQueueSize(4))
        .connectingTo(PgRegistryStore.connectOptions(db)).using(vertx).build();
    this.capacity = capacity;
    this.batchSize = batchSize;
    this.dropped = Counter.builder("tiergate.usage.dropped")
        .description("Usage rows dropped because the database was slow or away").register(registry);
    this.written = Counter.builder("tiergate.usage.written").description("Usage rows written").register(registry);
    this.timer = vertx.setPeriodic(flushMs, id -> flush());
  }

  /** Queues the rows of one request; drops them (counted) when the queue is full. */
  public void record(CallOutcome outcome, double costUsd) {
    if (outcome.provider().equals("none")) {
      return;
    }
    if (queue.size() >= capacity) {
      dropped.increment();
      return;
    }
    queue.add(new Pending(outcome, costUsd));
    if (queue.size() >= batchSize) {
      flush();
    }
  }

  /** Totals from {@code model_usage_log} since {@code query.since()}, grouped by the query's dimension. */
  public Future<UsageReport> query(UsageQuery query, Clock clock) {
    Instant until = clock.instant();
    return pool.preparedQuery(TOTALS.formatted(query.by().column()))
        .execute(Tuple.of(OffsetDateTime.ofInstant(query.since(), ZoneOffset.UTC)))
        .map(rows -> {
          List<UsageReport.Row> list = new ArrayList<>();
          UsageSum total = new UsageSum();
          for (Row row : rows) {
            UsageSum sum = UsageSum.of(row.getLong("requests"), row.getLong("errors"), row.getLong("partial"),
                row.getLong("estimated"), row.getLong("prompt_tokens"), row.getLong("completion_tokens"),
                row.getDouble("cost_usd"));
            list.add(new UsageReport.Row(row.getString("key"), sum));
            total.add(sum);
          }
          return new UsageReport(UsageQuery.Source.DATABASE, query.by(), query.since(), until, list, total);
        });
  }

  /** Whether every queued row has been written (or dropped): for tests and orderly shutdown. */
  public boolean idle() {
    return queue.isEmpty() && !flushing;
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
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), batchSize));
    while (!queue.isEmpty() && batch.size() < batchSize) {
      batch.add(queue.poll());
    }
    List<Tuple> usage = batch.stream().map(UsageLog::usageRow).toList();
    List<Tuple> canary = batch.stream().map(pending -> canaryRow(pending.outcome())).toList();
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

  private static Tuple usageRow(Pending pending) {
    CallOutcome o = pending.outcome();
    Integer prompt = o.promptTokens() < 0 ? null : (int) Math.min(Integer.MAX_VALUE, o.promptTokens());
    Integer completion = o.completionTokens() < 0 ? null : (int) Math.min(Integer.MAX_VALUE, o.completionTokens());
    return Tuple.from(new Object[] {o.requestId(), o.clientKeyId(), o.provider(), o.model(), o.tier(), o.route(),
        prompt, completion, o.tokensEstimated(), BigDecimal.valueOf(pending.costUsd()), o.status(), o.errorClass(),
        o.ttftMs() < 0 ? null : o.ttftMs(), o.durationMs(), o.clientFormat(), o.partial(), o.fallback(),
        o.retries(), o.overheadMs(), o.bytesOut()});
  }

  private static Tuple canaryRow(CallOutcome o) {
    String arm = "local".equals(o.route()) ? "local" : "cloud";
    return Tuple.from(new Object[] {o.requestId(), arm, o.model(), o.success(), o.errorClass(), o.durationMs(),
        o.ttftMs() < 0 ? null : o.ttftMs()});
  }
}
