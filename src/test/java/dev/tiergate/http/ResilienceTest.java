package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chain under faults, end to end: Retry-After honoured, backoff then fallback, client errors not retried, a
 * stalled upstream abandoned at its first-byte timeout, and circuit breakers that open, skip, probe and close.
 * Model {@code chained} is served by {@code fake} and falls back to {@code backup-model} on {@code backup}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ResilienceTest {

  private static final String SERVER_ERROR = OpenAiFrames.error("The server is overloaded", "server_error");

  @Test
  void retryAfterIsHonouredOnTheSameTarget(Vertx vertx, VertxTestContext ctx) {
    start(vertx, resilience(new JsonObject())).compose(s -> {
      s.primary.answer(Scenarios.sequence(Scenarios.status(429, OpenAiFrames.error("slow down", "requests"),
          "retry-after", "2"), Scenarios.completion("finally")));
      long started = System.nanoTime();
      return s.http.post("/v1/chat/completions", Http.chat("chained", false)).map(r -> {
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        ctx.verify(() -> {
          assertEquals(200, r.status(), r.text());
          assertTrue(waitedMs >= 1800, "waited only " + waitedMs + " ms");
          assertEquals(2, s.primary.requests().size());
          assertEquals(0, s.backup.requests().size());
          assertEquals("false", r.headers().get("x-tiergate-fallback"));
        });
        return r;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void persistent503IsTriedThreeTimesThenTheFallbackAnswers(Vertx vertx, VertxTestContext ctx) {
    start(vertx, resilience(new JsonObject())).compose(s -> {
      s.primary.answer(Scenarios.status(503, SERVER_ERROR));
      s.backup.answer(Scenarios.completion("from the backup"));
      return s.http.post("/v1/chat/completions", Http.chat("chained", false)).map(r -> {
        ctx.verify(() -> {
          assertEquals(200, r.status(), r.text());
          assertEquals(3, s.primary.requests().size());
          assertEquals(1, s.backup.requests().size());
          assertEquals("backup-model", r.headers().get("x-tiergate-model"));
          assertEquals("true", r.headers().get("x-tiergate-fallback"));
        });
        return r;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void contextLengthIsTriedOnceAndPassedThrough(Vertx vertx, VertxTestContext ctx) {
    start(vertx, resilience(new JsonObject())).compose(s -> {
      s.primary.answer(Scenarios.status(400, OpenAiFrames.error("This model's maximum context length is 8192 "
          + "tokens", "invalid_request_error")));
      return s.http.post("/v1/chat/completions", Http.chat("chained", true)).map(r -> {
        ctx.verify(() -> {
          assertEquals(400, r.status());
          assertTrue(r.text().contains("maximum context length"), r.text());
          assertEquals(1, s.primary.requests().size());
          assertEquals(0, s.backup.requests().size());
        });
        return r;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aStalledUpstreamFallsBackAtItsFirstByteTimeout(Vertx vertx, VertxTestContext ctx) {
    start(vertx, resilience(new JsonObject()), 700).compose(s -> {
      s.primary.answer(Scenarios.hang());
      s.backup.answer(Scenarios.completion("rescued"));
      long started = System.nanoTime();
      return s.http.post("/v1/chat/completions", Http.chat("chained", true)).map(r -> {
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        ctx.verify(() -> {
          assertEquals(200, r.status());
          assertEquals("rescued", r.streamedText());
          assertEquals(1, s.primary.requests().size(), "a silent upstream is not retried");
          assertTrue(tookMs >= 700, "fell back after " + tookMs + " ms, before the first-byte timeout");
          assertEquals("backup-model", r.headers().get("x-tiergate-model"));
        });
        return r;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theBreakerOpensSkipsProbesAndCloses(Vertx vertx, VertxTestContext ctx) {
    JsonObject breaker = new JsonObject().put("maxAttemptsPerTarget", 1).put("breakerMaxFailures", 2)
        .put("breakerResetMs", 400).put("breakerWindowMs", 5000);
    start(vertx, resilience(breaker)).compose(s -> {
      s.primary.answer(Scenarios.status(500, SERVER_ERROR));
      s.backup.answer(Scenarios.completion("backup"));
      Http admin = new Http(vertx, s.gateway.adminPort());
      return s.http.post("/v1/chat/completions", Http.chat("chained", false))
          .compose(r -> s.http.post("/v1/chat/completions", Http.chat("chained", false)))
          .compose(r -> circuit(vertx, admin, "open"))
          .compose(open -> s.http.post("/v1/chat/completions", Http.chat("chained", false)).map(r -> {
            ctx.verify(() -> {
              assertEquals(200, r.status());
              assertEquals("backup-model", r.headers().get("x-tiergate-model"));
              assertEquals(2, s.primary.requests().size(), "an open circuit is skipped without a connection");
            });
            s.primary.answer(Scenarios.completion("healthy again"));
            return r;
          }))
          .compose(r -> circuit(vertx, admin, "half_open"))
          .compose(half -> s.http.post("/v1/chat/completions", Http.chat("chained", false)))
          .compose(r -> {
            ctx.verify(() -> {
              assertEquals("chained", r.headers().get("x-tiergate-model"), "the probe went to the primary");
              assertEquals(3, s.primary.requests().size());
            });
            return circuit(vertx, admin, "closed");
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  private record Setup(FakeUpstream primary, FakeUpstream backup, TestGateway gateway, Http http) {
  }

  private static JsonObject resilience(JsonObject overrides) {
    JsonObject resilience = new JsonObject().put("baseDelayMs", 10).put("maxDelayMs", 40)
        .put("retryAfterCapMs", 3000).mergeIn(overrides);
    return new JsonObject().put("classify", false).put("resilience", resilience);
  }

  private static Future<Setup> start(Vertx vertx, JsonObject routing) {
    return start(vertx, routing, 5000);
  }

  private static Future<Setup> start(Vertx vertx, JsonObject routing, long firstByteMs) {
    return FakeUpstream.start(vertx).compose(primary -> FakeUpstream.start(vertx).compose(backup ->
        TestGateway.to(primary, backup).routing(routing).timeouts(firstByteMs, 5000, 20000).start(vertx)
            .map(gateway -> new Setup(primary, backup, gateway, new Http(vertx, gateway.port())))));
  }

  /** Polls {@code /admin/providers} until provider {@code fake}'s circuit for {@code chained} is {@code state}. */
  private static Future<Void> circuit(Vertx vertx, Http admin, String state) {
    Promise<Void> reached = Promise.promise();
    long timer = vertx.setPeriodic(20, id -> admin.get("/admin/providers").onSuccess(r -> {
      for (Object entry : r.json().getJsonArray("providers")) {
        JsonObject provider = (JsonObject) entry;
        if (provider.getString("name").equals("fake")
            && state.equals(provider.getJsonObject("circuits").getString("chained", "closed"))) {
          reached.tryComplete();
        }
      }
    }));
    return reached.future().onComplete(ar -> vertx.cancelTimer(timer));
  }
}
