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

/**
 * A fast mock of the OpenAI Chat Completions endpoint, used by {@code loadtest/bench.sh}.
 *
 * <p>Run: {@code java -cp target/tiergate.jar loadtest/MockUpstream.java PORT [INSTANCES]}.
 *
 * <p>{@code POST …/chat/completions}: with {@code "stream":true} it answers {@code text/event-stream} with N content
 * chunks (the first at once, the next ones {@code gap} ms apart, driven by one Vert.x timer per event loop), a final
 * chunk with {@code finish_reason:"stop"}, a usage chunk when {@code stream_options.include_usage} is true, then
 * {@code data: [DONE]}. N and gap come from the headers {@code x-mock-chunks} / {@code x-mock-gap-ms}, else from the
 * body's {@code metadata.mock_chunks} / {@code metadata.mock_gap_ms} (a gateway forwards body fields, not arbitrary
 * headers), else 20 and 50. Without {@code stream} it answers a small {@code chat.completion} JSON.
 * {@code GET /healthz} answers 200.
 */
public final class MockUpstream {

  static final int DEFAULT_CHUNKS = 20;
  static final long DEFAULT_GAP_MS = 50;
  static final int MAX_CHUNKS = 100_000;
  static final long MAX_GAP_MS = 60_000;
  static final String DEFAULT_MODEL = "gpt-4o";

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
        + (vertx.isNativeTransportEnabled() ? "native" : "nio") + " transport)"))
      .onFailure(err -> {
        System.err.println("mock failed to start: " + err);
        vertx.close();
        System.exit(1);
      });
  }

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
        .setHost("127.0.0.1").setPort(port).setTcpNoDelay(true).setAcceptBacklog(4096)
        .setIdleTimeout(0).setCompressionSupported(false);
      ticker = new Ticker(vertx);
      return vertx.createHttpServer(options).requestHandler(this::handle).listen();
    }

    private void handle(HttpServerRequest req) {
      String path = req.path();
      if (path.endsWith("/chat/completions") && req.method().name().equals("POST")) {
        req.body().onSuccess(body -> chat(req, body)).onFailure(err -> req.response().setStatusCode(400).end());
      } else if (path.equals("/healthz")) {
        req.response().end("ok");
      } else {
        req.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end("{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\",\"code\":null}}");
      }
    }

    private void chat(HttpServerRequest req, Buffer body) {
      JsonObject json;
      try {
        json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
      } catch (RuntimeException e) {
        req.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end("{\"error\":{\"message\":\"bad json\",\"type\":\"invalid_request_error\",\"code\":null}}");
        return;
      }
      String model = json.getValue("model") instanceof String m ? m : DEFAULT_MODEL;
      Frames frames = Frames.of(model);
      if (Boolean.TRUE.equals(json.getValue("stream"))) {
        JsonObject meta = json.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
        int chunks = (int) bounded(req.getHeader("x-mock-chunks"), meta.getValue("mock_chunks"), DEFAULT_CHUNKS,
          MAX_CHUNKS);
        long gap = bounded(req.getHeader("x-mock-gap-ms"), meta.getValue("mock_gap_ms"), DEFAULT_GAP_MS, MAX_GAP_MS);
        JsonObject streamOptions = json.getValue("stream_options") instanceof JsonObject o ? o : null;
        boolean usage = streamOptions != null && Boolean.TRUE.equals(streamOptions.getValue("include_usage"));
        new Stream(req.response(), frames, chunks, gap, usage).start(ticker);
      } else {
        req.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CONTENT_LENGTH, frames.completionLength)
          .end(frames.completion);
      }
    }
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

  /** Pre-encoded response bodies for one model name (the common "gpt-4o" case is built once). */
  static final class Frames {
    private static final Frames DEFAULT = new Frames(DEFAULT_MODEL);

    final Buffer first;
    final Buffer content;
    final Buffer stop;
    final String usageHead;
    final Buffer done;
    final Buffer completion;
    final String completionLength;

    static Frames of(String model) {
      return DEFAULT_MODEL.equals(model) ? DEFAULT : new Frames(model);
    }

    private Frames(String model) {
      String m = JsonObject.of("m", model).encode();
      String quotedModel = m.substring(5, m.length() - 1);
      String head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
        + quotedModel + ",\"choices\":[";
      first = Buffer.buffer(head
        + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"tok \"},\"finish_reason\":null}]}\n\n");
      content = Buffer.buffer(head + "{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n");
      stop = Buffer.buffer(head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
      usageHead = head + "],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":";
      done = Buffer.buffer("data: [DONE]\n\n");
      String body = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":" + quotedModel
        + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I help you"
        + " today?\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
        + "\"completion_tokens\":9,\"total_tokens\":18},\"system_fingerprint\":\"fp_mock\"}";
      completion = Buffer.buffer(body);
      completionLength = Integer.toString(completion.length());
    }
  }

  /**
   * Sends the due chunks of every open stream of one event loop from a single periodic timer, every
   * {@link #QUANTUM_MS} ms: one wake-up serves many streams, which keeps the mock cheap next to the server under test.
   * A chunk therefore leaves up to {@link #QUANTUM_MS} ms after its due time; the first chunk leaves at once.
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

  /** One SSE answer: the first chunk at once, the next ones when due (driven by the event loop's {@link Ticker}). */
  static final class Stream {
    private final HttpServerResponse resp;
    private final Frames frames;
    private final int chunks;
    private final long gapNanos;
    private final boolean usage;
    private int sent;
    private long nextDue;
    private boolean closed;

    Stream(HttpServerResponse resp, Frames frames, int chunks, long gapMs, boolean usage) {
      this.resp = resp;
      this.frames = frames;
      this.chunks = chunks;
      this.gapNanos = gapMs * 1_000_000;
      this.usage = usage;
    }

    void start(Ticker ticker) {
      resp.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      resp.closeHandler(v -> closed = true);
      resp.exceptionHandler(err -> closed = true);
      if (gapNanos == 0) {
        while (sent < chunks && !closed) {
          send();
        }
        finish();
        return;
      }
      nextDue = System.nanoTime();
      if (chunks > 0) {
        send();
        nextDue += gapNanos;
      }
      if (sent < chunks) {
        ticker.add(this);
      } else {
        finish();
      }
    }

    /** Sends what is due at {@code now}; returns true when this stream is over. */
    boolean advance(long now) {
      while (!closed && sent < chunks && nextDue - now <= 0) {
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
    }

    private void finish() {
      if (closed) {
        return;
      }
      resp.write(frames.stop);
      if (usage) {
        resp.write(frames.usageHead + chunks + ",\"total_tokens\":" + (9 + chunks) + "}}\n\n");
      }
      closed = true;
      resp.end(frames.done);
    }
  }
}
