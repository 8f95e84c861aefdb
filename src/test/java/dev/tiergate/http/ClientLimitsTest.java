package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own limits on the public port: one 401 for every bad key, per-key request rate and concurrent streams
 * (429 with Retry-After in the client's format, never reaching the provider or its circuit), the in-flight ceiling
 * (503 at once, recovering by itself), the connection ceiling, and deadlines for slow request heads and bodies.
 */
class ClientLimitsTest {

  private static final String KEY = "ck-limits-SECRET-1";

  private Vertx vertx;
  private FakeUpstream fake;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = await(FakeUpstream.start(vertx));
    fake.answer(Scenarios.completion("fine"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void missingMalformedAndUnknownKeysGetTheSame401() throws Exception {
    startGateway(new JsonObject(), new JsonObject());
    List<String[]> attempts = List.of(new String[0], new String[] {"authorization", "Basic abc"},
        new String[] {"authorization", "Bearer "}, new String[] {"authorization", "Bearer nope"},
        new String[] {"x-api-key", "' OR 1=1 --"}, new String[] {"authorization", "Bearer '; SELECT pg_sleep(5); --"},
        new String[] {"authorization", "Bearer " + "k".repeat(64 * 1024)});
    String first = null;
    for (String[] headers : attempts) {
      Http.Response answer = await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false), headers));
      assertEquals(401, answer.status());
      if (first == null) {
        first = answer.json().getJsonObject("error").encode();
      }
      assertEquals(first, answer.json().getJsonObject("error").encode(), "one refusal for every bad key");
    }
    Http.Response anthropic = await(http.post("/v1/messages", "{}", "x-api-key", "nope"));
    assertEquals("error", anthropic.json().getString("type"), "the refusal speaks the client's format");
    assertEquals(401, await(http.get("/no/such/path")).status(), "auth comes before routing");
    assertEquals(200, await(http.get("/healthz")).status());
    assertEquals(401, await(http.get("//healthz")).status(), "exemptions match the raw path only");
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void aKeysRequestRateIsLimitedWithoutTouchingTheProvider() throws Exception {
    startGateway(new JsonObject().put("requestsPerMinute", 2), new JsonObject());
    assertEquals(200, chat(false).status());
    assertEquals(200, chat(false).status());
    Http.Response limited = chat(false);
    assertEquals(429, limited.status());
    assertEquals("30", limited.headers().get("retry-after"), "one request comes back every 30 s at 2/min");
    assertEquals("rate_limit_exceeded", limited.json().getJsonObject("error").getString("code"));
    Http.Response ollama = await(http.post("/api/chat", new JsonObject().put("model", "gpt-4o")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode(),
        "authorization", "Bearer " + KEY));
    assertEquals(429, ollama.status());
    assertNotNull(ollama.json().getString("error"), "Ollama's error shape");
    assertEquals(2, fake.requests().size(), "refused requests never reach the provider");
    JsonObject providers = await(new Http(vertx, adminPort).get("/admin/providers")).json();
    assertFalse(providers.encode().contains("\"open\""), "our limits never open a provider's circuit");
  }

  @Test
  void aKeysConcurrentStreamsAreCapped() throws Exception {
    startGateway(new JsonObject().put("maxConcurrentStreams", 1), new JsonObject());
    fake.answer(Scenarios.headersThenStall());
    Future<Http.Response> open = http.post("/v1/chat/completions", Http.chat("gpt-4o", true),
        "authorization", "Bearer " + KEY);
    await(until(() -> fake.requests().size() == 1));
    Http.Response second = chat(true);
    assertEquals(429, second.status());
    assertEquals("concurrency_limit_exceeded", second.json().getJsonObject("error").getString("code"));
    assertEquals(1, fake.requests().size());
    assertFalse(open.isComplete());
  }

  @Test
  void pastTheInFlightCeilingRequestsAreShedAtOnceAndServiceReturns() throws Exception {
    startGateway(new JsonObject(), new JsonObject().put("maxInFlight", 2));
    fake.answer(Scenarios.sequence(Scenarios.hang(), Scenarios.hang(), Scenarios.completion("back")));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", false), "authorization", "Bearer " + KEY);
    http.post("/v1/chat/completions", Http.chat("gpt-4o", false), "authorization", "Bearer " + KEY);
    await(until(() -> fake.requests().size() == 2));
    Http.Response shed = chat(false);
    assertEquals(503, shed.status());
    assertEquals("1", shed.headers().get("retry-after"));
    assertEquals("overloaded", shed.json().getJsonObject("error").getString("code"));
    assertEquals(2, fake.requests().size());
    // The hung calls time out (first-byte timeout 1 s); their slots come back and so does service.
    await(untilServed());
  }

  @Test
  void pastTheConnectionCeilingNewConnectionsAreClosed() throws Exception {
    startGateway(new JsonObject(), new JsonObject().put("maxConnections", 3));
    NetClient client = vertx.createNetClient();
    List<NetSocket> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(await(client.connect(port, "127.0.0.1")));
    }
    AtomicInteger closed = new AtomicInteger();
    // The handler is attached on the socket's event loop as it connects: the server may close it at once.
    vertx.getOrCreateContext().runOnContext(v -> client.connect(port, "127.0.0.1")
        .onSuccess(extra -> extra.closeHandler(c -> closed.incrementAndGet())));
    await(until(() -> closed.get() == 1));
    held.forEach(NetSocket::close);
    await(untilServed());
  }

  @Test
  void slowHeadsAndSlowBodiesAreCutAtTheirDeadlines() throws Exception {
    startGateway(new JsonObject(), new JsonObject().put("headTimeoutMs", 500).put("bodyTimeoutMs", 500));
    NetClient client = vertx.createNetClient();
    AtomicInteger closed = new AtomicInteger();
    List<NetSocket> slow = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      NetSocket socket = await(client.connect(port, "127.0.0.1"));
      socket.closeHandler(v -> closed.incrementAndGet());
      socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      slow.add(socket);
    }
    long drip = vertx.setPeriodic(100, id -> slow.forEach(s -> s.write("a")));
    // Normal clients are served meanwhile.
    for (int i = 0; i < 5; i++) {
      assertEquals(200, chat(false).status());
    }
    await(until(() -> closed.get() == 200));
    vertx.cancelTimer(drip);

    NetSocket body = await(client.connect(port, "127.0.0.1"));
    StringBuilder answer = new StringBuilder();
    body.handler(buffer -> answer.append(buffer.toString()));
    AtomicInteger bodyClosed = new AtomicInteger();
    body.closeHandler(v -> bodyClosed.incrementAndGet());
    body.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":");
    await(until(() -> bodyClosed.get() == 1));
    assertTrue(answer.toString().startsWith("HTTP/1.1 408"), answer.toString());
    assertTrue(fake.requests().size() == 5, "the slow body never reached the provider");
  }

  private int adminPort;
  private int port;

  private void startGateway(JsonObject keyDefaults, JsonObject limits) throws Exception {
    TestGateway gateway = TestGateway.to(fake).env("TIERGATE_CLIENT_KEYS", KEY)
        .timeouts(1_000, 1_000, 10_000)
        .clientKeys(new JsonObject().put("defaults", keyDefaults))
        .listenerLimits(limits);
    await(gateway.start(vertx));
    port = gateway.port();
    adminPort = gateway.adminPort();
    http = new Http(vertx, port);
  }

  private Http.Response chat(boolean stream) throws Exception {
    return await(http.post("/v1/chat/completions", Http.chat("gpt-4o", stream), "authorization", "Bearer " + KEY));
  }

  /** Asks every 25 ms until a request is served (never blocks an event loop). */
  private Future<Void> untilServed() {
    return http.post("/v1/chat/completions", Http.chat("gpt-4o", false), "authorization", "Bearer " + KEY)
        .map(r -> r.status() == 200).otherwise(false)
        .compose(ok -> ok ? Future.<Void>succeededFuture()
            : Future.<Void>future(p -> vertx.setTimer(25, id -> p.complete())).compose(v -> untilServed()));
  }

  private Future<Void> until(java.util.function.BooleanSupplier done) {
    return done.getAsBoolean() ? Future.succeededFuture()
        : Future.<Void>future(p -> vertx.setTimer(25, id -> p.complete())).compose(v -> until(done));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
