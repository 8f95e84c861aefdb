package dev.tiergate.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-process OpenAI-compatible upstream. Each request is answered by the current {@link Scenario}; every request is
 * recorded (headers and body) and every connection close is observable, so tests can prove cancellation.
 */
public final class FakeUpstream {

  /** What the fake does with one request. */
  @FunctionalInterface
  public interface Scenario {
    void answer(Exchange exchange);
  }

  /** One received request and the means to answer it. */
  public record Exchange(Vertx vertx, HttpServerRequest request, JsonObject body) {
  }

  /** A request as the fake saw it. */
  public record Recorded(io.vertx.core.MultiMap headers, JsonObject body, String path) {
  }

  private final Vertx vertx;
  private final AtomicReference<Scenario> scenario = new AtomicReference<>(Scenarios.completion("hello"));
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Promise<Long>> closeWaiters = new ConcurrentLinkedQueue<>();
  private final List<Long> closes = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private FakeUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<FakeUpstream> start(Vertx vertx) {
    FakeUpstream fake = new FakeUpstream(vertx);
    return vertx.createHttpServer()
        .requestHandler(fake::handle)
        .listen(0, "127.0.0.1")
        .map(server -> {
          fake.server = server;
          return fake;
        });
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public FakeUpstream answer(Scenario next) {
    scenario.set(next);
    return this;
  }

  public List<Recorded> requests() {
    return requests;
  }

  public Recorded lastRequest() {
    return requests.getLast();
  }

  /** Completes with the time (nanoTime) the next upstream connection closes, or the last one already closed. */
  public Future<Long> connectionClosed() {
    Promise<Long> promise = Promise.promise();
    if (!closes.isEmpty()) {
      promise.complete(closes.getLast());
    } else {
      closeWaiters.add(promise);
    }
    return promise.future();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    request.connection().closeHandler(v -> onClose());
    request.body().onSuccess(body -> {
      JsonObject json = body.length() == 0 ? new JsonObject() : new JsonObject(body);
      requests.add(new Recorded(io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), json,
          request.path()));
      scenario.get().answer(new Exchange(vertx, request, json));
    });
  }

  private void onClose() {
    long now = System.nanoTime();
    closes.add(now);
    Promise<Long> waiter;
    while ((waiter = closeWaiters.poll()) != null) {
      waiter.tryComplete(now);
    }
  }
}
