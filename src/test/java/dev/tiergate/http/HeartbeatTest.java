package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Fixture;
import dev.tiergate.support.Http;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** While the first token is awaited the client gets SSE comment heartbeats; they stop once content flows. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class HeartbeatTest {

  private static final String HEARTBEAT = ": keep-alive\n\n";

  private FakeUpstream fake;
  private Http http;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx, gw -> gw.heartbeatMs(100).timeouts(1_500, 5_000, 20_000))
        .onSuccess(f -> {
          fake = f.fake();
          http = f.http();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void heartbeatsWhileWaitingForTheFirstTokenThenNoneOnceContentFlows(VertxTestContext ctx) {
    List<String> frames = OpenAiFrames.stream(false, "slow ", "thinker");
    // First token after 550 ms; then 250 ms between frames, longer than the heartbeat interval.
    fake.answer(Scenarios.stream(StreamPlan.of(frames).firstDelay(550).gap(250)));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      String body = r.text();
      int firstData = body.indexOf("data: ");
      String before = body.substring(0, firstData);
      assertTrue(before.length() >= 3 * HEARTBEAT.length(), "expected several heartbeats, got: " + before);
      assertEquals("", before.replace(HEARTBEAT, ""), "only heartbeats may precede the first data");
      assertFalse(body.substring(firstData).contains(HEARTBEAT), "no heartbeat after content started");
      assertEquals(String.join("", frames), body.substring(firstData));
      ctx.completeNow();
    })));
  }

  @Test
  void aFirstByteTimeoutAfterHeartbeatsEndsWithAnErrorFrame(VertxTestContext ctx) {
    fake.answer(Scenarios.hang());
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      // Headers went out with the first heartbeat, so the status is 200 and the failure is a frame.
      assertEquals(200, r.status());
      assertTrue(r.text().startsWith(HEARTBEAT));
      List<String> data = r.dataLines();
      assertEquals(1, data.size(), r.text());
      assertEquals("upstream_timeout", new JsonObject(data.getFirst()).getJsonObject("error").getString("code"));
      ctx.completeNow();
    })));
  }
}
