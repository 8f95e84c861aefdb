package dev.tiergate.canary;

import java.util.Objects;

/**
 * {@link CanaryStore#apply} found another version than the caller expected: someone else changed the state first.
 * Nothing was written. Carries the state as stored now, so the caller can decide again. Stackless: an expected outcome.
 */
public final class CanaryConflictException extends RuntimeException {

  private final transient CanaryState current;

  public CanaryConflictException(long expectedVersion, CanaryState current) {
    super("canary state changed concurrently: expected version " + expectedVersion + ", stored version "
        + Objects.requireNonNull(current, "current").version(), null, false, false);
    this.current = current;
  }

  /** The state as stored when the conflict was detected. */
  public CanaryState current() {
    return current;
  }
}
