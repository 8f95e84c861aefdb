package dev.tiergate.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.FakeUpstream.Scenario;
import dev.tiergate.support.Http;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.PromText;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A scripted mix of requests through a fake upstream, then {@code /metrics}, {@code /admin/usage} and the access log
 * must account for exactly that mix: requests, tokens (reported and estimated), cost at the configured prices (local
 * answers free), the interrupted stream counted as partial — and no prompt text or key anywhere in the access log.
 */
class ObservabilityEndToEndTest {

  private static final String PROMPT = "PROMPT-CANARY-7781 tell me a story";
  private static final String KEY_ONE = "ck-alpha-SECRET-111111";
  private static final String KEY_TWO = "ck-beta-SECRET-222222";
  /** gpt-4o at $0.0025 in / $0.01 out per 1k tokens. */
  private static final double IN = 0.0025;
  private static final double OUT = 0.01;

  private Vertx vertx;
  private FakeUpstream fake;
  private TestGateway gateway;
  private Http http;
  private Http admin;
  private final ListAppender<ILoggingEvent> access = new ListAppender<>();
  private Logger accessLogger;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = await(FakeUpstream.start(vertx));
    fake.answer(byPrompt());
    accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    access.list = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    access.start();
    accessLogger.addAppender(access);
  }

  @AfterEach
  void stop() throws Exception {
    accessLogger.detachAppender(access);
    await(vertx.close());
  }

  @Test
  void metricsUsageAndAccessLogMatchTheScriptedMix() throws Exception {
    startGateway(new JsonObject());
    // key-1: three whole answers (9 + 3 tokens each), one local stream (11 + 4, free), one upstream 400.
    for (int i = 0; i < 3; i++) {
      assertEquals(200, send("gpt-4o", false, PROMPT, KEY_ONE).status());
    }
    assertEquals(200, send("local-m", true, PROMPT, KEY_ONE).status());
    assertEquals(400, send("gpt-4o", false, "fail: " + PROMPT, KEY_ONE).status());
    // key-2: two streams with usage (11 + 4 each) whose chunks come 15 ms apart, one stream cut after two chunks.
    for (int i = 0; i < 2; i++) {
      assertEquals(200, send("gpt-4o", true, "slow: " + PROMPT, KEY_TWO).status());
    }
    Http.Response cut = send("gpt-4o", true, "cut: " + PROMPT, KEY_TWO);
    assertTrue(cut.text().contains("error"), "the cut stream ends with an error frame: " + cut.text());
    awaitAccessLines(8);

    PromText metrics = PromText.parse(await(admin.get("/metrics")).text());
    assertEquals(5, metrics.sum("tiergate_requests_total", Map.of("model", "gpt-4o", "status", "200",
        "error", "none")));
    assertEquals(1, metrics.sum("tiergate_requests_total", Map.of("status", "400")));
    assertEquals(1, metrics.sum("tiergate_requests_total", Map.of("route", "local", "tier", "haiku")));
    assertEquals(8, metrics.sum("tiergate_requests_total", Map.of()));
    assertEquals(3 * 9 + 2 * 11 + 11, metrics.sum("tiergate_tokens_total", Map.of("kind", "prompt",
        "estimated", "false")));
    assertEquals(3 * 3 + 2 * 4 + 4, metrics.sum("tiergate_tokens_total", Map.of("kind", "completion",
        "estimated", "false")));
    // The cut stream: prompt estimated from its text, completion from the 11 characters relayed ("alpha beta ").
    long estimatedPrompt = estimatedPromptTokens("cut: " + PROMPT);
    assertEquals(estimatedPrompt, metrics.sum("tiergate_tokens_total", Map.of("kind", "prompt", "estimated",
        "true")));
    assertEquals(3, metrics.sum("tiergate_tokens_total", Map.of("kind", "completion", "estimated", "true")));
    double expectedCost = 3 * cost(9, 3) + 2 * cost(11, 4) + cost(estimatedPrompt, 3);
    assertEquals(expectedCost, metrics.sum("tiergate_cost_usd_total", Map.of()), 1e-12);
    assertEquals(0, metrics.sum("tiergate_cost_usd_total", Map.of("route", "local")));
    assertEquals(1, metrics.sum("tiergate_streams_partial_total", Map.of("model", "gpt-4o")));
    assertEquals(Optional.of("histogram"), metrics.type("tiergate_request_duration_seconds"));
    assertEquals(8, metrics.sum("tiergate_request_duration_seconds_count", Map.of()));
    assertEquals(8, metrics.sum("tiergate_gateway_overhead_seconds_count", Map.of()));
    assertEquals(7, metrics.sum("tiergate_ttft_seconds_count", Map.of()), "every answer that started");
    // Each slow stream is written in at least six pieces (role, four words, finish, [DONE]): five gaps or more.
    assertTrue(metrics.sum("tiergate_stream_chunk_gap_seconds_count", Map.of("route", "cloud")) >= 2 * 5);
    assertTrue(metrics.sum("tiergate_stream_chunk_gap_seconds_bucket", Map.of("route", "cloud", "le", "0.01"))
        < metrics.sum("tiergate_stream_chunk_gap_seconds_count", Map.of("route", "cloud")), "gaps of 15 ms exist");

    JsonObject byKey = await(admin.get("/admin/usage?by=key")).json();
    assertEquals("memory", byKey.getString("source"));
    JsonObject one = row(byKey, "key-1");
    assertEquals(5, one.getLong("requests"));
    assertEquals(1, one.getLong("errors"));
    assertEquals(3 * 9 + 11, one.getLong("promptTokens"));
    assertEquals(3 * cost(9, 3), one.getDouble("costUsd"), 1e-8);
    JsonObject two = row(byKey, "key-2");
    assertEquals(3, two.getLong("requests"));
    assertEquals(1, two.getLong("partial"));
    assertEquals(1, two.getLong("estimated"));
    assertEquals(2 * 4 + 3, two.getLong("completionTokens"));
    assertEquals(8, byKey.getJsonObject("total").getLong("requests"));
    assertEquals(expectedCost, byKey.getJsonObject("total").getDouble("costUsd"), 1e-8);
    JsonObject byRoute = await(admin.get("/admin/usage?by=route&since=1h")).json();
    assertEquals(0.0, row(byRoute, "local").getDouble("costUsd"));
    assertEquals(400, await(admin.get("/admin/usage?by=colour")).status());
    assertEquals(400, await(admin.get("/admin/usage?source=database")).status(), "no database is configured");

    List<JsonObject> lines = accessLines().stream().map(JsonObject::new).toList();
    assertEquals(8, lines.size());
    for (String line : accessLines()) {
      for (String secret : List.of("PROMPT-CANARY", "tell me a story", KEY_ONE, KEY_TWO, TestGateway.UPSTREAM_KEY)) {
        assertFalse(line.contains(secret), "the access log shows '" + secret + "': " + line);
      }
    }
    JsonObject partial = lines.stream().filter(l -> l.getBoolean("partial")).findFirst().orElseThrow();
    assertEquals("key-2", partial.getString("key"));
    assertTrue(partial.getBoolean("tokensEstimated"));
    assertTrue(partial.getLong("bytes") > 0);
    for (String field : List.of("requestId", "route", "provider", "model", "tier", "status", "ttftMs", "durationMs",
        "promptTokens", "completionTokens", "fallback", "bytes", "overheadMs", "costUsd")) {
      assertTrue(partial.containsKey(field), "access lines carry " + field + ": " + partial);
    }
  }

  @Test
  void theDebugOptionLogsThePromptButNeverAKey() throws Exception {
    startGateway(new JsonObject().put("accessLogPrompts", true));
    assertEquals(200, send("gpt-4o", false, PROMPT + " with key sk-live-abcdef0123456789 inside", KEY_ONE).status());
    awaitAccessLines(1);
    String line = accessLines().get(0);
    assertTrue(line.contains("PROMPT-CANARY-7781"), line);
    assertFalse(line.contains("sk-live-abcdef0123456789"), line);
    assertFalse(line.contains(KEY_ONE), line);
  }

  @Test
  void withMetricsOffTheUsageTotalsStillCountButNoRequestMetersExist() throws Exception {
    startGateway(new JsonObject().put("metrics", false).put("accessLog", false));
    assertEquals(200, send("gpt-4o", false, PROMPT, KEY_ONE).status());
    JsonObject usage = await(until(() -> admin.get("/admin/usage"),
        r -> r.json().getJsonObject("total").getLong("requests") == 1)).json();
    assertEquals(9, usage.getJsonObject("total").getLong("promptTokens"));
    PromText metrics = PromText.parse(await(admin.get("/metrics")).text());
    assertEquals(0, metrics.sum("tiergate_requests_total", Map.of()));
    assertTrue(access.list.isEmpty());
  }

  @Test
  void theEstimatePricesEveryCandidateBeforeSending() throws Exception {
    startGateway(new JsonObject());
    String body = new JsonObject().put("model", "chained").put("max_tokens", 1000)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "x".repeat(4000))))
        .encode();
    JsonObject estimate = await(admin.post("/admin/estimate", body)).json();
    long prompt = 1000 + 4 + 3;
    assertEquals(prompt, estimate.getLong("promptTokens"));
    assertEquals(1000, estimate.getLong("completionTokens"));
    JsonArray candidates = estimate.getJsonArray("candidates");
    assertEquals(List.of("chained", "backup-model"), candidates.stream()
        .map(c -> ((JsonObject) c).getString("model")).toList());
    assertEquals(cost(prompt, 1000), candidates.getJsonObject(0).getDouble("totalCostUsd"), 1e-8);
    assertTrue(fake.requests().isEmpty(), "nothing was sent upstream");
    JsonObject anthropic = await(admin.post("/admin/estimate?format=anthropic&scope=all",
        new JsonObject().put("model", "gpt-4o").put("max_tokens", 10).put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "hi"))).encode())).json();
    JsonObject local = anthropic.getJsonArray("candidates").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("model").equals("local-m")).findFirst().orElseThrow();
    assertEquals(0.0, local.getDouble("totalCostUsd"), "local models cost nothing");
    assertEquals(400, await(admin.post("/admin/estimate", "{not json")).status());
    assertEquals(400, await(admin.post("/admin/estimate?format=klingon", body)).status());
  }

  private void startGateway(JsonObject observability) throws Exception {
    gateway = await(TestGateway.to(fake)
        .model("gpt-4o", new JsonObject().put("provider", "fake").put("tier", "sonnet")
            .put("price", new JsonObject().put("inputPer1k", IN).put("outputPer1k", OUT)))
        .model("chained", new JsonObject().put("provider", "fake").put("upstreamModel", "gpt-4o").put("tier", "sonnet")
            .put("fallbacks", new JsonArray().add("backup-model"))
            .put("price", new JsonObject().put("inputPer1k", IN).put("outputPer1k", OUT)))
        .provider("lan", new JsonObject().put("family", "openai-compatible").put("baseUrl", fake.baseUrl())
            .put("local", true))
        // A price on a local model is ignored: local answers cost nothing.
        .model("local-m", new JsonObject().put("provider", "lan").put("tier", "haiku")
            .put("price", new JsonObject().put("inputPer1k", 1.0).put("outputPer1k", 1.0)))
        .env("TIERGATE_CLIENT_KEYS", KEY_ONE + "," + KEY_TWO)
        .observability(observability)
        .start(vertx));
    http = new Http(vertx, gateway.port());
    admin = new Http(vertx, gateway.adminPort());
  }

  /**
   * Answers by the prompt: "fail:" → 400, "cut:" → a stream cut after two content chunks, "slow:" → a stream with
   * 15 ms between frames, else a normal answer.
   */
  private static Scenario byPrompt() {
    Scenario normal = Scenarios.completion("one two three four");
    Scenario slow = exchange -> {
      var response = exchange.request().response().setChunked(true).putHeader("content-type", "text/event-stream");
      writeApart(exchange.vertx(), response, OpenAiFrames.stream(true, "one ", "two ", "three ", "four"), 0);
    };
    Scenario cut = Scenarios.stream(Scenarios.StreamPlan.of(OpenAiFrames.stream(true, "alpha ", "beta ", "gamma"))
        .cutAfter(3));
    Scenario fail = Scenarios.status(400, OpenAiFrames.error("bad request", "invalid_request_error"));
    return exchange -> {
      String text = exchange.body().getJsonArray("messages").getJsonObject(0).getString("content");
      (text.startsWith("fail:") ? fail : text.startsWith("cut:") ? cut : text.startsWith("slow:") ? slow : normal)
          .answer(exchange);
    };
  }

  /** Writes one frame every 15 ms, then ends. */
  private static void writeApart(Vertx vertx, io.vertx.core.http.HttpServerResponse response, List<String> frames,
                                 int next) {
    if (next == frames.size()) {
      response.end();
      return;
    }
    response.write(frames.get(next));
    vertx.setTimer(15, id -> writeApart(vertx, response, frames, next + 1));
  }

  private Http.Response send(String model, boolean stream, String prompt, String key) throws Exception {
    String body = new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))).encode();
    return await(http.post("/v1/chat/completions", body, "authorization", "Bearer " + key));
  }

  private static long estimatedPromptTokens(String prompt) {
    return (prompt.length() + 3) / 4 + 4 + 3;
  }

  private static double cost(long prompt, long completion) {
    return (prompt * IN + completion * OUT) / 1000.0;
  }

  private static JsonObject row(JsonObject report, String key) {
    return report.getJsonArray("rows").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("key").equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + key + " in " + report.encode()));
  }

  private void awaitAccessLines(int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (accessLines().size() < count && System.nanoTime() < deadline) {
      await(Future.future(p -> vertx.setTimer(20, id -> p.complete())));
    }
    assertEquals(count, accessLines().size(), "access lines");
  }

  /** Access lines so far: one JSON object per line, several lines per logged batch. */
  private List<String> accessLines() {
    synchronized (access.list) {
      return access.list.stream().flatMap(event -> event.getFormattedMessage().lines()).toList();
    }
  }

  private Future<Http.Response> until(java.util.function.Supplier<Future<Http.Response>> call,
                                      java.util.function.Predicate<Http.Response> done) {
    return call.get().compose(r -> done.test(r) ? Future.succeededFuture(r)
        : Future.<Void>future(p -> vertx.setTimer(20, id -> p.complete())).compose(v -> until(call, done)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
