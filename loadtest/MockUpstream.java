import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fast mock of the OpenAI, Anthropic and Ollama chat endpoints, used by {@code loadtest/bench.sh},
 * {@code loadtest/gatling.sh} and {@code loadtest/soak.sh}.
 *
 * <p>Run: {@code java -cp target/tiergate.jar loadtest/MockUpstream.java PORT [INSTANCES]} (one verticle, so one
 * HTTP server, per event loop; INSTANCES defaults to the CPUs the JVM sees).
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code POST …/chat/completions} (OpenAI): with {@code "stream":true} N {@code chat.completion.chunk} frames,
 *   a {@code finish_reason:"stop"} frame, a usage frame when {@code stream_options.include_usage} is true, then
 *   {@code data: [DONE]}; otherwise a small {@code chat.completion}.</li>
 *   <li>{@code POST /v1/messages} (Anthropic): with {@code "stream":true} {@code message_start},
 *   {@code content_block_start}, N {@code content_block_delta}/{@code text_delta}, {@code content_block_stop},
 *   {@code message_delta} (stop_reason {@code end_turn}, usage) and {@code message_stop}; otherwise a
 *   {@code message} object.</li>
 *   <li>{@code POST /api/chat} (Ollama): streamed unless {@code "stream":false} (Ollama's default), as NDJSON lines
 *   {@code {"model":…,"message":{"role":"assistant","content":…},"done":false}} and a last {@code done:true} line
 *   with {@code done_reason}, {@code prompt_eval_count} and {@code eval_count}.</li>
 *   <li>{@code GET /api/tags} (Ollama), {@code GET /v1/models} (OpenAI/Anthropic health checks),
 *   {@code GET /healthz}, {@code GET /mock/stats} (requests, streams, faults served so far).</li>
 * </ul>
 *
 * <p>Knobs, per request: header {@code x-mock-chunks} / {@code x-mock-gap-ms} / {@code x-mock-first-token-ms} /
 * {@code x-mock-fault-rate}, else the body's {@code metadata.mock_chunks} / {@code mock_gap_ms} /
 * {@code mock_first_token_ms} / {@code mock_fault_rate} (a gateway forwards body fields, not arbitrary headers), else
 * the process defaults: system properties {@code -Dmock.chunks=20 -Dmock.gapMs=50 -Dmock.firstTokenMs=0
 * -Dmock.faultRate=0.0} (or env {@code MOCK_CHUNKS}, {@code MOCK_GAP_MS}, {@code MOCK_FIRST_TOKEN_MS},
 * {@code MOCK_FAULT_RATE}). The first content chunk leaves after the first-token delay (at once by default), the next
 * ones {@code gap} ms apart. Fault rate: the fraction of requests that fail — a non-streamed one gets a 500 with an
 * error body in its API's shape, a stream is cut (connection closed) after a random number of content chunks
 * (at least one, fewer than N).
 *
 * <p>Cost: the frames are encoded once per model name (cached for the common names); one periodic timer per event
 * loop ({@code -Dmock.quantumMs}, 2 ms) sends whatever is due for every open stream of that loop, so a chunk may leave
 * up to 2 ms late — far cheaper than a timer per stream. Per chunk nothing is allocated but the frame write.
 */
public final class MockUpstream {

  static final int MAX_CHUNKS = 100_000;
  static final long MAX_MS = 600_000;
  static final String DEFAULT_MODEL = "gpt-4o";
  static final int DEFAULT_CHUNKS = (int) defaultLong("mock.chunks", "MOCK_CHUNKS", 20);
  static final long DEFAULT_GAP_MS = defaultLong("mock.gapMs", "MOCK_GAP_MS", 50);
  static final long DEFAULT_FIRST_MS = defaultLong("mock.firstTokenMs", "MOCK_FIRST_TOKEN_MS", 0);
  static final double DEFAULT_FAULT_RATE = defaultDouble("mock.faultRate", "MOCK_FAULT_RATE", 0.0);

  static final LongAdder REQUESTS = new LongAdder();
  static final LongAdder STREAMS = new LongAdder();
  static final LongAdder FAULTS = new LongAdder();

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: java -cp tiergate.jar loadtest/MockUpstream.java PORT [INSTANCES]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(instances));
    vertx.deployVerticle(() -> new MockVerticle(port), new DeploymentOptions().setInstances(instances))
      .onSuccess(id -> System.out.println("mock listening on " + port + " (" + instances + " event loops, "
        + (vertx.isNativeTransportEnabled() ? "native" : "nio") + " transport; defaults chunks=" + DEFAULT_CHUNKS
        + " gapMs=" + DEFAULT_GAP_MS + " firstTokenMs=" + DEFAULT_FIRST_MS + " faultRate=" + DEFAULT_FAULT_RATE
        + ")"))
      .onFailure(err -> {
        System.err.println("mock failed to start: " + err);
        vertx.close();
        System.exit(1);
      });
  }

  enum Api { OPENAI, ANTHROPIC, OLLAMA }

  /** One HTTP server instance per event loop; Vert.x shares the listening port between them. */
  static final class MockVerticle extends VerticleBase {
    private final int port;
    private Ticker ticker;

    MockVerticle(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      HttpServerOptions options = new HttpServerOptions()
        .setHost("127.0.0.1").setPort(port).setTcpNoDelay(true).setAcceptBacklog(8192)
        .setIdleTimeout(0).setCompressionSupported(false);
      ticker = new Ticker(vertx);
      return vertx.createHttpServer(options).requestHandler(this::handle).listen();
    }

    private void handle(HttpServerRequest req) {
      String path = req.path();
      boolean post = req.method().name().equals("POST");
      if (post && path.endsWith("/chat/completions")) {
        req.body().onSuccess(body -> chat(req, body, Api.OPENAI)).onFailure(err -> req.response().setStatusCode(400).end());
      } else if (post && path.equals("/v1/messages")) {
        req.body().onSuccess(body -> chat(req, body, Api.ANTHROPIC)).onFailure(err -> req.response().setStatusCode(400).end());
      } else if (post && path.equals("/api/chat")) {
        req.body().onSuccess(body -> chat(req, body, Api.OLLAMA)).onFailure(err -> req.response().setStatusCode(400).end());
      } else if (path.equals("/api/tags")) {
        json(req.response(), 200, TAGS);
      } else if (path.endsWith("/models")) {
        json(req.response(), 200, MODELS);
      } else if (path.equals("/healthz")) {
        req.response().end("ok");
      } else if (path.equals("/mock/stats")) {
        json(req.response(), 200, "{\"requests\":" + REQUESTS.sum() + ",\"streams\":" + STREAMS.sum()
          + ",\"faults\":" + FAULTS.sum() + "}");
      } else {
        json(req.response(), 404, "{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\",\"code\":null}}");
      }
    }

    private void chat(HttpServerRequest req, Buffer body, Api api) {
      REQUESTS.increment();
      JsonObject json;
      try {
        json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
      } catch (RuntimeException e) {
        json(req.response(), 400, "{\"error\":{\"message\":\"bad json\",\"type\":\"invalid_request_error\",\"code\":null}}");
        return;
      }
      String model = json.getValue("model") instanceof String m ? m : DEFAULT_MODEL;
      Frames frames = Frames.of(api, model);
      JsonObject meta = json.getValue("metadata") instanceof JsonObject m ? m : null;
      double faultRate = fraction(req.getHeader("x-mock-fault-rate"), meta == null ? null : meta.getValue("mock_fault_rate"),
        DEFAULT_FAULT_RATE);
      boolean fault = faultRate > 0 && ThreadLocalRandom.current().nextDouble() < faultRate;
      Object streamFlag = json.getValue("stream");
      boolean stream = api == Api.OLLAMA ? !Boolean.FALSE.equals(streamFlag) : Boolean.TRUE.equals(streamFlag);
      if (!stream) {
        if (fault) {
          FAULTS.increment();
          json(req.response(), 500, frames.errorBody);
        } else {
          json(req.response(), 200, frames.completion);
        }
        return;
      }
      STREAMS.increment();
      int chunks = (int) bounded(req.getHeader("x-mock-chunks"), meta == null ? null : meta.getValue("mock_chunks"),
        DEFAULT_CHUNKS, MAX_CHUNKS);
      long gap = bounded(req.getHeader("x-mock-gap-ms"), meta == null ? null : meta.getValue("mock_gap_ms"),
        DEFAULT_GAP_MS, MAX_MS);
      long first = bounded(req.getHeader("x-mock-first-token-ms"),
        meta == null ? null : meta.getValue("mock_first_token_ms"), DEFAULT_FIRST_MS, MAX_MS);
      JsonObject streamOptions = json.getValue("stream_options") instanceof JsonObject o ? o : null;
      boolean usage = streamOptions != null && Boolean.TRUE.equals(streamOptions.getValue("include_usage"));
      int cutAfter = -1;
      if (fault && chunks >= 2) {
        FAULTS.increment();
        cutAfter = 1 + ThreadLocalRandom.current().nextInt(chunks - 1);
      }
      new Stream(req, frames, chunks, first, gap, usage, cutAfter).start(ticker);
    }
  }

  static void json(HttpServerResponse resp, int status, Buffer body) {
    resp.setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
      .end(body);
  }

  static void json(HttpServerResponse resp, int status, String body) {
    json(resp, status, Buffer.buffer(body));
  }

  static final Buffer TAGS = Buffer.buffer("{\"models\":[" + tag("qwen3-coder:30b") + "," + tag("llama3.2:3b") + "]}");
  static final Buffer MODELS = Buffer.buffer("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\","
    + "\"type\":\"model\",\"created\":1,\"owned_by\":\"mock\"},{\"id\":\"claude-3-5-haiku-20241022\",\"object\":\"model\","
    + "\"type\":\"model\",\"created\":1,\"owned_by\":\"mock\"}],\"has_more\":false}");

  private static String tag(String name) {
    return "{\"name\":\"" + name + "\",\"model\":\"" + name + "\",\"modified_at\":\"2025-05-10T08:06:48.639712648-07:00\","
      + "\"size\":4683075271,\"digest\":\"0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163\","
      + "\"details\":{\"parent_model\":\"\",\"format\":\"gguf\",\"family\":\"qwen3\",\"families\":[\"qwen3\"],"
      + "\"parameter_size\":\"8.2B\",\"quantization_level\":\"Q4_K_M\"}}";
  }

  /** Header value wins over the body's metadata value; unparsable or out-of-range values fall back to the default. */
  static long bounded(String header, Object bodyValue, long dflt, long max) {
    long v = dflt;
    try {
      if (header != null) {
        v = Long.parseLong(header.trim());
      } else if (bodyValue instanceof Number n) {
        v = n.longValue();
      } else if (bodyValue instanceof String s) {
        v = Long.parseLong(s.trim());
      }
    } catch (NumberFormatException e) {
      v = dflt;
    }
    return v < 0 || v > max ? dflt : v;
  }

  /** A fraction in [0, 1]: header, else body value, else the default. */
  static double fraction(String header, Object bodyValue, double dflt) {
    double v = dflt;
    try {
      if (header != null) {
        v = Double.parseDouble(header.trim());
      } else if (bodyValue instanceof Number n) {
        v = n.doubleValue();
      } else if (bodyValue instanceof String s) {
        v = Double.parseDouble(s.trim());
      }
    } catch (NumberFormatException e) {
      v = dflt;
    }
    return v >= 0 && v <= 1 ? v : dflt;
  }

  static long defaultLong(String property, String env, long dflt) {
    String v = System.getProperty(property, System.getenv(env));
    return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
  }

  static double defaultDouble(String property, String env, double dflt) {
    String v = System.getProperty(property, System.getenv(env));
    return v == null || v.isBlank() ? dflt : Double.parseDouble(v.trim());
  }

  /**
   * Pre-encoded response bodies of one API for one model name. A stream is {@code head} (sent with the headers, may
   * be empty), {@code first} then {@code content} × (N − 1), then the tail built by {@link #tail}.
   */
  static final class Frames {
    private static final java.util.concurrent.ConcurrentHashMap<String, Frames> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

    final Api api;
    final String contentType;
    final Buffer head;
    final Buffer first;
    final Buffer content;
    final Buffer completion;
    final Buffer errorBody;
    private final String quotedModel;
    private final Buffer openAiStop;
    private final Buffer openAiDone;

    static Frames of(Api api, String model) {
      String key = api.name() + '\u0000' + model;
      Frames f = CACHE.get(key);
      if (f == null) {
        f = new Frames(api, model);
        if (CACHE.size() < 256) { // bounded: clients may send any model name
          CACHE.putIfAbsent(key, f);
        }
      }
      return f;
    }

    private Frames(Api api, String model) {
      this.api = api;
      String m = JsonObject.of("m", model).encode();
      quotedModel = m.substring(5, m.length() - 1);
      switch (api) {
        case OPENAI -> {
          contentType = "text/event-stream";
          String h = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
            + quotedModel + ",\"choices\":[";
          head = Buffer.buffer();
          first = Buffer.buffer(h
            + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"tok \"},\"finish_reason\":null}]}\n\n");
          content = Buffer.buffer(h + "{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n");
          openAiStop = Buffer.buffer(h + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
          openAiDone = Buffer.buffer("data: [DONE]\n\n");
          completion = Buffer.buffer("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":"
            + quotedModel + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can"
            + " I help you today?\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
            + "\"completion_tokens\":9,\"total_tokens\":18},\"system_fingerprint\":\"fp_mock\"}");
          errorBody = Buffer.buffer("{\"error\":{\"message\":\"mock fault\",\"type\":\"server_error\",\"param\":null,"
            + "\"code\":null}}");
        }
        case ANTHROPIC -> {
          contentType = "text/event-stream";
          head = Buffer.buffer(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_mock\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":" + quotedModel + ",\"content\":[],"
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,"
            + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}")
            + event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
          content = Buffer.buffer(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"tok \"}}"));
          first = content;
          openAiStop = null;
          openAiDone = null;
          completion = Buffer.buffer("{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
            + quotedModel + ",\"content\":[{\"type\":\"text\",\"text\":\"Hello! How can I help you today?\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,"
            + "\"output_tokens\":9}}");
          errorBody = Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"mock fault\"},"
            + "\"request_id\":\"req_mock\"}");
        }
        default -> {
          contentType = "application/x-ndjson";
          head = Buffer.buffer();
          content = Buffer.buffer("{\"model\":" + quotedModel + ",\"created_at\":\"2025-05-27T22:54:57.641643Z\","
            + "\"message\":{\"role\":\"assistant\",\"content\":\"tok \"},\"done\":false}\n");
          first = content;
          openAiStop = null;
          openAiDone = null;
          completion = Buffer.buffer("{\"model\":" + quotedModel + ",\"created_at\":\"2023-12-12T14:13:43.416799Z\","
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I help you today?\"},"
            + "\"done_reason\":\"stop\",\"done\":true,\"total_duration\":5191566416,\"load_duration\":2154458,"
            + "\"prompt_eval_count\":9,\"prompt_eval_duration\":383809000,\"eval_count\":9,"
            + "\"eval_duration\":4799921000}");
          errorBody = Buffer.buffer("{\"error\":\"mock fault\"}");
        }
      }
    }

    /** Writes everything after the last content chunk and ends the response. */
    void finish(HttpServerResponse resp, int chunks, boolean usage) {
      switch (api) {
        case OPENAI -> {
          resp.write(openAiStop);
          if (usage) {
            resp.write("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
              + quotedModel + ",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + chunks
              + ",\"total_tokens\":" + (9 + chunks) + "}}\n\n");
          }
          resp.end(openAiDone);
        }
        case ANTHROPIC -> resp.end(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
          + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
          + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + chunks + "}}")
          + event("message_stop", "{\"type\":\"message_stop\"}"));
        default -> resp.end("{\"model\":" + quotedModel + ",\"created_at\":\"2025-05-27T22:54:58.100509Z\","
          + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,"
          + "\"total_duration\":4883583458,\"load_duration\":1334875,\"prompt_eval_count\":9,"
          + "\"prompt_eval_duration\":342546000,\"eval_count\":" + chunks + ",\"eval_duration\":4535599000}\n");
      }
    }

    private static String event(String name, String data) {
      return "event: " + name + "\ndata: " + data + "\n\n";
    }
  }

  /**
   * Sends the due chunks of every open stream of one event loop from a single periodic timer, every
   * {@link #QUANTUM_MS} ms: one wake-up serves many streams, which keeps the mock cheap next to the server under test.
   * A chunk therefore leaves up to {@link #QUANTUM_MS} ms after its due time; with no first-token delay the first
   * chunk leaves at once.
   */
  static final class Ticker {
    static final long QUANTUM_MS = Long.getLong("mock.quantumMs", 2);
    private final Vertx vertx;
    private final java.util.ArrayList<Stream> streams = new java.util.ArrayList<>();
    private long timer = -1;

    Ticker(Vertx vertx) {
      this.vertx = vertx;
    }

    void add(Stream s) {
      streams.add(s);
      if (timer < 0) {
        timer = vertx.setPeriodic(QUANTUM_MS, id -> run());
      }
    }

    private void run() {
      long now = System.nanoTime();
      int kept = 0;
      for (int i = 0, n = streams.size(); i < n; i++) {
        Stream s = streams.get(i);
        if (!s.advance(now)) {
          streams.set(kept++, s);
        }
      }
      streams.subList(kept, streams.size()).clear();
      if (streams.isEmpty()) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }

  /** One streamed answer, driven by the event loop's {@link Ticker}. */
  static final class Stream {
    private final HttpServerRequest req;
    private final HttpServerResponse resp;
    private final Frames frames;
    private final int chunks;
    private final long firstNanos;
    private final long gapNanos;
    private final boolean usage;
    private final int cutAfter;
    private int sent;
    private long nextDue;
    private boolean closed;

    Stream(HttpServerRequest req, Frames frames, int chunks, long firstMs, long gapMs, boolean usage, int cutAfter) {
      this.req = req;
      this.resp = req.response();
      this.frames = frames;
      this.chunks = chunks;
      this.firstNanos = firstMs * 1_000_000;
      this.gapNanos = gapMs * 1_000_000;
      this.usage = usage;
      this.cutAfter = cutAfter;
    }

    void start(Ticker ticker) {
      resp.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, frames.contentType)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      resp.closeHandler(v -> closed = true);
      resp.exceptionHandler(err -> closed = true);
      if (frames.head.length() > 0) {
        resp.write(frames.head);
      }
      nextDue = System.nanoTime() + firstNanos;
      if (firstNanos == 0 && gapNanos == 0) {
        advance(nextDue);
        return;
      }
      if (firstNanos == 0 && chunks > 0) {
        send();
        nextDue += gapNanos;
      }
      if (!closed && sent < chunks) {
        ticker.add(this);
      } else {
        finish();
      }
    }

    /**
     * Sends what is due at {@code now}; returns true when this stream is over. A client that does not read (its write
     * queue is full) is not written to until it drains, as a real server blocked on its socket would not: what is
     * due then goes out late, and the mock's memory stays bounded.
     */
    boolean advance(long now) {
      while (!closed && sent < chunks && nextDue - now <= 0 && !resp.writeQueueFull()) {
        send();
        nextDue += gapNanos;
      }
      if (!closed && sent >= chunks) {
        finish();
      }
      return closed;
    }

    private void send() {
      resp.write(sent == 0 ? frames.first : frames.content);
      sent++;
      if (sent == cutAfter) {
        // the injected fault: the upstream drops the connection mid-stream
        closed = true;
        req.connection().close();
      }
    }

    private void finish() {
      if (closed) {
        return;
      }
      closed = true;
      frames.finish(resp, chunks, usage);
    }
  }
}
