package dev.tiergate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The canary state machine, command by command, and a manual rollback racing an automatic one. */
class CanaryCommandsTest {

  private static final List<Integer> STAGES = List.of(0, 5, 25, 50, 100);
  private static final Instant NOW = Instant.parse("2026-11-22T05:00:00Z");

  @Test
  void advanceMovesOneStageOnlyWhenEveryGatePasses() {
    CanaryState at5 = state(5, CanaryStatus.ACTIVE);
    CanaryCommands.Result ok = apply(at5, CanaryCommands.Action.ADVANCE, null, passing());
    assertTrue(ok.accepted());
    assertEquals(25, ok.next().stage());
    assertEquals(at5.version() + 1, ok.next().version());

    CanaryCommands.Result failing = apply(at5, CanaryCommands.Action.ADVANCE, null, report(local(100, 20, 0)));
    assertFalse(failing.accepted());
    assertTrue(failing.refusal().contains("error_rate fail"), failing.refusal());
    CanaryCommands.Result inconclusive = apply(at5, CanaryCommands.Action.ADVANCE, null, report(local(4, 0, 0)));
    assertFalse(inconclusive.accepted());
    assertTrue(inconclusive.refusal().contains("inconclusive"), inconclusive.refusal());
    assertFalse(apply(at5, CanaryCommands.Action.ADVANCE, null, null).accepted(), "no report, no advance");
    assertFalse(apply(state(100, CanaryStatus.ACTIVE), CanaryCommands.Action.ADVANCE, null, passing()).accepted());
    assertFalse(apply(state(25, CanaryStatus.PAUSED), CanaryCommands.Action.ADVANCE, null, passing()).accepted());
  }

  @Test
  void pauseResumeRollbackAndSet() {
    CanaryState at50 = state(50, CanaryStatus.ACTIVE);
    CanaryState paused = apply(at50, CanaryCommands.Action.PAUSE, null, null).next();
    assertEquals(50, paused.stage());
    assertEquals(CanaryStatus.PAUSED, paused.status());
    assertEquals(CanaryStatus.ACTIVE, apply(paused, CanaryCommands.Action.RESUME, null, null).next().status());
    CanaryState rolledBack = apply(at50, CanaryCommands.Action.ROLLBACK, null, null).next();
    assertEquals(0, rolledBack.stage());
    assertEquals(CanaryStatus.ROLLED_BACK, rolledBack.status());
    assertFalse(apply(rolledBack, CanaryCommands.Action.ROLLBACK, null, null).accepted(), "rolled back once");
    CanaryState resumed = apply(rolledBack, CanaryCommands.Action.RESUME, null, null).next();
    assertEquals(0, resumed.stage(), "resuming a rollback starts again from 0");
    assertEquals(25, apply(rolledBack, CanaryCommands.Action.SET, 25, null).next().stage());
    assertFalse(apply(at50, CanaryCommands.Action.SET, 30, null).accepted(), "only configured stages");
    assertNull(apply(at50, CanaryCommands.Action.SET, null, null).next());
  }

  @Test
  void aManualRollbackRacingAnAutomaticOneMakesOneTransition() throws Exception {
    MemoryCanaryStore store = new MemoryCanaryStore(state(50, CanaryStatus.ACTIVE), Clock.systemUTC());
    CanaryState current = await(store.load());
    CanaryState manual = apply(current, CanaryCommands.Action.ROLLBACK, null, null).next();
    CanaryState automatic = apply(current, CanaryCommands.Action.ROLLBACK, null, null).next();
    Future<CanaryState> first = store.apply(current, manual, transition(current, manual, "admin"));
    Future<CanaryState> second = store.apply(current, automatic, transition(current, automatic, "gates"));
    assertTrue(first.toCompletionStage().toCompletableFuture().handle((s, e) -> e == null).get(5, TimeUnit.SECONDS));
    assertTrue(second.toCompletionStage().toCompletableFuture().handle((s, e) -> e instanceof CanaryConflictException)
        .get(5, TimeUnit.SECONDS));
    assertEquals(1, await(store.history(10)).size());
    // The router then reloads the stored state, where a second rollback is refused by the state machine.
    assertFalse(apply(await(store.load()), CanaryCommands.Action.ROLLBACK, null, null).accepted());
  }

  private static CanaryCommands.Result apply(CanaryState state, CanaryCommands.Action action, Integer stage,
                                             GateReport gates) {
    return CanaryCommands.apply(state, action, stage, gates, STAGES, "test", NOW);
  }

  private static CanaryState state(int stage, CanaryStatus status) {
    return new CanaryState(stage, status, 3, CanaryState.defaultThresholds(), NOW, "test");
  }

  private static CanaryTransition transition(CanaryState from, CanaryState to, String actor) {
    return CanaryTransition.between(from, to, "rollback", actor, "race", null);
  }

  private static GateReport passing() {
    return report(local(100, 1, 0));
  }

  private static GateWindow.Stats local(long requests, long errors, int streak) {
    return new GateWindow.Stats(requests, errors, requests == 0 ? 0 : (double) errors / requests, 100, streak, 0);
  }

  private static GateReport report(GateWindow.Stats local) {
    GateWindow.Stats cloud = new GateWindow.Stats(100, 0, 0, 100, 0, 0);
    return Gates.evaluate(local, cloud, GateThresholds.DEFAULT);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
