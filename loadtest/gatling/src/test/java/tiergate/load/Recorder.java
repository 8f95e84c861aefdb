package tiergate.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Figures Gatling does not report by itself, recorded by the simulations and written as one JSON object to
 * {@code metricsFile} when the simulation ends: histograms ({@code ttft_ms}: request start to the first message
 * carrying content; {@code gap_ms}: time between consecutive content messages of a stream; {@code total_ms};
 * {@code ok_ms} / {@code refused_ms} for plain requests, …) with count / mean / p50 / p90 / p99 / p999 / max in
 * milliseconds with three decimals, and counters ({@code ok}, {@code error_*}, {@code status_*}, {@code route_*}, …).
 *
 * <p>Times are taken with {@link System#nanoTime()} inside Gatling (for SSE: when Gatling evaluates a message, on
 * its event loop as the message arrives), so they include the same Gatling overhead for every target; Gatling's own
 * report has whole milliseconds only. Buckets: 1 µs below 1 s, 1 ms from 1 s to 600 s (clamped beyond).
 */
final class Recorder {

  private static final int MICRO_BUCKETS = 1_000_000;
  private static final int MILLI_BUCKETS = 600_000;
  private static final Map<String, AtomicLongArray> HISTOGRAMS = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> COUNTERS = new ConcurrentHashMap<>();

  /**
   * Samples of requests started before this are not put in the histograms (counters still count them): the
   * warm-up of the Gatling JVM, {@code warmupS} seconds, by default the ramp ({@code rampS}).
   */
  static final long MEASURE_FROM = System.nanoTime()
      + Params.integer("warmupS", Params.integer("rampS", 5)) * 1_000_000_000L;

  private Recorder() {
  }

  /** Whether a request started at {@code startNanos} is measured (not warm-up). */
  static boolean measured(long startNanos) {
    return startNanos - MEASURE_FROM >= 0;
  }

  static void recordNanos(String histogram, long nanos) {
    long us = Math.max(0, nanos / 1000);
    int bucket = us < MICRO_BUCKETS ? (int) us : MICRO_BUCKETS + (int) Math.min(MILLI_BUCKETS, us / 1000 - 1000);
    HISTOGRAMS.computeIfAbsent(histogram, k -> new AtomicLongArray(MICRO_BUCKETS + MILLI_BUCKETS + 1))
        .incrementAndGet(bucket);
  }

  private static double bucketMs(int bucket) {
    return bucket < MICRO_BUCKETS ? bucket / 1000.0 : 1000.0 + (bucket - MICRO_BUCKETS);
  }

  static void count(String counter) {
    COUNTERS.computeIfAbsent(counter, k -> new LongAdder()).increment();
  }

  static String json(String simulation) {
    StringBuilder sb = new StringBuilder("{\"simulation\":\"").append(simulation).append("\",\"label\":\"")
        .append(Params.label()).append("\",\"baseUrl\":\"").append(Params.baseUrl()).append("\",\"counters\":{");
    Map<String, Long> counters = new TreeMap<>();
    COUNTERS.forEach((k, v) -> counters.put(k, v.sum()));
    String sep = "";
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      sb.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
      sep = ",";
    }
    sb.append("}");
    for (Map.Entry<String, AtomicLongArray> e : new TreeMap<>(HISTOGRAMS).entrySet()) {
      AtomicLongArray h = e.getValue();
      long n = 0;
      double sum = 0;
      int max = 0;
      for (int i = 0; i < h.length(); i++) {
        long c = h.get(i);
        if (c > 0) {
          n += c;
          sum += c * bucketMs(i);
          max = i;
        }
      }
      sb.append(",\"").append(e.getKey()).append("\":{\"count\":").append(n)
          .append(",\"mean\":").append(fmt(n == 0 ? 0 : sum / n))
          .append(",\"p50\":").append(fmt(pct(h, n, 0.50))).append(",\"p90\":").append(fmt(pct(h, n, 0.90)))
          .append(",\"p99\":").append(fmt(pct(h, n, 0.99))).append(",\"p999\":").append(fmt(pct(h, n, 0.999)))
          .append(",\"max\":").append(fmt(n == 0 ? 0 : bucketMs(max))).append('}');
    }
    return sb.append('}').toString();
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }

  private static double pct(AtomicLongArray h, long n, double p) {
    if (n == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(p * n);
    long seen = 0;
    for (int i = 0; i < h.length(); i++) {
      seen += h.get(i);
      if (seen >= rank) {
        return bucketMs(i);
      }
    }
    return bucketMs(h.length() - 1);
  }

  /** Writes the figures to {@code metricsFile} (default target/gatling/SIMULATION-LABEL.json) and prints them. */
  static void write(String simulation) {
    String json = json(simulation);
    Path file = Path.of(Params.str("metricsFile", "target/gatling/" + simulation + "-" + Params.label() + ".json"));
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("could not write " + file + ": " + e);
    }
    System.out.println("TIERGATE-METRICS " + json);
  }
}
