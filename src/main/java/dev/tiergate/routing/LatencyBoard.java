package dev.tiergate.routing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moving averages of time to first token per model, for least-latency balancing. Written by every HTTP verticle when
 * an answer starts, read by the planner: lock-free (one compare-and-set per update).
 */
public final class LatencyBoard {

  private static final double ALPHA = 0.2;

  private final ConcurrentHashMap<String, AtomicLong> averages = new ConcurrentHashMap<>();

  /** Folds one observation into {@code model}'s average. */
  public void record(String model, double ttftMs) {
    AtomicLong bits = averages.computeIfAbsent(model, k -> new AtomicLong(Double.doubleToLongBits(ttftMs)));
    long current;
    long next;
    do {
      current = bits.get();
      double average = Double.longBitsToDouble(current);
      next = Double.doubleToLongBits(average + ALPHA * (ttftMs - average));
    } while (!bits.compareAndSet(current, next));
  }

  /** The average in milliseconds, or -1 when the model has not answered yet. */
  public double average(String model) {
    AtomicLong bits = averages.get(model);
    return bits == null ? -1 : Double.longBitsToDouble(bits.get());
  }
}
