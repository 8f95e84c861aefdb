package dev.tiergate.canary;

import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.registry.PgRegistryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The canary state ({@code llm_canary_state}, the singleton row id 1) and audit trail ({@code llm_canary_transitions})
 * in PostgreSQL, through its own pool of at most two connections with prepared statements. A change is one
 * transaction: the state row is updated only where the version is still the expected one, then the transition is
 * appended; a concurrent writer blocks on the row lock and then finds the version moved on. Every operation fails
 * within {@value #OPERATION_TIMEOUT_MS} ms when the database is away.
 */
public final class PgCanaryStore implements CanaryStore {

  static final long OPERATION_TIMEOUT_MS = 4_000;
  private static final int CONNECT_TIMEOUT_MS = 3_000;

  private static final String STATE_COLUMNS = "stage, status, thresholds, version, updated_at, updated_by";
  private static final String LOAD = "SELECT " + STATE_COLUMNS + " FROM llm_canary_state WHERE id = 1";
  private static final String STATEMENT_TIMEOUT = "SELECT set_config('statement_timeout', $1, true)";
  private static final String UPDATE = """
      UPDATE llm_canary_state
         SET stage = $1, status = $2, thresholds = $3, version = version + 1, updated_at = now(), updated_by = $4
       WHERE id = 1 AND version = $5
      RETURNING\s""" + STATE_COLUMNS;
  private static final String INSERT_TRANSITION = """
      INSERT INTO llm_canary_transitions
             (from_stage, to_stage, from_status, to_status, action, actor, reason, gates)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING id, at""";
  private static final String HISTORY = """
      SELECT id, at, from_stage, to_stage, from_status, to_status, action, actor, reason, gates
        FROM llm_canary_transitions
       ORDER BY id DESC
       LIMIT $1""";

  private final DatabaseConfig db;
  private final Pool pool;

  public PgCanaryStore(Vertx vertx, DatabaseConfig db) {
    this.db = Objects.requireNonNull(db, "db");
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(2).setConnectionTimeout(CONNECT_TIMEOUT_MS)
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpKeepAlive(true))
        .connectingTo(PgRegistryStore.connectOptions(db))
        .using(vertx)
        .build();
  }

  @Override
  public Future<CanaryState> load() {
    return bounded(pool.preparedQuery(LOAD).execute().map(PgCanaryStore::singleState), "read the canary state");
  }

  @Override
  public Future<CanaryState> apply(CanaryState expectedCurrent, CanaryState next, CanaryTransition transition) {
    return bounded(pool.withTransaction(conn -> write(conn, expectedCurrent, next, transition)),
        "write the canary state");
  }

  @Override
  public Future<List<CanaryTransition>> history(int limit) {
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("history limit must be at least 1, is " + limit));
    }
    return bounded(pool.preparedQuery(HISTORY).execute(Tuple.of((long) limit)).map(PgCanaryStore::transitions),
        "read the canary history");
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  private Future<CanaryState> write(SqlConnection conn, CanaryState expected, CanaryState next,
                                    CanaryTransition transition) {
    Tuple update = Tuple.of(next.stage(), next.status().wireName(), next.thresholds(), next.updatedBy(),
        expected.version());
    return conn.preparedQuery(STATEMENT_TIMEOUT).execute(Tuple.of(Long.toString(OPERATION_TIMEOUT_MS)))
        .compose(ignored -> conn.preparedQuery(UPDATE).execute(update))
        .compose(rows -> rows.rowCount() == 0 ? conflict(conn, expected) : Future.succeededFuture(singleState(rows)))
        .compose(stored -> conn.preparedQuery(INSERT_TRANSITION).execute(transitionTuple(transition)).map(stored));
  }

  // Read inside the same transaction: the row lock the UPDATE waited for is released, so this sees the winner's commit.
  private Future<CanaryState> conflict(SqlConnection conn, CanaryState expected) {
    return conn.preparedQuery(LOAD).execute()
        .compose(rows -> Future.failedFuture(new CanaryConflictException(expected.version(), singleState(rows))));
  }

  private static Tuple transitionTuple(CanaryTransition t) {
    return Tuple.of(t.fromStage(), t.toStage(), t.fromStatus().wireName(), t.toStatus().wireName(), t.action(),
        t.actor(), t.reason(), t.gates());
  }

  private <T> Future<T> bounded(Future<T> operation, String what) {
    return operation.timeout(OPERATION_TIMEOUT_MS, TimeUnit.MILLISECONDS).recover(failure -> explain(failure, what));
  }

  private <T> Future<T> explain(Throwable failure, String what) {
    if (failure instanceof CanaryConflictException || failure instanceof IllegalArgumentException) {
      return Future.failedFuture(failure);
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    // The pool reports a connection it could not open in time as a bare "Timeout".
    String why = failure instanceof TimeoutException ? "no answer within " + OPERATION_TIMEOUT_MS + " ms"
        : message.equals("Timeout") ? "no connection within " + CONNECT_TIMEOUT_MS + " ms" : message;
    return Future.failedFuture(new IllegalStateException("cannot " + what + " in " + db.display() + ": " + why,
        failure));
  }

  private static CanaryState singleState(RowSet<Row> rows) {
    if (rows.size() != 1) {
      throw new IllegalStateException("llm_canary_state has no row with id 1 (run the migrations)");
    }
    Row row = rows.iterator().next();
    String updatedBy = row.getString("updated_by");
    return new CanaryState(row.getInteger("stage"), CanaryStatus.parse(row.getString("status")),
        row.getLong("version"), row.getJsonObject("thresholds"), instant(row.getOffsetDateTime("updated_at")),
        updatedBy == null ? CanaryState.INITIAL.updatedBy() : updatedBy);
  }

  private static List<CanaryTransition> transitions(RowSet<Row> rows) {
    List<CanaryTransition> list = new ArrayList<>(rows.size());
    for (Row row : rows) {
      list.add(new CanaryTransition(row.getLong("id"), instant(row.getOffsetDateTime("at")),
          stage(row.getInteger("from_stage")), stage(row.getInteger("to_stage")), status(row.getString("from_status")),
          status(row.getString("to_status")), text(row.getString("action")), text(row.getString("actor")),
          row.getString("reason"), row.getJsonObject("gates")));
    }
    return List.copyOf(list);
  }

  // The columns are nullable (kept from the system Tiergate replaces); rows written before Tiergate may lack values.
  private static int stage(Integer stage) {
    return stage == null ? 0 : stage;
  }

  private static CanaryStatus status(String status) {
    return status == null ? CanaryStatus.ACTIVE : CanaryStatus.parse(status);
  }

  private static String text(String text) {
    return text == null ? "unknown" : text;
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? Instant.EPOCH : time.toInstant();
  }
}
