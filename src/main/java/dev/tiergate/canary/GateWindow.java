package dev.tiergate.canary;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * The rolling quality window of one canary arm: request and error counts, content failures and a latency histogram
 * over the last {@code window}, kept in {@code slices} equal time slices so that old data falls out smoothly, plus
 * the current streak of consecutive failures (not windowed: only a success ends it).
 *
 * <p>Slices are numbered from the window's creation and roll over lazily on {@link #record} and {@link #stats}; a
 * long idle gap costs nothing. A sample leaves the window whole slices at a time: it is in while
 * {@code now - start of its slice < window}, so it stays at most {@code window} and at least
 * {@code window - window / slices}. Memory is fixed: one histogram per slice (3 significant digits, latencies
 * clamped to {@link #MAX_LATENCY_MS}) plus one for merging.
 *
 * <p>Not thread-safe: owned by one event loop.
 */
public final class GateWindow {

  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  public static final int DEFAULT_SLICES = 30;
  /** Latencies above this (10 minutes) are recorded as this. */
  public static final double MAX_LATENCY_MS = 600_000.0;
  static final int MAX_SLICES = 3_600;

  // Histograms count microseconds; below 0.1 ms nothing matters for an LLM call, and the coarser floor halves memory.
  private static final long LOWEST_MICROS = 100;
  private static final long HIGHEST_MICROS = (long) (MAX_LATENCY_MS * 1000);
  private static final int SIGNIFICANT_DIGITS = 3;

  /**
   * The window's figures at one moment.
   *
   * @param requests requests in the window
   * @param errors failed requests in the window, content failures included
   * @param errorRate errors / requests; 0 when there are no requests
   * @param p95Ms 95th percentile latency in milliseconds over the window; NaN when there are no requests
   * @param consecutiveFailures failures in a row up to now, regardless of the window
   * @param contentFailures requests in the window whose content was unusable
   */
  public record Stats(long requests, long errors, double errorRate, double p95Ms, int consecutiveFailures,
                      long contentFailures) {

    public static final Stats EMPTY = new Stats(0, 0, 0.0, Double.NaN, 0, 0);

    public JsonObject toJson() {
      return new JsonObject()
        .put("requests", requests)
        .put("errors", errors)
        .put("errorRate", errorRate)
        .put("p95Ms", Double.isNaN(p95Ms) ? null : p95Ms)
        .put("consecutiveFailures", consecutiveFailures)
        .put("contentFailures", contentFailures);
    }
  }

  /** Counts for one slice of time; {@code number} says which slice it holds (-1: none yet). */
  private static final class Slice {
    long number = -1;
    long requests;
    long errors;
    long contentFailures;
    final AbstractHistogram latencyMicros = new IntCountsHistogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);

    void reuseFor(long sliceNumber) {
      number = sliceNumber;
      requests = 0;
      errors = 0;
      contentFailures = 0;
      latencyMicros.reset();
    }
  }

  private final Clock clock;
  private final long sliceMillis;
  private final long originMillis;
  private final Slice[] ring;
  private final Histogram merged = new Histogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  private long lastMillis;
  private int consecutiveFailures;

  /** A window of {@link #DEFAULT_WINDOW} in {@link #DEFAULT_SLICES} slices. */
  public GateWindow(Clock clock) {
    this(DEFAULT_WINDOW, DEFAULT_SLICES, clock);
  }

  /**
   * @param window how far back the figures reach; a whole number of milliseconds per slice
   * @param slices how many slices the window is cut into, 1..3600
   */
  public GateWindow(Duration window, int slices, Clock clock) {
    Objects.requireNonNull(window, "window");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (slices < 1 || slices > MAX_SLICES) {
      throw new IllegalArgumentException("slices must be within 1.." + MAX_SLICES + ", got " + slices);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    long windowMillis = window.toMillis();
    if (windowMillis % slices != 0) {
      throw new IllegalArgumentException("window " + window + " does not split into " + slices + " whole-ms slices");
    }
    this.sliceMillis = windowMillis / slices;
    this.originMillis = clock.millis();
    this.lastMillis = originMillis;
    this.ring = new Slice[slices];
    for (int i = 0; i < slices; i++) {
      ring[i] = new Slice();
    }
  }

  /** Adds one finished request at the clock's current time. */
  public void record(ArmSample sample) {
    Objects.requireNonNull(sample, "sample");
    long current = currentSlice();
    Slice slice = ring[(int) (current % ring.length)];
    if (slice.number != current) {
      slice.reuseFor(current);
    }
    slice.requests++;
    if (sample.failed()) {
      slice.errors++;
      consecutiveFailures = consecutiveFailures == Integer.MAX_VALUE ? consecutiveFailures : consecutiveFailures + 1;
    } else {
      consecutiveFailures = 0;
    }
    if (sample.contentFailure()) {
      slice.contentFailures++;
    }
    slice.latencyMicros.recordValue(toMicros(sample.latencyMs()));
  }

  /** The figures over the slices still inside the window at the clock's current time. */
  public Stats stats() {
    long current = currentSlice();
    long requests = 0;
    long errors = 0;
    long contentFailures = 0;
    merged.reset();
    for (Slice slice : ring) {
      if (slice.number < 0 || current - slice.number >= ring.length) {
        continue;
      }
      requests += slice.requests;
      errors += slice.errors;
      contentFailures += slice.contentFailures;
      merged.add(slice.latencyMicros);
    }
    double errorRate = requests == 0 ? 0.0 : (double) errors / requests;
    double p95Ms = requests == 0 ? Double.NaN : merged.getValueAtPercentile(95.0) / 1000.0;
    return new Stats(requests, errors, errorRate, p95Ms, consecutiveFailures, contentFailures);
  }

  /** The length of the window. */
  public Duration window() {
    return Duration.ofMillis(sliceMillis * ring.length);
  }

  /** The slice number for now; time never runs backwards here even if the clock does. */
  private long currentSlice() {
    lastMillis = Math.max(lastMillis, clock.millis());
    return (lastMillis - originMillis) / sliceMillis;
  }

  private static long toMicros(double latencyMs) {
    return Math.round(Math.min(latencyMs, MAX_LATENCY_MS) * 1000.0);
  }
}
