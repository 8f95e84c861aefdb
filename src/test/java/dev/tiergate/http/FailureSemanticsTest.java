package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.bus.Addresses;
import dev.tiergate.bus.CallOutcome;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upstream faults: before the first byte they become the right status and an OpenAI error body (or a fallback); after
 * it, the stream ends with an error frame — never [DONE], never a made-up "stop", never a hang.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class FailureSemanticsTest {

  private static final String[] PIECES = {"alpha ", "beta ", "gamma ", "delta"};

  private FakeUpstream fake;
  private FakeUpstream backup;
  private Http http;
  private final Promise<CallOutcome> firstOutcome = Promise.promise();

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<CallOutcome>localConsumer(Addresses.OUTCOMES, m -> firstOutcome.tryComplete(m.body()));
    Future.all(FakeUpstream.start(vertx), FakeUpstream.start(vertx))
        .compose(both -> {
          fake = both.resultAt(0);
          backup = both.resultAt(1);
          return TestGateway.to(fake, backup).timeouts(800, 400, 10_000).start(vertx);
        })
        .onSuccess(gateway -> http = new Http(vertx, gateway.port()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void upstream429BecomesA429WithRetryAfter(VertxTestContext ctx) {
    fake.answer(Scenarios.status(429, OpenAiFrames.error("Rate limit reached", "requests"), "retry-after", "7"));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(429, r.status());
      assertEquals("7", r.headers().get("retry-after"));
      assertEquals("rate_limit_error", r.json().getJsonObject("error").getString("type"));
      assertTrue(r.json().getJsonObject("error").getString("message").contains("Rate limit reached"));
      ctx.completeNow();
    })));
  }

  @Test
  void upstream5xxBecomes502(VertxTestContext ctx) {
    fake.answer(Scenarios.status(500, OpenAiFrames.error("The server had an error", "server_error")));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", false)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(502, r.status());
      assertEquals("upstream_status_500", r.json().getJsonObject("error").getString("code"));
      ctx.completeNow();
    })));
  }

  @Test
  void aFailingPrimaryFallsBackBeforeTheFirstByte(VertxTestContext ctx) {
    fake.answer(Scenarios.status(503, OpenAiFrames.error("overloaded", "server_error")));
    backup.answer(Scenarios.completion("from backup"));
    http.post("/v1/chat/completions", Http.chat("chained", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertEquals("from backup", r.streamedText());
      assertEquals("true", r.headers().get("x-tiergate-fallback"));
      assertEquals("backup", r.headers().get("x-tiergate-provider"));
      assertEquals("backup-model", backup.lastRequest().body().getString("model"));
      ctx.completeNow();
    })));
  }

  @Test
  void anUpstreamRejectionIsNotRetriedElsewhere(VertxTestContext ctx) {
    fake.answer(Scenarios.status(400, OpenAiFrames.error("max_tokens is too large", "invalid_request_error")));
    http.post("/v1/chat/completions", Http.chat("chained", false)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(400, r.status());
      assertTrue(r.json().getJsonObject("error").getString("message").contains("max_tokens is too large"));
      assertTrue(backup.requests().isEmpty());
      ctx.completeNow();
    })));
  }

  @Test
  void aClosedUpstreamPortIs502Unreachable(VertxTestContext ctx) {
    backup.close()
        .compose(v -> http.post("/v1/chat/completions", Http.chat("backup-model", true)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(502, r.status());
          assertEquals("upstream_unreachable", r.json().getJsonObject("error").getString("code"));
          ctx.completeNow();
        })));
  }

  @Test
  void connectionResetBeforeHeadersIs502(VertxTestContext ctx) {
    fake.answer(Scenarios.resetBeforeHeaders());
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(502, r.status());
      assertEquals("upstream_error", r.json().getJsonObject("error").getString("type"));
      ctx.completeNow();
    })));
  }

  @Test
  void aConnectionDroppedAfterSomeChunksEndsWithAnErrorFrame(VertxTestContext ctx) {
    fake.answer(Scenarios.stream(StreamPlan.of(OpenAiFrames.stream(false, PIECES)).cutAfter(3).split(9)));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true))
        .compose(r -> firstOutcome.future().map(outcome -> {
          ctx.verify(() -> {
            assertEquals(200, r.status());
            assertEquals("alpha beta ", r.streamedTextBefore(r.dataLines().size() - 1));
            assertEndsWithErrorFrame(r, "upstream_stream_reset");
            assertEquals("upstream_stream_reset", outcome.errorClass());
            assertNotEquals(-1.0, outcome.ttftMs());
          });
          return outcome;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aCleanEndWithoutFinishOrDoneIsACutStream(VertxTestContext ctx) {
    List<String> frames = OpenAiFrames.stream(false, PIECES).subList(0, 3);
    fake.answer(Scenarios.stream(StreamPlan.of(frames)));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertEndsWithErrorFrame(r, "upstream_stream_cut");
      ctx.completeNow();
    })));
  }

  @Test
  void aMalformedFrameMidStreamEndsWithAnErrorFrame(VertxTestContext ctx) {
    List<String> frames = new ArrayList<>(OpenAiFrames.stream(false, PIECES));
    frames.add(2, "data: {\"id\":\"chatcmpl-test\",\"choices\":[{\n\n");
    fake.answer(Scenarios.stream(StreamPlan.of(frames)));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertEndsWithErrorFrame(r, "upstream_malformed_stream");
      ctx.completeNow();
    })));
  }

  @Test
  void aMalformedFirstFrameIsA502(VertxTestContext ctx) {
    fake.answer(Scenarios.stream(StreamPlan.of(List.of("data: not json\n\n", "data: [DONE]\n\n"))));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(502, r.status());
      assertEquals("upstream_malformed_stream", r.json().getJsonObject("error").getString("code"));
      ctx.completeNow();
    })));
  }

  @Test
  void aStallMidStreamHitsTheIdleTimeout(VertxTestContext ctx) {
    fake.answer(Scenarios.stream(StreamPlan.of(OpenAiFrames.stream(false, PIECES)).stallAfter(3)));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertEndsWithErrorFrame(r, "upstream_idle_timeout");
      ctx.completeNow();
    })));
  }

  @Test
  void noFirstByteInTimeIsA504(VertxTestContext ctx) {
    fake.answer(Scenarios.hang());
    Future.all(http.post("/v1/chat/completions", Http.chat("gpt-4o", false)),
            http.post("/v1/chat/completions", Http.chat("gpt-4o", true)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          for (int i = 0; i < 2; i++) {
            Http.Response r = both.resultAt(i);
            assertEquals(504, r.status());
            assertEquals("upstream_timeout", r.json().getJsonObject("error").getString("code"));
          }
          ctx.completeNow();
        })));
  }

  @Test
  void headersWithoutAFirstTokenInTimeIsA504(VertxTestContext ctx) {
    fake.answer(Scenarios.headersThenStall());
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(504, r.status());
      ctx.completeNow();
    })));
  }

  @Test
  void aJsonAnswerToAStreamRequestIsA502(VertxTestContext ctx) {
    fake.answer(exchange -> exchange.request().response().putHeader("content-type", "application/json")
        .end(OpenAiFrames.completion("not a stream").encode()));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(502, r.status());
      assertEquals("upstream_not_streaming", r.json().getJsonObject("error").getString("code"));
      ctx.completeNow();
    })));
  }

  @Test
  void aMalformedNonStreamedAnswerIsA502(VertxTestContext ctx) {
    fake.answer(exchange -> exchange.request().response().putHeader("content-type", "application/json")
        .end("{\"choices\": tru"));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", false)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(502, r.status());
      assertEquals("upstream_malformed_response", r.json().getJsonObject("error").getString("code"));
      ctx.completeNow();
    })));
  }

  @Test
  void aCleanEndWithAFinishReasonButNoDoneSentinelStillEndsWell(VertxTestContext ctx) {
    List<String> frames = new ArrayList<>(OpenAiFrames.stream(false, PIECES));
    frames.removeLast();
    fake.answer(Scenarios.stream(StreamPlan.of(frames)));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(String.join("", PIECES), r.streamedText());
      assertEquals("[DONE]", r.dataLines().getLast());
      ctx.completeNow();
    })));
  }

  @Test
  void aSuccessfulCallPublishesOneOutcomeWithUsage(VertxTestContext ctx) {
    fake.answer(Scenarios.completion("a b c"));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true))
        .compose(r -> firstOutcome.future())
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertEquals(200, outcome.status());
          assertEquals("end_turn", outcome.finishReason());
          assertEquals(11, outcome.promptTokens());
          assertEquals(3, outcome.completionTokens());
          assertEquals("fake", outcome.provider());
          assertEquals("cloud", outcome.route());
          assertTrue(outcome.success());
          assertTrue(outcome.ttftMs() >= 0 && outcome.durationMs() >= outcome.ttftMs());
          ctx.completeNow();
        })));
  }

  private static void assertEndsWithErrorFrame(Http.Response r, String code) {
    List<String> data = r.dataLines();
    JsonObject last = new JsonObject(data.getLast());
    assertEquals(code, last.getJsonObject("error").getString("code"), r.text());
    assertFalse(data.contains("[DONE]"), r.text());
    assertFalse(r.text().contains("\"finish_reason\":\"stop\""), r.text());
  }
}
