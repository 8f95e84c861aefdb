import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * SSE load client for OpenAI-style streaming chat completions, used by {@code loadtest/bench.sh}.
 *
 * <p>Run: {@code java -cp target/tiergate.jar loadtest/SseLoad.java URL [options]}, URL being the full
 * {@code …/v1/chat/completions} address. Options (defaults in brackets):
 * {@code -c N} concurrent streams [1000], {@code --chunks N} [20], {@code --gap-ms N} [50],
 * {@code --duration-s S} keep C streams open for S seconds, each worker starting a new stream when its previous one
 * ends [0 = one stream per worker], {@code --warmup-s S} same, results discarded [0],
 * {@code --ramp-ms N} spread the first starts over N ms [0], {@code --max-streams N} [1000000],
 * {@code --timeout-s S} hard limit for the whole run [60], {@code --model M} [gpt-4o], {@code --label L},
 * {@code --abandon-pct P} percent of streams the client resets after their second content chunk (counted as
 * {@code abandoned}, not errors) [0], {@code --fault-rate F} fraction of streams the mock is asked to cut mid-way
 * ({@code x-mock-fault-rate} / {@code metadata.mock_fault_rate}) [0].
 *
 * <p>Chunk count and gap travel both as headers ({@code x-mock-chunks}, {@code x-mock-gap-ms}) and in the body's
 * {@code metadata} (a gateway forwards body fields but not arbitrary headers). Per stream it measures TTFT (request
 * start to the first {@code data:} line carrying content) and total time. A stream is an error when the status is not
 * 200, {@code data: [DONE]} is missing, fewer content chunks than expected arrive, an error frame arrives, an
 * exception happens, or the run times out. The gap between consecutive content chunks is measured too (p50/p99).
 * Prints one JSON line; exit status 0 even with errors (the caller judges).
 */
public final class SseLoad {

  record Config(String url, int concurrency, int chunks, long gapMs, long durationMs, long warmupMs, long rampMs,
                long maxStreams, long timeoutMs, String model, String label, int loops, double abandonPct,
                double faultRate) {
  }

  /** Results of one measured phase; written from event loops, read by main after the phase completed. */
  static final class Stats {
    final ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>(); // {ttftNanos, totalNanos}
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final AtomicReference<String> firstError = new AtomicReference<>();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final AtomicInteger abandoned = new AtomicInteger();
    /** Gaps between consecutive content chunks, microseconds, in fixed buckets of 100 µs up to 10 s. */
    final java.util.concurrent.atomic.AtomicLongArray gaps = new java.util.concurrent.atomic.AtomicLongArray(100_001);

    void error(String reason, String detail) {
      errors.computeIfAbsent(reason, k -> new LongAdder()).increment();
      firstError.compareAndSet(null, reason + (detail == null ? "" : ": " + detail));
    }
  }

  public static void main(String[] args) throws Exception {
    Config cfg = parse(args);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(cfg.loops()));
    long hardDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cfg.timeoutMs());
    try {
      List<Driver> drivers = new ArrayList<>();
      List<Future<String>> deployed = new ArrayList<>();
      for (int i = 0; i < cfg.loops(); i++) {
        Driver d = new Driver(cfg, i * cfg.concurrency() / cfg.loops(), (i + 1) * cfg.concurrency() / cfg.loops());
        drivers.add(d);
        deployed.add(vertx.deployVerticle(d));
      }
      Future.all(deployed).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Stats warmup = new Stats();
      if (cfg.warmupMs() > 0) {
        runPhase(drivers, cfg, cfg.warmupMs(), warmup, hardDeadline, cfg.rampMs());
      }
      Stats stats = new Stats();
      long t0 = System.nanoTime();
      boolean completed = runPhase(drivers, cfg, cfg.durationMs(), stats, hardDeadline, cfg.rampMs());
      long elapsed = System.nanoTime() - t0;
      System.out.println(summary(cfg, stats, completed, elapsed, warmup));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Runs one phase on the driver verticles (connections stay pooled between phases); returns false when the hard
   * deadline cut it short.
   */
  static boolean runPhase(List<Driver> drivers, Config cfg, long durationMs, Stats stats, long hardDeadline,
                          long rampMs) throws Exception {
    long phaseEnd = durationMs > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs) : 0;
    AtomicInteger budget = new AtomicInteger((int) Math.min(Integer.MAX_VALUE, cfg.maxStreams()));
    List<Future<Void>> all = new ArrayList<>();
    for (Driver d : drivers) {
      Promise<Void> p = Promise.promise();
      all.add(p.future());
      d.context().runOnContext(v -> d.begin(stats, phaseEnd, rampMs, budget, p));
    }
    long waitNanos = Math.max(0, hardDeadline - System.nanoTime());
    try {
      Future.all(all).toCompletionStage().toCompletableFuture().get(waitNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  /** Runs workers [first, last) on one event loop, each with its own connection pool (the client of this verticle). */
  static final class Driver extends VerticleBase {
    private final Config cfg;
    private final int first;
    private final int last;
    private Stats stats;
    private long phaseEnd;
    private AtomicInteger budget;
    private Promise<Void> done;
    private HttpClient client;
    private Buffer body;
    private int active;

    Driver(Config cfg, int first, int last) {
      this.cfg = cfg;
      this.first = first;
      this.last = last;
    }

    io.vertx.core.Context context() {
      return context;
    }

    @Override
    public Future<?> start() {
      client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(10_000)
          .setIdleTimeout(0))
        .with(new PoolOptions().setHttp1MaxSize(Math.max(2000, cfg.concurrency())).setMaxWaitQueueSize(-1))
        .build();
      body = Buffer.buffer(new JsonObject()
        .put("model", cfg.model())
        .put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", List.of(new JsonObject().put("role", "user").put("content", "hi")))
        .put("metadata", new JsonObject().put("mock_chunks", cfg.chunks()).put("mock_gap_ms", cfg.gapMs())
          .put("mock_fault_rate", cfg.faultRate()))
        .encode());
      return Future.succeededFuture();
    }

    /** Starts a phase; called on this verticle's event loop. */
    void begin(Stats stats, long phaseEnd, long rampMs, AtomicInteger budget, Promise<Void> done) {
      this.stats = stats;
      this.phaseEnd = phaseEnd;
      this.budget = budget;
      this.done = done;
      active = last - first;
      if (active == 0) {
        done.tryComplete();
      }
      for (int w = first; w < last; w++) {
        long delay = cfg.concurrency() > 1 ? rampMs * w / cfg.concurrency() : 0;
        if (delay < 1) {
          startStream();
        } else {
          vertx.setTimer(delay, id -> startStream());
        }
      }
    }

    @Override
    public Future<?> stop() {
      return client.close();
    }

    private void startStream() {
      if (budget.getAndDecrement() <= 0) {
        workerDone();
        return;
      }
      Stats st = stats;
      st.started.incrementAndGet();
      StreamProbe probe = new StreamProbe(System.nanoTime(), st,
        java.util.concurrent.ThreadLocalRandom.current().nextDouble(100) < cfg.abandonPct() ? 2 : -1);
      RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(cfg.url())
        .putHeader("content-type", "application/json").putHeader("accept", "text/event-stream")
        .putHeader("x-mock-chunks", Integer.toString(cfg.chunks()))
        .putHeader("x-mock-gap-ms", Long.toString(cfg.gapMs()))
        .putHeader("x-mock-fault-rate", Double.toString(cfg.faultRate()))
        .setIdleTimeout(Math.max(10_000, cfg.gapMs() * 4));
      client.request(ro)
        .compose(req -> req.send(body))
        .compose(resp -> consume(resp, probe))
        .onComplete(ar -> {
          st.finished.incrementAndGet();
          if (probe.abandoned) {
            st.abandoned.incrementAndGet();
          } else if (ar.failed()) {
            st.error("exception", String.valueOf(ar.cause()));
          } else {
            judge(st, probe);
          }
          next();
        });
    }

    private Future<Void> consume(HttpClientResponse resp, StreamProbe probe) {
      if (resp.statusCode() != 200) {
        return resp.body().map(b -> {
          probe.status = resp.statusCode();
          probe.errorBody = b.toString().substring(0, Math.min(300, b.length()));
          return null;
        });
      }
      probe.status = 200;
      resp.handler(buf -> {
        probe.feed(buf);
        if (probe.abandonAfter > 0 && probe.contentChunks >= probe.abandonAfter && !probe.abandoned) {
          probe.abandoned = true;
          resp.request().reset();
        }
      });
      return resp.end().onSuccess(v -> probe.end = System.nanoTime());
    }

    private void judge(Stats stats, StreamProbe p) {
      if (p.status != 200) {
        stats.error("status_" + p.status, p.errorBody);
      } else if (p.errorFrame != null) {
        stats.error("error_frame", p.errorFrame);
      } else if (!p.done) {
        stats.error("missing_done", p.contentChunks + " content chunks");
      } else if (p.contentChunks < cfg.chunks()) {
        stats.error("short_stream", p.contentChunks + " of " + cfg.chunks() + " content chunks");
      } else if (p.overflow) {
        stats.error("line_too_long", null);
      } else {
        stats.samples.add(new long[] {p.ttft - p.start, p.end - p.start});
      }
    }

    private void next() {
      if (phaseEnd != 0 && System.nanoTime() < phaseEnd) {
        startStream();
      } else {
        workerDone();
      }
    }

    private void workerDone() {
      if (--active == 0) {
        done.tryComplete();
      }
    }
  }

  /** Incremental SSE line reader for one stream: lines may split anywhere across buffers. */
  static final class StreamProbe {
    private static final int MAX_LINE = 1 << 20;
    final long start;
    long ttft;
    long end;
    int status;
    String errorBody;
    String errorFrame;
    int contentChunks;
    boolean done;
    boolean overflow;
    boolean abandoned;
    final int abandonAfter;
    private final Stats stats;
    private long lastChunk;
    private byte[] line = new byte[512];
    private int len;

    StreamProbe(long start, Stats stats, int abandonAfter) {
      this.start = start;
      this.stats = stats;
      this.abandonAfter = abandonAfter;
    }

    void feed(Buffer buf) {
      int n = buf.length();
      for (int i = 0; i < n; i++) {
        byte b = buf.getByte(i);
        if (b == '\n') {
          onLine();
          len = 0;
        } else if (len < MAX_LINE) {
          if (len == line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE, len * 2));
          }
          line[len++] = b;
        } else {
          overflow = true;
        }
      }
    }

    private void onLine() {
      int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
      if (end < 5 || line[0] != 'd' || line[1] != 'a' || line[2] != 't' || line[3] != 'a' || line[4] != ':') {
        return;
      }
      int from = end > 5 && line[5] == ' ' ? 6 : 5;
      String data = new String(line, from, end - from, java.nio.charset.StandardCharsets.UTF_8);
      if (data.equals("[DONE]")) {
        done = true;
      } else if (hasContent(data)) {
        long now = System.nanoTime();
        if (contentChunks++ == 0) {
          ttft = now;
        } else {
          stats.gaps.incrementAndGet((int) Math.min(100_000, (now - lastChunk) / 100_000));
        }
        lastChunk = now;
      } else if (data.startsWith("{\"error\"") || data.contains("\"error\":{")) {
        errorFrame = data.substring(0, Math.min(300, data.length()));
      }
    }

    private static boolean hasContent(String data) {
      int i = data.indexOf("\"content\":\"");
      return i >= 0 && i + 11 < data.length() && data.charAt(i + 11) != '"';
    }
  }

  static String summary(Config cfg, Stats s, boolean completed, long elapsedNanos, Stats warmup) {
    long[] ttft = s.samples.stream().mapToLong(a -> a[0]).sorted().toArray();
    long[] total = s.samples.stream().mapToLong(a -> a[1]).sorted().toArray();
    int inFlight = s.started.get() - s.finished.get();
    if (inFlight > 0) {
      s.errors.computeIfAbsent("timeout", k -> new LongAdder()).add(inFlight);
      s.firstError.compareAndSet(null, "timeout: " + inFlight + " streams still open at the deadline");
    }
    long errors = s.errors.values().stream().mapToLong(LongAdder::sum).sum();
    Map<String, Long> reasons = new TreeMap<>();
    s.errors.forEach((k, v) -> reasons.put(k, v.sum()));
    double secs = elapsedNanos / 1e9;
    JsonObject o = new JsonObject()
      .put("label", cfg.label())
      .put("url", cfg.url())
      .put("concurrency", cfg.concurrency())
      .put("chunks", cfg.chunks())
      .put("gap_ms", cfg.gapMs())
      .put("count", s.started.get())
      .put("ok", ttft.length)
      .put("errors", errors)
      .put("error_reasons", new JsonObject(new java.util.LinkedHashMap<>(reasons)))
      .put("first_error", s.firstError.get())
      .put("completed", completed)
      .put("warmup_count", warmup.started.get())
      .put("warmup_errors", warmup.errors.values().stream().mapToLong(LongAdder::sum).sum())
      .put("elapsed_s", round(secs))
      .put("streams_per_s", round(secs > 0 ? ttft.length / secs : 0))
      .put("ttft_p50_ms", ms(pct(ttft, 0.50)))
      .put("ttft_p99_ms", ms(pct(ttft, 0.99)))
      .put("ttft_max_ms", ms(ttft.length == 0 ? 0 : ttft[ttft.length - 1]))
      .put("total_p50_ms", ms(pct(total, 0.50)))
      .put("total_p99_ms", ms(pct(total, 0.99)))
      .put("total_max_ms", ms(total.length == 0 ? 0 : total[total.length - 1]))
      .put("abandoned", s.abandoned.get())
      .put("gap_p50_ms", gapPct(s, 0.50))
      .put("gap_p99_ms", gapPct(s, 0.99));
    return o.encode();
  }

  /** The upper edge of the 100 µs bucket holding the p-th gap, in ms. */
  static double gapPct(Stats s, double p) {
    long count = 0;
    for (int i = 0; i < s.gaps.length(); i++) {
      count += s.gaps.get(i);
    }
    long rank = (long) Math.ceil(p * count);
    long seen = 0;
    for (int i = 0; i < s.gaps.length() && count > 0; i++) {
      seen += s.gaps.get(i);
      if (seen >= rank) {
        return (i + 1) / 10.0;
      }
    }
    return 0;
  }

  static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int idx = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  static double round(double v) {
    return Math.round(v * 100.0) / 100.0;
  }

  static Config parse(String[] args) {
    String url = null;
    int c = 1000;
    int chunks = 20;
    long gap = 50;
    long duration = 0;
    long warmup = 0;
    long ramp = 0;
    long maxStreams = 1_000_000;
    long timeout = 60;
    String model = "gpt-4o";
    String label = "";
    int loops = Math.min(4, Runtime.getRuntime().availableProcessors());
    double abandon = 0;
    double fault = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-c", "--concurrency" -> c = Integer.parseInt(args[++i]);
        case "--chunks" -> chunks = Integer.parseInt(args[++i]);
        case "--gap-ms" -> gap = Long.parseLong(args[++i]);
        case "--duration-s" -> duration = (long) (Double.parseDouble(args[++i]) * 1000);
        case "--warmup-s" -> warmup = (long) (Double.parseDouble(args[++i]) * 1000);
        case "--ramp-ms" -> ramp = Long.parseLong(args[++i]);
        case "--max-streams" -> maxStreams = Long.parseLong(args[++i]);
        case "--timeout-s" -> timeout = Long.parseLong(args[++i]);
        case "--model" -> model = args[++i];
        case "--label" -> label = args[++i];
        case "--loops" -> loops = Integer.parseInt(args[++i]);
        case "--abandon-pct" -> abandon = Double.parseDouble(args[++i]);
        case "--fault-rate" -> fault = Double.parseDouble(args[++i]);
        default -> {
          if (a.startsWith("-") || url != null) {
            System.err.println("unknown argument: " + a);
            System.exit(2);
          }
          url = a;
        }
      }
    }
    if (url == null || c < 1 || loops < 1 || timeout < 1) {
      System.err.println("usage: java -cp tiergate.jar loadtest/SseLoad.java URL [-c N] [--chunks N] [--gap-ms N]"
        + " [--duration-s S] [--warmup-s S] [--ramp-ms N] [--max-streams N] [--timeout-s S] [--model M]"
        + " [--label L] [--loops N] [--abandon-pct P] [--fault-rate F]");
      System.exit(2);
    }
    return new Config(url, c, chunks, gap, duration, warmup, ramp, maxStreams, timeout * 1000, model, label,
      Math.min(loops, c), abandon, fault);
  }
}
