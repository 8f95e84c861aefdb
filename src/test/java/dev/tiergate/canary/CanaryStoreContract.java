package dev.tiergate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What every {@link CanaryStore} guarantees; run against memory and against a real PostgreSQL. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
abstract class CanaryStoreContract {

  private static final JsonObject GATES = new JsonObject().put("errorRate", 0.01).put("samples", 42);

  protected Vertx vertx;
  protected CanaryStore store;

  /** A store over fresh, empty storage. */
  protected abstract CanaryStore openStore(Vertx vertx);

  /** Runs after the store is closed. */
  protected void cleanUp() {
  }

  @BeforeEach
  void open(Vertx vertx) {
    this.vertx = vertx;
    store = openStore(vertx);
  }

  @AfterEach
  void close() throws Exception {
    await(store.close());
    cleanUp();
  }

  @Test
  void aFreshStoreHoldsTheInitialState() throws Exception {
    CanaryState state = await(store.load());

    assertEquals(0, state.stage());
    assertEquals(CanaryStatus.ACTIVE, state.status());
    assertEquals(1, state.version());
    assertEquals(CanaryState.defaultThresholds(), state.thresholds());
    assertEquals(List.of(), await(store.history(10)));
  }

  @Test
  void applyBumpsTheVersionAndRecordsTheTransition() throws Exception {
    CanaryState initial = await(store.load());
    CanaryState next = initial.moveTo(5, CanaryStatus.ACTIVE, "alice");

    CanaryState stored = await(store.apply(initial, next, transition(initial, next, "advance", "alice")));

    assertEquals(5, stored.stage());
    assertEquals(CanaryStatus.ACTIVE, stored.status());
    assertEquals(2, stored.version());
    assertEquals("alice", stored.updatedBy());
    assertEquals(initial.thresholds(), stored.thresholds());
    assertEquals(stored, await(store.load()));
    List<CanaryTransition> history = await(store.history(10));
    assertEquals(1, history.size());
    CanaryTransition recorded = history.get(0);
    assertTrue(recorded.id() > 0);
    assertEquals(stored.updatedAt(), recorded.at(), "state and audit row are written together");
    assertEquals(0, recorded.fromStage());
    assertEquals(5, recorded.toStage());
    assertEquals(CanaryStatus.ACTIVE, recorded.fromStatus());
    assertEquals(CanaryStatus.ACTIVE, recorded.toStatus());
    assertEquals("advance", recorded.action());
    assertEquals("alice", recorded.actor());
    assertEquals("advance by alice", recorded.reason());
    assertEquals(GATES, recorded.gates());
  }

  @Test
  void thresholdsAreStoredWithTheState() throws Exception {
    CanaryState initial = await(store.load());
    JsonObject stricter = CanaryState.defaultThresholds().put("maxErrorRate", 0.01);
    CanaryState next = new CanaryState(0, CanaryStatus.PAUSED, initial.version(), stricter, initial.updatedAt(), "ops");

    await(store.apply(initial, next, CanaryTransition.between(initial, next, "pause", "ops", null, null)));

    CanaryState loaded = await(store.load());
    assertEquals(stricter, loaded.thresholds());
    assertEquals(CanaryStatus.PAUSED, loaded.status());
    CanaryTransition recorded = await(store.history(1)).get(0);
    assertNull(recorded.reason());
    assertEquals(new JsonObject(), recorded.gates());
  }

  @Test
  void aStaleApplyFailsWithTheCurrentStateAndWritesNothing() throws Exception {
    CanaryState initial = await(store.load());
    CanaryState advanced = initial.moveTo(5, CanaryStatus.ACTIVE, "alice");
    CanaryState stored = await(store.apply(initial, advanced, transition(initial, advanced, "advance", "alice")));
    CanaryState rolledBack = initial.moveTo(0, CanaryStatus.ROLLED_BACK, "bob");

    Throwable failure = failure(store.apply(initial, rolledBack, transition(initial, rolledBack, "rollback", "bob")));

    CanaryConflictException conflict = assertInstanceOf(CanaryConflictException.class, failure);
    assertEquals(stored, conflict.current());
    assertEquals(0, conflict.getStackTrace().length, "stackless");
    assertEquals(stored, await(store.load()));
    assertEquals(1, await(store.history(10)).size());
  }

  @Test
  void twoRacingAppliesFromTheSameStateProduceExactlyOneTransition() throws Exception {
    CanaryState initial = await(store.load());
    CanaryState advanced = initial.moveTo(5, CanaryStatus.ACTIVE, "alice");
    CanaryState rolledBack = initial.moveTo(0, CanaryStatus.ROLLED_BACK, "auto-rollback");

    // Both are under way before either has completed.
    Future<CanaryState> manual = store.apply(initial, advanced, transition(initial, advanced, "advance", "alice"));
    Future<CanaryState> automatic =
        store.apply(initial, rolledBack, transition(initial, rolledBack, "rollback", "auto-rollback"));
    await(Future.join(manual, automatic).otherwiseEmpty());

    assertTrue(manual.succeeded() ^ automatic.succeeded(), "exactly one of the two applies wins");
    Future<CanaryState> winner = manual.succeeded() ? manual : automatic;
    Future<CanaryState> loser = manual.succeeded() ? automatic : manual;
    CanaryConflictException conflict = assertInstanceOf(CanaryConflictException.class, loser.cause());
    assertEquals(winner.result(), conflict.current());
    assertEquals(2, winner.result().version());
    assertEquals(winner.result(), await(store.load()));
    List<CanaryTransition> history = await(store.history(10));
    assertEquals(1, history.size());
    assertEquals(winner.result().updatedBy(), history.get(0).actor());
  }

  @Test
  void historyIsNewestFirstAndLimited() throws Exception {
    CanaryState state = await(store.load());
    for (int stage : new int[] {5, 25, 50}) {
      CanaryState next = state.moveTo(stage, CanaryStatus.ACTIVE, "alice");
      state = await(store.apply(state, next, transition(state, next, "advance", "alice")));
    }

    List<CanaryTransition> newest = await(store.history(2));
    assertEquals(List.of(50, 25), newest.stream().map(CanaryTransition::toStage).toList());
    assertTrue(newest.get(0).id() > newest.get(1).id());
    List<CanaryTransition> all = await(store.history(10));
    assertEquals(List.of(50, 25, 5), all.stream().map(CanaryTransition::toStage).toList());
    assertEquals(List.of(25, 5, 0), all.stream().map(CanaryTransition::fromStage).toList());
    assertEquals(4, state.version());
  }

  @Test
  void historyRefusesALimitBelowOne() throws Exception {
    assertInstanceOf(IllegalArgumentException.class, failure(store.history(0)));
  }

  protected static CanaryTransition transition(CanaryState from, CanaryState to, String action, String actor) {
    return CanaryTransition.between(from, to, action, actor, action + " by " + actor, GATES);
  }

  protected static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The cause the future fails with; fails the test when it succeeds. */
  protected static Throwable failure(Future<?> future) throws Exception {
    Throwable cause = await(future.map(ignored -> (Throwable) null).otherwise(t -> t));
    assertNotEquals(null, cause, "expected a failure");
    return cause;
  }
}
