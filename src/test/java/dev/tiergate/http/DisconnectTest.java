package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Fixture;
import dev.tiergate.support.Http;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that goes away cancels its upstream call, in every phase: before the upstream answered, while waiting for
 * the first token, and mid-stream. The fake upstream must see its connection closed within 1 s of the client leaving.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class DisconnectTest {

  private static final long CANCEL_BUDGET_MS = 1000;

  private FakeUpstream fake;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    // Long timeouts: only the client's disconnect may end these calls.
    Fixture.start(vertx, gw -> gw.timeouts(60_000, 60_000, 120_000).h2c())
        .onSuccess(f -> {
          fake = f.fake();
          gateway = f.gateway();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void beforeUpstreamHeaders(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> upstreamGotRequest = Promise.promise();
    fake.answer(exchange -> upstreamGotRequest.complete());
    HttpClient client = vertx.createHttpClient();
    open(client, true).onComplete(ctx.succeeding(request -> upstreamGotRequest.future()
        .onSuccess(v -> closeAndExpectUpstreamClosed(vertx, ctx, request))));
  }

  @Test
  void whileWaitingForTheFirstToken(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> headersSent = Promise.promise();
    fake.answer(exchange -> exchange.request().response().setChunked(true)
        .putHeader("content-type", "text/event-stream").writeHead().onComplete(ar -> headersSent.complete()));
    HttpClient client = vertx.createHttpClient();
    open(client, true).onComplete(ctx.succeeding(request -> headersSent.future()
        // Give the gateway a moment to receive the upstream's headers before the client leaves.
        .onSuccess(v -> vertx.setTimer(100, id -> closeAndExpectUpstreamClosed(vertx, ctx, request)))));
  }

  @Test
  void midStream(Vertx vertx, VertxTestContext ctx) {
    fake.answer(Scenarios.stream(StreamPlan.of(OpenAiFrames.stream(false, "a ", "b ", "c ", "d")).stallAfter(3)));
    openThen(vertx, vertx.createHttpClient(), request -> afterSecondChunk(ctx, request,
        () -> leaveAndExpectUpstreamClosed(vertx, ctx, () -> request.connection().close())))
        .onFailure(ctx::failNow);
  }

  @Test
  void nonStreamingRequestWaitingForTheUpstream(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> upstreamGotRequest = Promise.promise();
    fake.answer(exchange -> upstreamGotRequest.complete());
    HttpClient client = vertx.createHttpClient();
    open(client, false).onComplete(ctx.succeeding(request -> upstreamGotRequest.future()
        .onSuccess(v -> closeAndExpectUpstreamClosed(vertx, ctx, request))));
  }

  @Test
  void http2StreamResetMidStream(Vertx vertx, VertxTestContext ctx) {
    // An HTTP/2 client leaves by resetting its stream; the connection (shared by other streams) stays open.
    fake.answer(Scenarios.stream(StreamPlan.of(OpenAiFrames.stream(false, "a ", "b ", "c ", "d")).stallAfter(3)));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    openThen(vertx, client, request -> afterSecondChunk(ctx, request,
        () -> leaveAndExpectUpstreamClosed(vertx, ctx, request::reset, client::close)))
        .onFailure(ctx::failNow);
  }

  /** Runs {@code leave} once the client has read the second content chunk of the stream. */
  private static void afterSecondChunk(VertxTestContext ctx, HttpClientRequest request, Runnable leave) {
    request.response().onComplete(ctx.succeeding(resp -> {
      ctx.verify(() -> assertEquals(request.version(), resp.version()));
      Buffer seen = Buffer.buffer();
      resp.handler(chunk -> {
        seen.appendBuffer(chunk);
        if (seen.toString().contains("\"b \"")) {
          resp.handler(null);
          leave.run();
        }
      });
    }));
  }

  /**
   * Opens a stream request and runs {@code sent} on the event loop right after the request went out, before its
   * answer can arrive: attached later (from the test thread), a response handler could miss the first chunks.
   */
  private Future<HttpClientRequest> openThen(Vertx vertx, HttpClient client, Consumer<HttpClientRequest> sent) {
    Promise<HttpClientRequest> opened = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> open(client, true).onSuccess(sent::accept).onComplete(opened));
    return opened.future();
  }

  private Future<HttpClientRequest> open(HttpClient client, boolean stream) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(gateway.port()).setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
        .map(request -> {
          request.end(Http.chat("gpt-4o", stream));
          return request;
        });
  }

  private void closeAndExpectUpstreamClosed(Vertx vertx, VertxTestContext ctx, HttpClientRequest request) {
    leaveAndExpectUpstreamClosed(vertx, ctx, () -> request.connection().close());
  }

  private void leaveAndExpectUpstreamClosed(Vertx vertx, VertxTestContext ctx, Runnable leave) {
    leaveAndExpectUpstreamClosed(vertx, ctx, leave, Future::succeededFuture);
  }

  /**
   * The client leaves by {@code leave}; the fake upstream must see its connection closed within the budget. The test
   * ends after {@code cleanup} (closing a client that is still connected), so nothing fails while Vert.x shuts down.
   */
  private void leaveAndExpectUpstreamClosed(Vertx vertx, VertxTestContext ctx, Runnable leave,
                                            Supplier<Future<?>> cleanup) {
    long deadline = vertx.setTimer(CANCEL_BUDGET_MS, id -> ctx.failNow(
        new AssertionError("the upstream connection was open " + CANCEL_BUDGET_MS + " ms after the client left")));
    fake.connectionClosed().onSuccess(at -> {
      vertx.cancelTimer(deadline);
      cleanup.get().onComplete(ar -> ctx.completeNow());
    });
    leave.run();
  }
}
