package dev.tiergate.http;

import static dev.tiergate.support.FaultGateway.ATTEMPTS;
import static dev.tiergate.support.FaultGateway.BREAKER_FAILURES;
import static dev.tiergate.support.FaultGateway.BREAKER_RESET_MS;
import static dev.tiergate.support.FaultGateway.FALLBACK;
import static dev.tiergate.support.FaultGateway.FIRST_BYTE_MS;
import static dev.tiergate.support.FaultGateway.IDLE_MS;
import static dev.tiergate.support.FaultUpstream.ANSWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.FaultGateway;
import dev.tiergate.support.FaultUpstream;
import dev.tiergate.support.Http;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway against every fault of a {@link FaultUpstream} behind a {@link FaultGateway}: model {@code oa-<fault>}
 * asks the OpenAI provider for upstream model {@code <fault>}, {@code an-<fault>} the Anthropic one;
 * {@code oa-<fault>-then-an-ok} falls back to {@code an-ok}. Each case checks what the client receives (never a
 * truncated success), how often each upstream model was asked, and that nothing hangs. Streams that break off with a
 * prefill-capable fallback are {@link ContinuationConformanceTest}'s.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class FaultConformanceTest {

  /** Upper bounds only catch hangs. */
  static final long HANG_MS = 10_000;
  static final int CUT_WORDS = 6;

  private FaultUpstream fault;
  private Http http;
  private Http admin;

  /** A client's response and how long it took. */
  record Timed(Http.Response response, long ms) {
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    FaultUpstream.start(vertx)
        .compose(f -> {
          fault = f;
          return FaultGateway.start(vertx, f, List.of());
        })
        .onSuccess(gateway -> {
          http = new Http(vertx, gateway.port());
          admin = new Http(vertx, gateway.adminPort());
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void rateLimitedOnceWaitsForRetryAfterThenAnswersWhole(VertxTestContext ctx) {
    openAiStream("oa-rate-once").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertWholeAnswer(t.response());
      assertEquals(2, fault.attempts(FaultUpstream.RATE_ONCE));
      assertTrue(t.ms() >= 900, "Retry-After: 1 honoured, waited only " + t.ms() + " ms");
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void rateLimitedForeverWithoutFallbackIsA429AfterEveryAttempt(VertxTestContext ctx) {
    // RetryPolicy: a 429 without Retry-After is retried after the backoff, like a 5xx, until the attempts run out.
    openAiStream("oa-rate-forever").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertEquals(429, t.response().status(), t.response().text());
      assertEquals("rate_limit_error", error(t.response()).getString("type"));
      assertTrue(error(t.response()).getString("message").contains("Rate limit reached"), t.response().text());
      assertNull(t.response().headers().get("retry-after"), "the upstream gave no Retry-After");
      assertEquals(ATTEMPTS, fault.attempts(FaultUpstream.RATE_FOREVER));
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void serverErrorOnceIsRetriedAndAnswersWhole(VertxTestContext ctx) {
    openAiStream("oa-error-once").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertWholeAnswer(t.response());
      assertEquals(2, fault.attempts(FaultUpstream.ERROR_ONCE));
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void unavailableForeverFallsBackAfterEveryAttempt(VertxTestContext ctx) {
    openAiWhole("oa-unavailable-then-an-ok").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      Http.Response r = t.response();
      assertEquals(200, r.status(), r.text());
      assertEquals(FALLBACK, r.json().getString("model"));
      assertEquals(FALLBACK, r.headers().get("x-tiergate-model"));
      assertEquals("true", r.headers().get("x-tiergate-fallback"));
      assertEquals(ANSWER, r.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message")
          .getString("content"));
      JsonObject usage = r.json().getJsonObject("usage");
      assertEquals(FaultUpstream.PROMPT_TOKENS, usage.getInteger("prompt_tokens"));
      assertEquals(FaultUpstream.pieces(ANSWER).size(), usage.getInteger("completion_tokens"));
      assertEquals(ATTEMPTS, fault.attempts(FaultUpstream.UNAVAILABLE));
      assertEquals(1, fault.attempts(FaultUpstream.OK));
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void resetBeforeHeadersIsRetriedThenA502(VertxTestContext ctx) {
    openAiStream("oa-reset").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertEquals(502, t.response().status(), t.response().text());
      assertEquals("upstream_error", error(t.response()).getString("type"));
      assertEquals("upstream_connection_failed", error(t.response()).getString("code"));
      assertEquals(ATTEMPTS, fault.attempts(FaultUpstream.RESET));
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void anUpstreamThatNeverAnswersIsA504AtTheFirstByteTimeout(VertxTestContext ctx) {
    openAiStream("oa-blackhole").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertEquals(504, t.response().status(), t.response().text());
      assertEquals("upstream_timeout", error(t.response()).getString("code"));
      assertEquals(1, fault.attempts(FaultUpstream.BLACKHOLE), "a silent upstream is not retried");
      assertTrue(t.ms() < FIRST_BYTE_MS + 3000, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void aFirstTokenAfterTheFirstByteTimeoutIsA504AndOneWithinItAnswers(VertxTestContext ctx) {
    fault.knobs().firstTokenDelayMs(FIRST_BYTE_MS + 500);
    openAiStream("oa-late-first-token").compose(late -> {
      fault.knobs().firstTokenDelayMs(FIRST_BYTE_MS / 3);
      return openAiStream("oa-late-first-token").map(inTime -> List.of(late, inTime));
    }).onComplete(ctx.succeeding(both -> ctx.verify(() -> {
      Timed late = both.get(0);
      assertEquals(504, late.response().status(), late.response().text());
      assertEquals("upstream_timeout", error(late.response()).getString("code"));
      assertTrue(late.ms() < FIRST_BYTE_MS + 3000, late.ms() + " ms");
      assertWholeAnswer(both.get(1).response());
      assertTrue(both.get(1).ms() < HANG_MS, both.get(1).ms() + " ms");
      assertEquals(2, fault.attempts(FaultUpstream.LATE_FIRST_TOKEN), "one attempt each");
      ctx.completeNow();
    })));
  }

  @Test
  void aStreamCutMidAnswerEndsWithAnErrorFrame(VertxTestContext ctx) {
    openAiStream("oa-cut").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertErrorFrame(t.response(), "upstream_stream_reset");
      assertEquals(firstWords(CUT_WORDS), textBeforeError(t.response()));
      assertEquals(1, fault.attempts(FaultUpstream.CUT));
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void anAnthropicStreamCutMidAnswerEndsWithAnErrorEvent(VertxTestContext ctx) {
    anthropicStream("an-cut").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertEquals(firstWords(CUT_WORDS), assertAnthropicErrorEvent(t.response()));
      assertEquals(1, fault.attempts(FaultUpstream.CUT));
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void aStallMidAnswerEndsWithAnIdleTimeoutFrame(VertxTestContext ctx) {
    openAiStream("oa-stall").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertErrorFrame(t.response(), "upstream_idle_timeout");
      assertEquals(firstWords(CUT_WORDS), textBeforeError(t.response()));
      assertEquals(1, fault.attempts(FaultUpstream.STALL));
      assertTrue(t.ms() < IDLE_MS + 3000, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void aMalformedEventMidAnswerEndsWithAMalformedStreamFrame(VertxTestContext ctx) {
    openAiStream("oa-malformed").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertErrorFrame(t.response(), "upstream_malformed_stream");
      assertEquals(firstWords(CUT_WORDS), textBeforeError(t.response()));
      assertEquals(1, fault.attempts(FaultUpstream.MALFORMED));
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void aStreamEndingWithoutFinishOrDoneEndsWithACutFrame(VertxTestContext ctx) {
    openAiStream("oa-no-done").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertErrorFrame(t.response(), "upstream_stream_cut");
      assertEquals(ANSWER, textBeforeError(t.response()));
      assertEquals(1, fault.attempts(FaultUpstream.NO_DONE));
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void anAnthropicStreamEndingWithoutMessageStopEndsWithAnErrorEvent(VertxTestContext ctx) {
    anthropicStream("an-no-done").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertEquals(ANSWER, assertAnthropicErrorEvent(t.response()));
      assertEquals(1, fault.attempts(FaultUpstream.NO_DONE));
      assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void contextLengthExceededIsA400TriedOnceWithoutFallback(VertxTestContext ctx) {
    openAiStream("oa-context-length-then-an-ok").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertRejected(t, "context_length_exceeded", "maximum context length is 8192 tokens");
      assertEquals(1, fault.attempts(FaultUpstream.CONTEXT_LENGTH));
      ctx.completeNow();
    })));
  }

  @Test
  void aContentPolicyRefusalIsA400TriedOnceWithoutFallback(VertxTestContext ctx) {
    openAiStream("oa-content-policy-then-an-ok").onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertRejected(t, "content_policy_violation", "rejected as a result of our safety system");
      assertEquals(1, fault.attempts(FaultUpstream.CONTENT_POLICY));
      ctx.completeNow();
    })));
  }

  @Test
  void aFlakyPrimaryOpensItsCircuitThenProbesAndCloses(Vertx vertx, VertxTestContext ctx) {
    String chain = "oa-flaky-then-an-ok";
    // Quick answers, so the calls made while the circuit is open end well within its reset time.
    fault.knobs().gapMs(1);
    int[] primaryWhenOpen = new int[1];
    sequentially(BREAKER_FAILURES, () -> expectServedBy(chain, true))
        .compose(v -> circuit(vertx, chain, "open"))
        .compose(v -> {
          primaryWhenOpen[0] = fault.attempts(FaultUpstream.FLAKY);
          return sequentially(2, () -> expectServedBy(chain, true));
        })
        .compose(v -> {
          ctx.verify(() -> {
            assertEquals(primaryWhenOpen[0], fault.attempts(FaultUpstream.FLAKY), "an open circuit is skipped");
            assertEquals(BREAKER_FAILURES + 2, fault.attempts(FaultUpstream.OK), "the fallback served every call");
          });
          fault.flaky(false);
          return after(vertx, BREAKER_RESET_MS + 200);
        })
        .compose(v -> expectServedBy(chain, false))
        .compose(v -> circuit(vertx, chain, "closed"))
        .compose(v -> expectServedBy(chain, false))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(primaryWhenOpen[0] + 2, fault.attempts(FaultUpstream.FLAKY), "the probe, then normal traffic");
          assertEquals(BREAKER_FAILURES + 2, fault.attempts(FaultUpstream.OK));
          ctx.completeNow();
        })));
  }

  private Future<Timed> openAiStream(String model) {
    return timed(http.post("/v1/chat/completions", Http.chat(model, true)));
  }

  private Future<Timed> openAiWhole(String model) {
    return timed(http.post("/v1/chat/completions", Http.chat(model, false)));
  }

  private Future<Timed> anthropicStream(String model) {
    JsonObject body = new JsonObject().put("model", model).put("max_tokens", 64).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    return timed(http.post("/v1/messages", body.encode()));
  }

  static Future<Timed> timed(Future<Http.Response> call) {
    long started = System.nanoTime();
    return call.map(r -> new Timed(r, (System.nanoTime() - started) / 1_000_000));
  }

  /** A 200 stream with all of ANSWER, a "stop" finish and [DONE], and no error. */
  static void assertWholeAnswer(Http.Response r) {
    assertEquals(200, r.status(), r.text());
    assertEquals(ANSWER, r.streamedText());
    assertEquals("[DONE]", r.dataLines().getLast(), r.text());
    assertTrue(r.text().contains("\"finish_reason\":\"stop\""), r.text());
    assertFalse(r.text().contains("\"error\""), r.text());
  }

  /** A 200 stream whose last event is an error frame with {@code code}: no [DONE], no "stop". */
  static void assertErrorFrame(Http.Response r, String code) {
    assertEquals(200, r.status(), r.text());
    List<String> data = r.dataLines();
    assertEquals(code, new JsonObject(data.getLast()).getJsonObject("error").getString("code"), r.text());
    assertFalse(data.contains("[DONE]"), r.text());
    assertFalse(r.text().contains("\"finish_reason\":\"stop\""), r.text());
  }

  static String textBeforeError(Http.Response r) {
    return r.streamedTextBefore(r.dataLines().size() - 1);
  }

  /**
   * A 200 Anthropic stream whose last event is {@code error} (an upstream failure: {@code api_error}), with no
   * {@code message_stop} and no {@code end_turn}.
   *
   * @return the text streamed before the error
   */
  static String assertAnthropicErrorEvent(Http.Response r) {
    assertEquals(200, r.status(), r.text());
    List<String[]> events = new ArrayList<>();
    for (String block : r.text().split("\n\n")) {
      String[] lines = block.split("\n");
      if (lines.length == 2 && lines[0].startsWith("event: ") && lines[1].startsWith("data: ")) {
        events.add(new String[] {lines[0].substring(7), lines[1].substring(6)});
      }
    }
    String[] last = events.getLast();
    assertEquals("error", last[0], r.text());
    JsonObject error = new JsonObject(last[1]).getJsonObject("error");
    assertEquals("api_error", error.getString("type"), r.text());
    assertTrue(error.getString("message").contains("upstream"), r.text());
    assertFalse(r.text().contains("message_stop") || r.text().contains("end_turn"), r.text());
    StringBuilder text = new StringBuilder();
    for (String[] event : events) {
      JsonObject delta = new JsonObject(event[1]).getJsonObject("delta");
      if (event[0].equals("content_block_delta") && "text_delta".equals(delta.getString("type"))) {
        text.append(delta.getString("text"));
      }
    }
    return text.toString();
  }

  /** The upstream's 400 reaches the client with its code and message; the fallback is not tried. */
  private void assertRejected(Timed t, String code, String message) {
    assertEquals(400, t.response().status(), t.response().text());
    assertEquals("invalid_request_error", error(t.response()).getString("type"));
    assertEquals(code, error(t.response()).getString("code"), "the client can tell one refusal from another");
    assertTrue(error(t.response()).getString("message").contains(message), t.response().text());
    assertEquals(0, fault.attempts(FaultUpstream.OK), "a rejected request is not sent to the fallback");
    assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
  }

  private static JsonObject error(Http.Response r) {
    return r.json().getJsonObject("error");
  }

  static String firstWords(int count) {
    return String.join("", FaultUpstream.pieces(ANSWER).subList(0, count));
  }

  /** One whole call to {@code model}: 200 with ANSWER, from the fallback or not. */
  private Future<Void> expectServedBy(String model, boolean fallback) {
    return openAiStream(model).map(t -> {
      assertWholeAnswer(t.response());
      assertEquals(Boolean.toString(fallback), t.response().headers().get("x-tiergate-fallback"));
      assertEquals(fallback ? FALLBACK : model, t.response().headers().get("x-tiergate-model"));
      return null;
    });
  }

  private static Future<Void> sequentially(int times, Supplier<Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < times; i++) {
      chain = chain.compose(v -> step.get());
    }
    return chain;
  }

  private static Future<Void> after(Vertx vertx, long ms) {
    Promise<Void> waited = Promise.promise();
    vertx.setTimer(ms, id -> waited.complete());
    return waited.future();
  }

  /** Polls {@code /admin/providers} until the circuit of {@code model} on {@code fault-openai} is {@code state}. */
  private Future<Void> circuit(Vertx vertx, String model, String state) {
    Promise<Void> reached = Promise.promise();
    long timer = vertx.setPeriodic(20, id -> admin.get("/admin/providers").onSuccess(r -> {
      for (Object entry : r.json().getJsonArray("providers")) {
        JsonObject provider = (JsonObject) entry;
        if (provider.getString("name").equals("fault-openai")
            && state.equals(provider.getJsonObject("circuits").getString(model, "closed"))) {
          reached.tryComplete();
        }
      }
    }));
    return reached.future().onComplete(ar -> vertx.cancelTimer(timer));
  }
}
