package dev.tiergate.canary;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The embedded canary store, used when no database is configured: state and audit trail live in memory and are lost
 * on restart. Same semantics as {@link PgCanaryStore}; keeps the newest {@value #MAX_HISTORY} transitions.
 */
public final class MemoryCanaryStore implements CanaryStore {

  static final int MAX_HISTORY = 1_000;

  private final Clock clock;
  private final Deque<CanaryTransition> transitions = new ArrayDeque<>();
  private CanaryState state;
  private long lastTransitionId;

  public MemoryCanaryStore() {
    this(Clock.systemUTC());
  }

  /** @param clock stamps {@link CanaryState#updatedAt()} and {@link CanaryTransition#at()} */
  public MemoryCanaryStore(Clock clock) {
    this(CanaryState.INITIAL, clock);
  }

  /** @param initial the state before any change (the configured starting stage, without a database) */
  public MemoryCanaryStore(CanaryState initial, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.state = Objects.requireNonNull(initial, "initial");
  }

  @Override
  public synchronized Future<CanaryState> load() {
    return Future.succeededFuture(state);
  }

  // Synchronized although one event loop is the only caller: check-and-set must stay atomic whoever calls it.
  @Override
  public synchronized Future<CanaryState> apply(CanaryState expectedCurrent, CanaryState next,
                                                CanaryTransition transition) {
    if (state.version() != expectedCurrent.version()) {
      return Future.failedFuture(new CanaryConflictException(expectedCurrent.version(), state));
    }
    var now = clock.instant();
    state = new CanaryState(next.stage(), next.status(), state.version() + 1, next.thresholds(), now,
        next.updatedBy());
    transitions.addFirst(transition.stored(++lastTransitionId, now));
    if (transitions.size() > MAX_HISTORY) {
      transitions.removeLast();
    }
    return Future.succeededFuture(state);
  }

  @Override
  public synchronized Future<List<CanaryTransition>> history(int limit) {
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("history limit must be at least 1, is " + limit));
    }
    List<CanaryTransition> newest = new ArrayList<>(Math.min(limit, transitions.size()));
    for (Iterator<CanaryTransition> it = transitions.iterator(); it.hasNext() && newest.size() < limit; ) {
      newest.add(it.next());
    }
    return Future.succeededFuture(List.copyOf(newest));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
