package dev.tiergate.http;

import dev.tiergate.config.ConfigException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps retries to a share of the traffic, so that an upstream outage does not multiply the load on it (the "retry
 * budget" of Finagle and Envoy). A retry may start while the retries in flight stay below
 * {@code max(minimum, ratio × active requests)}; the minimum lets a quiet gateway still retry.
 *
 * <p>One instance per gateway, shared by every event loop: two {@link AtomicInteger}s, no locks. The count is a
 * snapshot across loops, so the cap may be overshot by the number of loops acquiring at the very same instant —
 * good enough for a load shedder, and never blocks.
 *
 * <p>Pairing is the caller's duty: every {@link #requestStarted()} with one {@link #requestEnded()}, every successful
 * {@link #tryAcquireRetry()} with one {@link #releaseRetry()} (when the retried attempt ends, whatever its outcome).
 */
public final class RetryBudget {

  public static final double DEFAULT_RATIO = 0.2;
  public static final int DEFAULT_MINIMUM = 3;

  private final double ratio;
  private final int minimum;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();

  /** A budget of 20 % of the active requests, at least 3 retries in flight. */
  public RetryBudget() {
    this(DEFAULT_RATIO, DEFAULT_MINIMUM);
  }

  /**
   * @param ratio   retries in flight allowed per active request, between 0 and 1
   * @param minimum retries in flight always allowed, whatever the traffic (0 or more)
   */
  public RetryBudget(double ratio, int minimum) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new ConfigException("retryBudget.ratio", "must be between 0 and 1, got " + ratio);
    }
    if (minimum < 0) {
      throw new ConfigException("retryBudget.minimum", "must be at least 0, got " + minimum);
    }
    this.ratio = ratio;
    this.minimum = minimum;
  }

  public void requestStarted() {
    active.incrementAndGet();
  }

  public void requestEnded() {
    decrement(active, "requestEnded");
  }

  /** Takes a retry from the budget; false when the budget is spent (fall back or fail instead of retrying). */
  public boolean tryAcquireRetry() {
    while (true) {
      int inFlight = retries.get();
      if (inFlight >= limit()) {
        return false;
      }
      if (retries.compareAndSet(inFlight, inFlight + 1)) {
        return true;
      }
    }
  }

  public void releaseRetry() {
    decrement(retries, "releaseRetry");
  }

  public int active() {
    return active.get();
  }

  public int retriesInFlight() {
    return retries.get();
  }

  /** The retries allowed in flight right now. */
  public int limit() {
    return Math.max(minimum, (int) (ratio * active.get()));
  }

  /** Never below zero: an unpaired release is a bug, reported loudly rather than corrupting the budget. */
  private static void decrement(AtomicInteger counter, String operation) {
    if (counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) == 0) {
      throw new IllegalStateException(operation + " without a matching start");
    }
  }
}
