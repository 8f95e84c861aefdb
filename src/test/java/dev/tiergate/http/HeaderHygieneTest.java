package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ProviderFamily;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Fixture;
import dev.tiergate.support.Http;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Client credentials, cookies and hop-by-hop headers stay at the gateway; only tracing headers travel. The upstream key
 * never reaches a client or the metrics scrape, even when the upstream echoes it in an error.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class HeaderHygieneTest {

  private static final String KEY_PREFIX = "sk-upstream-SECRET";
  private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  /** Headers a client might send that must never reach an upstream, lower case. */
  private static final List<String> NEVER_FORWARDED = List.of("x-api-key", "api-key", "x-goog-api-key", "cookie",
      "proxy-authorization", "te", "keep-alive", "upgrade", "x-hop", "x-tiergate-purpose", "x-client-secret");

  private FakeUpstream fake;
  private Http http;
  private Http admin;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx)
        .onSuccess(f -> {
          fake = f.fake();
          http = f.http();
          admin = new Http(vertx, f.gateway().adminPort());
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void credentialsCookiesAndHopByHopHeadersStayAtTheGateway(VertxTestContext ctx) {
    http.post("/v1/chat/completions", Http.chat("gpt-4o", false),
            "Authorization", "Bearer client-own-key-123",
            "X-Api-Key", "client-x-api-key",
            "api-key", "azure-style-key",
            "x-goog-api-key", "AIzaSyClientGoogleKey0123456789",
            "Cookie", "session=abc; other=def",
            "Proxy-Authorization", "Basic dXNlcjpwYXNz",
            "TE", "trailers",
            "Keep-Alive", "timeout=5, max=100",
            "Upgrade", "foo/1.0",
            "Connection", "keep-alive, x-hop",
            "x-hop", "1",
            "x-tiergate-purpose", "analysis",
            "x-client-secret", "do-not-forward",
            "X-Forwarded-For", "6.6.6.6",
            "Forwarded", "for=6.6.6.7",
            "X-Real-IP", "6.6.6.8",
            "traceparent", TRACEPARENT,
            "tracestate", "vendor=abc",
            "baggage", "user=42")
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.status(), response.text());
          MultiMap sent = fake.lastRequest().headers();
          for (String name : NEVER_FORWARDED) {
            assertFalse(sent.contains(name), name + " reached the upstream: " + sent);
          }
          assertEquals(List.of("Bearer " + TestGateway.UPSTREAM_KEY), sent.getAll("authorization"));
          for (String value : sent.getAll("connection")) {
            assertFalse(value.toLowerCase(Locale.ROOT).contains("x-hop"), "connection: " + value);
          }
          assertEquals(TRACEPARENT, sent.get("traceparent"));
          assertEquals("vendor=abc", sent.get("tracestate"));
          assertEquals("user=42", sent.get("baggage"));
          String all = sent.toString();
          for (String secret : List.of("client-own-key-123", "client-x-api-key", "azure-style-key",
              "AIzaSyClientGoogleKey", "session=abc", "dXNlcjpwYXNz", "6.6.6.")) {
            assertFalse(all.contains(secret), secret + " reached the upstream");
          }
          ctx.completeNow();
        })));
  }

  @Test
  void tracingHeaderNamedInConnectionIsDropped(VertxTestContext ctx) {
    http.post("/v1/chat/completions", Http.chat("gpt-4o", false),
            "Connection", "keep-alive, TraceParent",
            "traceparent", TRACEPARENT,
            "tracestate", "vendor=abc")
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.status(), response.text());
          MultiMap sent = fake.lastRequest().headers();
          assertNull(sent.get("traceparent"), "traceparent named in Connection reached the upstream");
          assertEquals("vendor=abc", sent.get("tracestate"));
          ctx.completeNow();
        })));
  }

  @Test
  void streamedRequestsAreCleanedToo(VertxTestContext ctx) {
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true), "authorization", "Bearer client-own-key-123",
            "x-api-key", "client-x-api-key", "cookie", "a=b", "traceparent", TRACEPARENT)
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.status(), response.text());
          MultiMap sent = fake.lastRequest().headers();
          assertEquals(List.of("Bearer " + TestGateway.UPSTREAM_KEY), sent.getAll("authorization"));
          assertFalse(sent.contains("x-api-key"));
          assertFalse(sent.contains("cookie"));
          assertEquals(TRACEPARENT, sent.get("traceparent"));
          ctx.completeNow();
        })));
  }

  @Test
  void upstream401EchoingTheKeyNeverLeaks(VertxTestContext ctx) {
    fake.answer(Scenarios.status(401, OpenAiFrames.error("Incorrect API key provided: " + TestGateway.UPSTREAM_KEY
        + ". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error"),
        "x-echo", TestGateway.UPSTREAM_KEY, "www-authenticate", "Bearer " + TestGateway.UPSTREAM_KEY));
    assertNoLeakAcrossModes(ctx, 502);
  }

  @Test
  void upstream400EchoingTheKeyNeverLeaks(VertxTestContext ctx) {
    fake.answer(Scenarios.status(400, OpenAiFrames.error("Invalid request: the header 'Authorization: Bearer "
        + TestGateway.UPSTREAM_KEY + "' is malformed (key " + TestGateway.UPSTREAM_KEY + ")", "invalid_request_error"),
        "x-echo", TestGateway.UPSTREAM_KEY));
    assertNoLeakAcrossModes(ctx, 400);
  }

  @Test
  void upstream400EchoingAMaskedKeyNeverLeaksItsPrefix(VertxTestContext ctx) {
    fake.answer(Scenarios.status(400, OpenAiFrames.error("Incorrect API key provided: sk-upstream-SECRET-01*****789",
        "invalid_request_error")));
    assertNoLeakAcrossModes(ctx, 400);
  }

  @Test
  void upstreamPlainTextErrorsEchoingTheKeyNeverLeak(VertxTestContext ctx) {
    fake.answer(Scenarios.status(500, "upstream proxy failure for key=" + TestGateway.UPSTREAM_KEY + " token "
        + TestGateway.UPSTREAM_KEY));
    assertNoLeakAcrossModes(ctx, 502);
  }

  @Test
  void upstream429EchoingTheKeyNeverLeaks(VertxTestContext ctx) {
    fake.answer(Scenarios.status(429, OpenAiFrames.error("Rate limit reached for " + TestGateway.UPSTREAM_KEY,
        "requests"), "retry-after", "1"));
    assertNoLeakAcrossModes(ctx, 429);
  }

  @Test
  void midStreamErrorEchoingTheKeyNeverLeaks(VertxTestContext ctx) {
    List<String> frames = new ArrayList<>(OpenAiFrames.stream(false, "partial ").subList(0, 2));
    frames.add("data: " + OpenAiFrames.error("Incorrect API key provided: " + TestGateway.UPSTREAM_KEY,
        "invalid_request_error") + "\n\n");
    fake.answer(Scenarios.stream(StreamPlan.of(frames)));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.status());
          assertEquals("partial ", response.streamedText());
          assertTrue(response.text().contains("\"error\""), response.text());
          assertNoSecret(response);
          ctx.completeNow();
        })));
  }

  /** Non-streamed and streamed requests both get {@code status} without the key; then the scrape is clean too. */
  private void assertNoLeakAcrossModes(VertxTestContext ctx, int status) {
    http.post("/v1/chat/completions", Http.chat("gpt-4o", false))
        .compose(plain -> http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).map(streamed ->
            List.of(plain, streamed)))
        .compose(responses -> scrape().map(metrics -> Map.entry(responses, metrics)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          for (Http.Response response : result.getKey()) {
            assertEquals(status, response.status(), response.text());
            JsonObject error = response.json().getJsonObject("error");
            assertTrue(error.getString("message") != null && error.getString("type") != null, response.text());
            assertNoSecret(response);
          }
          String metrics = result.getValue();
          assertTrue(metrics.contains("tiergate_requests"), "the scrape holds the request counters");
          assertFalse(metrics.contains(TestGateway.UPSTREAM_KEY), "the scrape leaks the key");
          assertFalse(metrics.contains(KEY_PREFIX), "the scrape leaks the key prefix");
          ctx.completeNow();
        })));
  }

  /**
   * The Prometheus scrape once it holds the request counters: the metrics verticle counts outcomes asynchronously,
   * so a scrape right after the answers may come first (bounded by the test's timeout).
   */
  private Future<String> scrape() {
    return admin.get("/metrics").map(Http.Response::text).compose(text -> text.contains("tiergate_requests")
        ? Future.succeededFuture(text) : scrape());
  }

  private static void assertNoSecret(Http.Response response) {
    String body = response.text();
    assertFalse(body.contains(TestGateway.UPSTREAM_KEY), "body leaks the key: " + body);
    assertFalse(body.contains(KEY_PREFIX), "body leaks the key prefix: " + body);
    response.headers().forEach(header -> {
      assertFalse(header.getValue().contains(KEY_PREFIX), "header " + header.getKey() + " leaks the key");
      assertFalse(header.getKey().toLowerCase(Locale.ROOT).equals("x-echo"), "upstream headers reached the client");
    });
  }

  @Test
  void forwardableKeepsOnlyTracingHeaders() {
    MultiMap client = MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer client")
        .add("x-api-key", "k")
        .add("api-key", "k")
        .add("x-goog-api-key", "k")
        .add("Cookie", "a=b")
        .add("Proxy-Authorization", "Basic x")
        .add("TE", "trailers")
        .add("Keep-Alive", "timeout=5")
        .add("Upgrade", "websocket")
        .add("Transfer-Encoding", "chunked")
        .add("Content-Length", "12")
        .add("Host", "gateway")
        .add("Connection", "keep-alive")
        .add("X-Custom", "1")
        .add("TraceParent", TRACEPARENT)
        .add("tracestate", "a=1")
        .add("Baggage", "k1=v1")
        .add("baggage", "k2=v2")
        .add("Anthropic-Beta", "fine-grained-tool-streaming-2025-05-14");
    MultiMap out = HeaderHygiene.forwardable(client);
    assertEquals(List.of("anthropic-beta", "baggage", "traceparent", "tracestate"),
        out.names().stream().map(n -> n.toLowerCase(Locale.ROOT)).sorted().toList());
    assertEquals(TRACEPARENT, out.get("traceparent"));
    assertEquals("a=1", out.get("tracestate"));
    assertEquals(List.of("k1=v1", "k2=v2"), out.getAll("baggage"));
  }

  @Test
  void anthropicBetaReachesAnthropicOnly() {
    MultiMap forwardable = HeaderHygiene.forwardable(MultiMap.caseInsensitiveMultiMap()
        .add("anthropic-beta", "interleaved-thinking-2025-05-14").add("traceparent", TRACEPARENT));
    assertEquals("interleaved-thinking-2025-05-14",
        HeaderHygiene.forFamily(forwardable, ProviderFamily.ANTHROPIC).get("anthropic-beta"));
    for (ProviderFamily family : List.of(ProviderFamily.OPENAI_COMPATIBLE, ProviderFamily.OLLAMA,
        ProviderFamily.GEMINI, ProviderFamily.COHERE)) {
      MultiMap out = HeaderHygiene.forFamily(forwardable, family);
      assertFalse(out.contains("anthropic-beta"), family.toString());
      assertEquals(TRACEPARENT, out.get("traceparent"));
    }
  }

  @Test
  void forwardableDropsHeadersNamedInAnyConnectionHeaderWhateverTheirCase() {
    MultiMap client = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "close , TRACESTATE")
        .add("connection", "Baggage")
        .add("traceparent", TRACEPARENT)
        .add("tracestate", "a=1")
        .add("baggage", "k=v");
    MultiMap out = HeaderHygiene.forwardable(client);
    assertEquals(TRACEPARENT, out.get("traceparent"));
    assertFalse(out.contains("tracestate"));
    assertFalse(out.contains("baggage"));
    assertEquals(1, out.size());
  }

  @Test
  void forwardableOfNothingIsEmptyAndTheInputIsUntouched() {
    assertTrue(HeaderHygiene.forwardable(MultiMap.caseInsensitiveMultiMap()).isEmpty());
    MultiMap client = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer x").add("traceparent", "t");
    HeaderHygiene.forwardable(client).add("extra", "1");
    assertEquals(2, client.size());
    assertFalse(client.contains("extra"));
  }
}
