package dev.tiergate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded store: the shared contract, its clock, its bounded history and the value types' wire forms. */
class MemoryCanaryStoreTest extends CanaryStoreContract {

  private static final Instant NOW = Instant.parse("2025-11-22T10:00:00Z");

  @Override
  protected CanaryStore openStore(Vertx vertx) {
    return new MemoryCanaryStore(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void theClockStampsStateAndTransition() throws Exception {
    CanaryState initial = await(store.load());
    CanaryState next = initial.moveTo(5, CanaryStatus.ACTIVE, "alice");

    CanaryState stored = await(store.apply(initial, next, transition(initial, next, "advance", "alice")));

    assertEquals(NOW, stored.updatedAt());
    assertEquals(NOW, await(store.history(1)).get(0).at());
  }

  @Test
  void keepsOnlyTheNewestTransitions() throws Exception {
    CanaryState state = await(store.load());
    for (int i = 0; i < MemoryCanaryStore.MAX_HISTORY + 5; i++) {
      CanaryState next = state.moveTo(i % 2 == 0 ? 5 : 0, CanaryStatus.ACTIVE, "alice");
      state = await(store.apply(state, next, transition(state, next, "set", "alice")));
    }

    List<CanaryTransition> history = await(store.history(Integer.MAX_VALUE));
    assertEquals(MemoryCanaryStore.MAX_HISTORY, history.size());
    assertEquals(MemoryCanaryStore.MAX_HISTORY + 5, history.get(0).id());
  }

  @Test
  void statusesHaveWireNames() {
    assertEquals(List.of("active", "paused", "rolled_back"),
        List.of(CanaryStatus.values()).stream().map(CanaryStatus::wireName).toList());
    assertEquals(CanaryStatus.ROLLED_BACK, CanaryStatus.parse(" Rolled_Back "));
    assertThrows(IllegalArgumentException.class, () -> CanaryStatus.parse("rolledback"));
    assertThrows(IllegalArgumentException.class, () -> CanaryStatus.parse(null));
  }

  @Test
  void stateAndTransitionRenderAsJson() {
    CanaryState state = new CanaryState(25, CanaryStatus.PAUSED, 7, CanaryState.defaultThresholds(), NOW, "ops");
    CanaryTransition transition = new CanaryTransition(3, NOW, 5, 25, CanaryStatus.ACTIVE, CanaryStatus.PAUSED,
        "pause", "ops", "night", new JsonObject().put("errorRate", 0.0));

    assertEquals(new JsonObject("""
        {"stage":25,"status":"paused","version":7,"thresholds":{"maxErrorRate":0.05,"maxLatencyRatio":2.0,
         "maxConsecutiveFailures":3,"minSamples":10},"updatedAt":"2025-11-22T10:00:00Z","updatedBy":"ops"}"""),
        state.toJson());
    assertEquals(new JsonObject("""
        {"id":3,"at":"2025-11-22T10:00:00Z","fromStage":5,"toStage":25,"fromStatus":"active","toStatus":"paused",
         "action":"pause","actor":"ops","reason":"night","gates":{"errorRate":0.0}}"""), transition.toJson());
  }

  @Test
  void stateKeepsItsOwnCopyOfTheThresholds() {
    JsonObject thresholds = CanaryState.defaultThresholds();
    CanaryState state = new CanaryState(0, CanaryStatus.ACTIVE, 1, thresholds, NOW, "ops");

    thresholds.put("minSamples", 1);
    state.thresholds().put("minSamples", 2);

    assertEquals(10, state.thresholds().getInteger("minSamples"));
    assertEquals(10, CanaryState.INITIAL.thresholds().getInteger("minSamples"));
  }

  @Test
  void stateRejectsImpossibleValues() {
    JsonObject thresholds = CanaryState.defaultThresholds();
    assertThrows(IllegalArgumentException.class, () -> new CanaryState(101, CanaryStatus.ACTIVE, 1, thresholds, NOW,
        "ops"));
    assertThrows(IllegalArgumentException.class, () -> new CanaryState(5, CanaryStatus.ACTIVE, 0, thresholds, NOW,
        "ops"));
  }
}
