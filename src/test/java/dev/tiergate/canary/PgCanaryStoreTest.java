package dev.tiergate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.registry.Migrations;
import dev.tiergate.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The PostgreSQL store against a real, freshly migrated schema: the shared contract, restarts, an absent server. */
class PgCanaryStoreTest extends CanaryStoreContract {

  private TestDatabase database;

  @Override
  protected CanaryStore openStore(Vertx vertx) {
    database = TestDatabase.create();
    Migrations.migrate(database.config());
    return new PgCanaryStore(vertx, database.config());
  }

  @Override
  protected void cleanUp() {
    database.close();
  }

  @Test
  void aRollbackSurvivesARestartAndIsNotRepeated() throws Exception {
    CanaryState initial = await(store.load());
    CanaryState rolledBack = initial.moveTo(0, CanaryStatus.ROLLED_BACK, "auto-rollback");
    CanaryState stored =
        await(store.apply(initial, rolledBack, transition(initial, rolledBack, "rollback", "auto-rollback")));
    await(store.close());

    store = new PgCanaryStore(vertx, database.config());

    assertEquals(stored, await(store.load()));
    Throwable again = failure(store.apply(initial, rolledBack, transition(initial, rolledBack, "rollback", "x")));
    assertEquals(stored, assertInstanceOf(CanaryConflictException.class, again).current());
    assertEquals(1, await(store.history(10)).size());
    List<Map<String, Object>> rows = database.query(
        "SELECT from_status, to_status, action, actor, reason FROM llm_canary_transitions");
    assertEquals(List.of(Map.of("from_status", "active", "to_status", "rolled_back", "action", "rollback",
        "actor", "auto-rollback", "reason", "rollback by auto-rollback")), rows);
  }

  @Test
  void readsWhatAnOperatorWroteWithSql() throws Exception {
    database.execute("UPDATE llm_canary_state SET stage = 50, status = 'paused', version = 9,"
        + " thresholds = '{\"maxErrorRate\":0.1}', updated_by = 'psql' WHERE id = 1");
    database.execute("INSERT INTO llm_canary_transitions (from_stage, to_stage) VALUES (25, 50)");

    CanaryState state = await(store.load());
    assertEquals(50, state.stage());
    assertEquals(CanaryStatus.PAUSED, state.status());
    assertEquals(9, state.version());
    assertEquals(new JsonObject().put("maxErrorRate", 0.1), state.thresholds());
    assertEquals("psql", state.updatedBy());
    CanaryTransition legacy = await(store.history(1)).get(0);
    assertEquals(25, legacy.fromStage());
    assertEquals(50, legacy.toStage());
    assertEquals("unknown", legacy.action());
  }

  @Test
  void anUnreachableDatabaseFailsWithinFiveSeconds() throws Exception {
    DatabaseConfig absent = new DatabaseConfig("127.0.0.1", 1, "test", "postgres", Optional.empty(), "public", false);
    CanaryStore unreachable = new PgCanaryStore(vertx, absent);
    try {
      CanaryState initial = CanaryState.INITIAL;
      CanaryState next = initial.moveTo(5, CanaryStatus.ACTIVE, "alice");
      for (Future<?> operation : List.of(unreachable.load(), unreachable.history(5),
          unreachable.apply(initial, next, transition(initial, next, "advance", "alice")))) {
        Throwable failure = operation.map(ignored -> (Throwable) null).otherwise(t -> t)
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, failure);
        assertTrue(failure.getMessage().contains("127.0.0.1:1"), failure.getMessage());
      }
    } finally {
      await(unreachable.close());
    }
  }
}
