package dev.tiergate.canary;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where the canary state and its audit trail live: PostgreSQL ({@link PgCanaryStore}) when a database is configured,
 * memory ({@link MemoryCanaryStore}) otherwise. {@code RouterVerticle} is the single writer; optimistic versioning
 * still guards every change, so a manual command racing an automatic rollback produces exactly one transition.
 */
public interface CanaryStore {

  /** The stored state; {@link CanaryState#INITIAL} values on a fresh store. */
  Future<CanaryState> load();

  /**
   * Stores {@code next} and appends {@code transition}, atomically, if the stored version still equals
   * {@code expectedCurrent.version()}. The store sets the new version ({@code expected + 1}) and the time, and assigns
   * the transition's id and time; {@code next}'s own version and time are ignored.
   *
   * @return the state as now stored
   * @throws CanaryConflictException (as the failed future) when the stored version differs; nothing is written
   */
  Future<CanaryState> apply(CanaryState expectedCurrent, CanaryState next, CanaryTransition transition);

  /** Up to {@code limit} (at least 1) most recent transitions, newest first. */
  Future<List<CanaryTransition>> history(int limit);

  /** Releases connections; the store is not used afterwards. */
  Future<Void> close();
}
