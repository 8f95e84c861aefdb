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
import dev.tiergate.support.TestGateway;
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

/** Same format in and out: the stream reaches the client byte for byte, whatever the upstream's framing. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class StreamingRelayTest {

  private static final String[] PIECES = {"Hé", "llo ", "wörld ", "🙂 ", "こんにちは", "\n", "done"};

  private FakeUpstream fake;
  private Http http;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx)
        .onSuccess(f -> {
          fake = f.fake();
          http = f.http();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void relaysBytesUntouchedAcrossAwkwardSplits(VertxTestContext ctx) {
    // 1, 2, 3 and 7 byte writes split frames inside "data:", inside JSON and inside multi-byte UTF-8 characters.
    List<String> frames = OpenAiFrames.stream(false, PIECES);
    fake.answer(Scenarios.stream(StreamPlan.of(frames).split(1, 2, 3, 7).gap(0)));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.status());
          assertEquals(String.join("", frames), response.text());
          assertEquals(String.join("", PIECES), response.streamedText());
          assertTrue(response.headers().get("content-type").startsWith("text/event-stream"));
          assertEquals("no-cache", response.headers().get("cache-control"));
          assertEquals("no", response.headers().get("x-accel-buffering"));
          assertEquals("fake", response.headers().get("x-tiergate-provider"));
          assertEquals("gpt-4o", response.headers().get("x-tiergate-model"));
          assertEquals("false", response.headers().get("x-tiergate-fallback"));
          ctx.completeNow();
        })));
  }

  @Test
  void asksUpstreamForUsageButHidesTheUsageChunkFromClientsThatDidNot(VertxTestContext ctx) {
    fake.answer(Scenarios.completion("one two three"));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          JsonObject sent = fake.lastRequest().body();
          assertTrue(sent.getJsonObject("stream_options").getBoolean("include_usage"));
          assertEquals("one two three", response.streamedText());
          assertFalse(response.text().contains("\"prompt_tokens\""), response.text());
          assertEquals("[DONE]", response.dataLines().getLast());
          ctx.completeNow();
        })));
  }

  @Test
  void passesTheUsageChunkToClientsThatAskedForIt(VertxTestContext ctx) {
    fake.answer(Scenarios.completion("one two"));
    JsonObject body = new JsonObject(Http.chat("gpt-4o", true))
        .put("stream_options", new JsonObject().put("include_usage", true));
    http.post("/v1/chat/completions", body.encode())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          List<String> data = response.dataLines();
          JsonObject usage = new JsonObject(data.get(data.size() - 2)).getJsonObject("usage");
          assertEquals(11, usage.getInteger("prompt_tokens"));
          assertEquals("[DONE]", data.getLast());
          ctx.completeNow();
        })));
  }

  @Test
  void slowDripArrivesWhole(VertxTestContext ctx) {
    List<String> frames = OpenAiFrames.stream(false, PIECES);
    fake.answer(Scenarios.stream(StreamPlan.of(frames).split(5).gap(2)));
    http.post("/v1/chat/completions", Http.chat("gpt-4o", true))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(String.join("", frames), response.text());
          ctx.completeNow();
        })));
  }

  @Test
  void sendsTheProviderKeyAndTheUpstreamModelName(VertxTestContext ctx) {
    fake.answer(Scenarios.completion("hi"));
    http.post("/v1/chat/completions", Http.chat("chained", false))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.status());
          FakeUpstream.Recorded sent = fake.lastRequest();
          assertEquals("Bearer " + TestGateway.UPSTREAM_KEY, sent.headers().get("authorization"));
          assertEquals("gpt-4o", sent.body().getString("model"));
          assertEquals("/v1/chat/completions", sent.path());
          assertEquals(OpenAiFrames.completion("hi"), response.json());
          ctx.completeNow();
        })));
  }
}
