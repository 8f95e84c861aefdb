package dev.tiergate.support;

import dev.tiergate.support.FaultFrames.Failure;
import dev.tiergate.support.FaultReply.Shape;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process LLM upstream whose behaviour is chosen by the request's {@code model}, so that one server can stand
 * behind every provider of a gateway and each gateway model can name its fault. It speaks three real wire formats by
 * path: OpenAI Chat Completions ({@code POST /v1/chat/completions}, SSE), Anthropic Messages
 * ({@code POST /v1/messages}, SSE) and Ollama chat ({@code POST /api/chat}, NDJSON); errors come in the same format.
 *
 * <p>The answer is always {@link #ANSWER}, streamed one word (with the space after it) per frame, {@code gapMs} apart;
 * usage is {@value #PROMPT_TOKENS} prompt tokens and one completion token per word. A request whose last message is
 * the assistant's is a prefill: the answer is what is left of ANSWER after it (trailing whitespace of the prefill
 * ignored), and a prefill that does not start ANSWER is refused with a 400.
 *
 * <p>Models:
 * <ul>
 *   <li>{@value #OK}: a healthy answer.</li>
 *   <li>{@value #RATE_ONCE}: 429 with {@code retry-after: 1} the first time, then healthy.</li>
 *   <li>{@value #RATE_FOREVER}: always 429, without Retry-After.</li>
 *   <li>{@value #ERROR_ONCE}: 500 the first time, then healthy.</li>
 *   <li>{@value #UNAVAILABLE}: always 503.</li>
 *   <li>{@value #RESET}: closes the connection without answering.</li>
 *   <li>{@value #BLACKHOLE}: never answers.</li>
 *   <li>{@value #LATE_FIRST_TOKEN}: 200 stream headers at once, the first frame after {@code firstTokenDelayMs}.</li>
 *   <li>{@value #CUT}: {@code cutAfterWords} words, then the connection is closed.</li>
 *   <li>{@value #STALL}: {@code cutAfterWords} words, then silence on an open connection.</li>
 *   <li>{@value #MALFORMED}: {@code cutAfterWords} words, one frame cut inside its JSON, the rest, a normal end.</li>
 *   <li>{@value #NO_DONE}: every word, then a clean end without finish reason or end marker.</li>
 *   <li>{@value #CONTEXT_LENGTH}: 400, the context window is exceeded ({@code context_length_exceeded}).</li>
 *   <li>{@value #CONTENT_POLICY}: 400, refused by the safety system ({@code content_policy_violation}).</li>
 *   <li>{@value #REFUSE_PREFILL}: 400 for a prefill, healthy otherwise.</li>
 *   <li>{@value #FLAKY}: 503 while {@link #flaky(boolean)} is on (it starts on), healthy when off.</li>
 *   <li>anything else: 404, no such model.</li>
 * </ul>
 * Non-streamed requests get the same statuses; see {@link FaultReply.Shape} for the whole-answer faults. "The first
 * time" counts requests for that model name on any path since the start or the last {@link #reset()}.
 */
public final class FaultUpstream {

  public static final String ANSWER =
      "The quick brown fox jumps over the lazy dog while seven wise owls count the silent stars.";
  public static final int PROMPT_TOKENS = 20;

  public static final String OK = "ok";
  public static final String RATE_ONCE = "rate-once";
  public static final String RATE_FOREVER = "rate-forever";
  public static final String ERROR_ONCE = "error-once";
  public static final String UNAVAILABLE = "unavailable";
  public static final String RESET = "reset";
  public static final String BLACKHOLE = "blackhole";
  public static final String LATE_FIRST_TOKEN = "late-first-token";
  public static final String CUT = "cut";
  public static final String STALL = "stall";
  public static final String MALFORMED = "malformed";
  public static final String NO_DONE = "no-done";
  public static final String CONTEXT_LENGTH = "context-length";
  public static final String CONTENT_POLICY = "content-policy";
  public static final String REFUSE_PREFILL = "refuse-prefill";
  public static final String FLAKY = "flaky";
  /** Every model name above. */
  public static final List<String> MODELS = List.of(OK, RATE_ONCE, RATE_FOREVER, ERROR_ONCE, UNAVAILABLE, RESET,
      BLACKHOLE, LATE_FIRST_TOKEN, CUT, STALL, MALFORMED, NO_DONE, CONTEXT_LENGTH, CONTENT_POLICY, REFUSE_PREFILL,
      FLAKY);

  /** One request as it arrived; {@code prefill} is the trailing assistant text, null when there is none. */
  public record Attempt(String model, String path, long arrivedNanos, JsonObject body, String prefill) {
  }

  /** Timings of the faults; read when a request arrives. */
  public static final class Knobs {
    private volatile long firstTokenDelayMs = 1500;
    private volatile int cutAfterWords = 6;
    private volatile long gapMs = 20;
    private volatile int splitBytes;

    public long firstTokenDelayMs() {
      return firstTokenDelayMs;
    }

    public Knobs firstTokenDelayMs(long ms) {
      firstTokenDelayMs = ms;
      return this;
    }

    public int cutAfterWords() {
      return cutAfterWords;
    }

    public Knobs cutAfterWords(int words) {
      cutAfterWords = words;
      return this;
    }

    public long gapMs() {
      return gapMs;
    }

    public Knobs gapMs(long ms) {
      gapMs = ms;
      return this;
    }

    /** Bytes per write of a stream, cut across frames; 0 writes whole frames. */
    public int splitBytes() {
      return splitBytes;
    }

    public Knobs splitBytes(int bytes) {
      splitBytes = bytes;
      return this;
    }
  }

  private final Vertx vertx;
  private final Knobs knobs = new Knobs();
  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  private volatile boolean flaky = true;
  private HttpServer server;

  private FaultUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<FaultUpstream> start(Vertx vertx) {
    FaultUpstream fake = new FaultUpstream(vertx);
    return vertx.createHttpServer().requestHandler(fake::handle).listen(0, "127.0.0.1").map(server -> {
      fake.server = server;
      return fake;
    });
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:PORT}, without a path. */
  public String root() {
    return "http://127.0.0.1:" + port();
  }

  public Future<Void> close() {
    return server.close();
  }

  public Knobs knobs() {
    return knobs;
  }

  /** Whether model {@value #FLAKY} fails. */
  public FaultUpstream flaky(boolean failing) {
    flaky = failing;
    return this;
  }

  /** Requests received for {@code model} since the start or the last {@link #reset()}. */
  public int attempts(String model) {
    return attemptsOf(model).size();
  }

  public List<Attempt> attemptsOf(String model) {
    return attempts.stream().filter(a -> a.model().equals(model)).toList();
  }

  /** Forgets every request, so the *-once models fail once more. */
  public void reset() {
    attempts.clear();
  }

  /** What is left of {@link #ANSWER} after {@code prefill} (trailing whitespace ignored); null when it does not fit. */
  public static String remainder(String prefill) {
    if (prefill == null) {
      return ANSWER;
    }
    String stripped = prefill.stripTrailing();
    return ANSWER.startsWith(stripped) ? ANSWER.substring(stripped.length()) : null;
  }

  /** The pieces {@code text} is streamed in: each word with the spaces around it as they fall, one space after. */
  public static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    for (String piece : text.split("(?<=\\S )")) {
      if (!piece.isEmpty()) {
        pieces.add(piece);
      }
    }
    return pieces;
  }

  private void handle(HttpServerRequest request) {
    FaultFrames wire = request.method() == HttpMethod.POST ? FaultFrames.forPath(request.path()) : null;
    if (wire == null) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.body().onSuccess(body -> {
      JsonObject json = parse(body);
      if (json == null) {
        request.response().setStatusCode(400).putHeader("content-type", "application/json")
            .end(wire.error(Failure.unreadable()));
        return;
      }
      dispatch(request, wire, json);
    });
  }

  private void dispatch(HttpServerRequest request, FaultFrames wire, JsonObject body) {
    String model = body.getValue("model") instanceof String name ? name : "";
    String prefill = FaultReply.prefillOf(body);
    attempts.add(new Attempt(model, request.path(), System.nanoTime(), body, prefill));
    boolean first = attempts(model) == 1;
    FaultReply reply = new FaultReply(vertx, request, wire, body, model, prefill, knobs);
    switch (model) {
      case OK -> reply.answer(Shape.WHOLE);
      case RATE_ONCE -> {
        if (first) {
          reply.fail(Failure.rateLimited(model), "retry-after", "1");
        } else {
          reply.answer(Shape.WHOLE);
        }
      }
      case RATE_FOREVER -> reply.fail(Failure.rateLimited(model));
      case ERROR_ONCE -> {
        if (first) {
          reply.fail(Failure.serverError());
        } else {
          reply.answer(Shape.WHOLE);
        }
      }
      case UNAVAILABLE -> reply.fail(Failure.overloaded());
      case RESET -> request.connection().close();
      case BLACKHOLE -> {
      }
      case LATE_FIRST_TOKEN -> reply.answer(Shape.LATE);
      case CUT -> reply.answer(Shape.CUT);
      case STALL -> reply.answer(Shape.STALL);
      case MALFORMED -> reply.answer(Shape.MALFORMED);
      case NO_DONE -> reply.answer(Shape.NO_DONE);
      case CONTEXT_LENGTH -> reply.fail(Failure.contextLength());
      case CONTENT_POLICY -> reply.fail(Failure.contentPolicy());
      case REFUSE_PREFILL -> {
        if (prefill != null) {
          reply.fail(Failure.prefillRefused());
        } else {
          reply.answer(Shape.WHOLE);
        }
      }
      case FLAKY -> {
        if (flaky) {
          reply.fail(Failure.overloaded());
        } else {
          reply.answer(Shape.WHOLE);
        }
      }
      default -> reply.fail(Failure.modelNotFound(model));
    }
  }

  private static JsonObject parse(Buffer body) {
    try {
      return body.toJsonValue() instanceof JsonObject json ? json : null;
    } catch (DecodeException e) {
      return null;
    }
  }
}
