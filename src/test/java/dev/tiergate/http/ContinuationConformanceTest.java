package dev.tiergate.http;

import static dev.tiergate.http.FaultConformanceTest.CUT_WORDS;
import static dev.tiergate.http.FaultConformanceTest.HANG_MS;
import static dev.tiergate.http.FaultConformanceTest.assertErrorFrame;
import static dev.tiergate.http.FaultConformanceTest.assertWholeAnswer;
import static dev.tiergate.http.FaultConformanceTest.firstWords;
import static dev.tiergate.http.FaultConformanceTest.textBeforeError;
import static dev.tiergate.http.FaultConformanceTest.timed;
import static dev.tiergate.support.FaultGateway.FALLBACK;
import static dev.tiergate.support.FaultGateway.FIRST_BYTE_MS;
import static dev.tiergate.support.FaultGateway.IDLE_MS;
import static dev.tiergate.support.FaultUpstream.ANSWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.bus.Addresses;
import dev.tiergate.bus.CallOutcome;
import dev.tiergate.http.FaultConformanceTest.Timed;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The second half of the fault-conformance suite: streams that break off after content reached the client. With a
 * prefill-capable fallback the client gets one complete answer (the fallback continues from the text relayed so far,
 * sent as a trailing assistant message); without one, or when the fallback refuses, an error frame naming the
 * original failure. A {@link FaultGateway} with the chains named in {@link #start}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ContinuationConformanceTest {

  private static final long HEARTBEAT_MS = 150;

  private FaultUpstream fault;
  private Http http;
  private final Promise<CallOutcome> outcome = Promise.promise();

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<CallOutcome>localConsumer(Addresses.OUTCOMES, m -> outcome.tryComplete(m.body()));
    FaultUpstream.start(vertx)
        .compose(f -> {
          fault = f;
          return FaultGateway.configure(f, List.of(
              List.of("oa-cut-then-an-refuse-prefill", "fault-openai", FaultUpstream.CUT, "an-refuse-prefill"),
              List.of("oa-cut-then-oa-ok", "fault-openai", FaultUpstream.CUT, "oa-ok"),
              List.of("oa-cut-then-an-blackhole", "fault-openai", FaultUpstream.CUT, "an-blackhole"),
              List.of("oa-cut-then-refuse-then-ok", "fault-openai", FaultUpstream.CUT, "an-refuse-prefill", FALLBACK),
              List.of("an-cut-then-an-ok", "fault-anthropic", FaultUpstream.CUT, FALLBACK),
              List.of("ol-stall-then-ol-ok", "fault-ollama", FaultUpstream.STALL, "ol-ok"),
              List.of("oa-cut-then-an-late", "fault-openai", FaultUpstream.CUT, "an-late-first-token")))
              .heartbeatMs(HEARTBEAT_MS).start(vertx);
        })
        .onSuccess(gateway -> http = new Http(vertx, gateway.port()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aStreamCutMidAnswerIsFinishedByThePrefillFallback(VertxTestContext ctx) {
    openAiStream("oa-cut-then-an-ok", true)
        .compose(t -> outcome.future().map(o -> {
          ctx.verify(() -> {
            Http.Response r = t.response();
            assertWholeAnswer(r);
            assertEquals(1, fault.attempts(FaultUpstream.CUT));
            assertEquals(1, fault.attempts(FaultUpstream.OK));
            assertEquals(firstWords(CUT_WORDS).stripTrailing(), fault.attemptsOf(FaultUpstream.OK).getFirst().prefill(),
                "the fallback was sent the text relayed so far");
            assertEquals("oa-cut-then-an-ok", r.headers().get("x-tiergate-model"), "headers name the first model");
            JsonObject last = lastChunk(r);
            assertEquals(FALLBACK, last.getString("model"), "the last chunk names the model that finished");
            JsonObject note = last.getJsonObject("tiergate");
            assertTrue(note.getBoolean("continued"));
            assertEquals("oa-cut-then-an-ok", note.getString("continued_from"));
            assertEquals("upstream_stream_reset", note.getString("cause"));
            assertTrue(note.getBoolean("usage_combined"));
            JsonObject usage = last.getJsonObject("usage");
            int fallbackWords = FaultUpstream.pieces(FaultUpstream.remainder(firstWords(CUT_WORDS))).size();
            assertTrue(usage.getInteger("completion_tokens") > fallbackWords, usage.encode());
            assertTrue(usage.getInteger("prompt_tokens") > FaultUpstream.PROMPT_TOKENS, usage.encode());
            assertTrue(o.success() && o.continued() && o.fallback(), o.toString());
            assertEquals(FALLBACK, o.model());
            assertEquals(usage.getLong("completion_tokens"), o.completionTokens());
            assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
          });
          return o;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aStalledStreamIsDetectedByTheIdleTimeoutAndFinishedByTheFallback(VertxTestContext ctx) {
    openAiStream("oa-stall-then-an-ok", false).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertWholeAnswer(t.response());
      assertEquals("upstream_idle_timeout", lastChunk(t.response()).getJsonObject("tiergate").getString("cause"));
      assertEquals(1, fault.attempts(FaultUpstream.STALL));
      assertEquals(1, fault.attempts(FaultUpstream.OK));
      assertTrue(t.ms() >= IDLE_MS, "the stall was waited out: " + t.ms() + " ms");
      assertTrue(t.ms() < IDLE_MS + 3000, "detected within a bounded window: " + t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void aMalformedEventMidAnswerIsFinishedByTheFallback(VertxTestContext ctx) {
    openAiStream("oa-malformed-then-an-ok", false).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertWholeAnswer(t.response());
      assertEquals("upstream_malformed_stream",
          lastChunk(t.response()).getJsonObject("tiergate").getString("cause"));
      assertEquals(1, fault.attempts(FaultUpstream.MALFORMED));
      assertEquals(1, fault.attempts(FaultUpstream.OK));
      ctx.completeNow();
    })));
  }

  @Test
  void aStreamEndingWithoutDoneIsCompletedByTheFallback(VertxTestContext ctx) {
    // Every word arrived but no finish: the fallback is asked to go on from the whole text and adds nothing.
    openAiStream("oa-no-done-then-an-ok", false).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertWholeAnswer(t.response());
      assertEquals(ANSWER.stripTrailing(), fault.attemptsOf(FaultUpstream.OK).getFirst().prefill());
      assertEquals(FALLBACK, lastChunk(t.response()).getString("model"));
      ctx.completeNow();
    })));
  }

  @Test
  void aFallbackThatRefusesThePrefillLeavesTheOriginalFailureInTheErrorFrame(VertxTestContext ctx) {
    openAiStream("oa-cut-then-an-refuse-prefill", false)
        .compose(t -> outcome.future().map(o -> {
          ctx.verify(() -> {
            Http.Response r = t.response();
            assertErrorFrame(r, "upstream_stream_reset");
            assertEquals(firstWords(CUT_WORDS), textBeforeError(r));
            String message = new JsonObject(r.dataLines().getLast()).getJsonObject("error").getString("message");
            assertTrue(message.contains("tokens of the answer had reached the client"), message);
            assertFalse(message.toLowerCase().contains("prefill"), "never the fallback's refusal: " + message);
            assertEquals(1, fault.attempts(FaultUpstream.CUT));
            assertEquals(1, fault.attempts(FaultUpstream.REFUSE_PREFILL), "the continuation was asked once");
            assertEquals("upstream_stream_reset", o.errorClass());
            assertEquals("oa-cut-then-an-refuse-prefill", o.model(), "the broken model's failure, not the fallback's");
            assertTrue(o.partial() && !o.continued(), o.toString());
            assertTrue(t.ms() < HANG_MS, t.ms() + " ms");
          });
          return o;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRefusingFallbackIsPassedForTheNextPrefillCapableOne(VertxTestContext ctx) {
    openAiStream("oa-cut-then-refuse-then-ok", false).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertWholeAnswer(t.response());
      assertEquals(1, fault.attempts(FaultUpstream.REFUSE_PREFILL));
      assertEquals(1, fault.attempts(FaultUpstream.OK));
      assertEquals(FALLBACK, lastChunk(t.response()).getString("model"));
      ctx.completeNow();
    })));
  }

  @Test
  void aFallbackWithoutPrefillIsNotAskedAndTheClientGetsTheOriginalFailure(VertxTestContext ctx) {
    openAiStream("oa-cut-then-oa-ok", false).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertErrorFrame(t.response(), "upstream_stream_reset");
      assertEquals(firstWords(CUT_WORDS), textBeforeError(t.response()));
      assertEquals(0, fault.attempts(FaultUpstream.OK), "OpenAI's API cannot continue an answer");
      ctx.completeNow();
    })));
  }

  @Test
  void aSilentContinuationIsAbandonedAtItsFirstByteTimeoutWithTheOriginalFailure(VertxTestContext ctx) {
    openAiStream("oa-cut-then-an-blackhole", false).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertErrorFrame(t.response(), "upstream_stream_reset");
      assertEquals(1, fault.attempts(FaultUpstream.BLACKHOLE));
      assertTrue(t.ms() >= FIRST_BYTE_MS, t.ms() + " ms");
      assertTrue(t.ms() < FIRST_BYTE_MS + 3000, "recovery is bounded: " + t.ms() + " ms");
      ctx.completeNow();
    })));
  }

  @Test
  void aClientWaitingForTheContinuationGetsKeepAlives(VertxTestContext ctx) {
    fault.knobs().firstTokenDelayMs(FIRST_BYTE_MS * 3 / 4);
    openAiStream("oa-cut-then-an-late", false).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      Http.Response r = t.response();
      assertWholeAnswer(r);
      String body = r.text();
      String sixthWord = FaultUpstream.pieces(ANSWER).get(CUT_WORDS - 1);
      int keepAlive = body.indexOf(": keep-alive");
      assertTrue(keepAlive > body.indexOf("\"" + sixthWord + "\""), "keep-alives after the break: " + body);
      assertTrue(body.split(": keep-alive", -1).length - 1 >= 2, "keep-alives while the fallback was silent: " + body);
      assertEquals(1, fault.attempts(FaultUpstream.LATE_FIRST_TOKEN));
      ctx.completeNow();
    })));
  }

  @Test
  void anAnthropicPassthroughCutMidAnswerIsOneMessageWithOneTextBlock(VertxTestContext ctx) {
    JsonObject body = new JsonObject().put("model", "an-cut-then-an-ok").put("max_tokens", 64).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    timed(http.post("/v1/messages", body.encode())).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      Http.Response r = t.response();
      assertEquals(200, r.status(), r.text());
      List<JsonObject> events = new ArrayList<>();
      r.dataLines().forEach(line -> events.add(new JsonObject(line)));
      assertEquals(1, events.stream().filter(e -> e.getString("type").equals("message_start")).count(), r.text());
      StringBuilder text = new StringBuilder();
      for (JsonObject event : events) {
        if (event.getString("type").equals("content_block_delta")) {
          assertEquals(0, event.getInteger("index"), "the fallback's text goes on in the open block: " + r.text());
          text.append(event.getJsonObject("delta").getString("text"));
        }
      }
      assertEquals(ANSWER, text.toString());
      assertEquals(1, events.stream().filter(e -> e.getString("type").equals("content_block_start")).count());
      JsonObject delta = events.stream().filter(e -> e.getString("type").equals("message_delta")).findFirst()
          .orElseThrow();
      assertEquals("end_turn", delta.getJsonObject("delta").getString("stop_reason"));
      assertEquals(FALLBACK, delta.getJsonObject("tiergate").getString("model"));
      assertEquals("message_stop", events.getLast().getString("type"));
      assertFalse(r.text().contains("event: error"), r.text());
      assertEquals(1, fault.attempts(FaultUpstream.CUT));
      assertEquals(1, fault.attempts(FaultUpstream.OK));
      ctx.completeNow();
    })));
  }

  @Test
  void anOllamaStreamThatStallsIsFinishedByAnOllamaFallback(VertxTestContext ctx) {
    JsonObject body = new JsonObject().put("model", "ol-stall-then-ol-ok")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    timed(http.post("/api/chat", body.encode())).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      Http.Response r = t.response();
      assertEquals(200, r.status(), r.text());
      StringBuilder text = new StringBuilder();
      JsonObject last = null;
      for (String line : r.text().split("\n")) {
        last = new JsonObject(line);
        assertNull(last.getString("error"), r.text());
        text.append(last.getJsonObject("message").getString("content"));
      }
      assertEquals(ANSWER, text.toString());
      assertTrue(last.getBoolean("done"), r.text());
      assertEquals("ol-ok", last.getString("model"));
      assertEquals("upstream_idle_timeout", last.getJsonObject("tiergate").getString("cause"));
      assertEquals(firstWords(CUT_WORDS).stripTrailing(), fault.attemptsOf(FaultUpstream.OK).getFirst().prefill());
      ctx.completeNow();
    })));
  }

  private Future<Timed> openAiStream(String model, boolean includeUsage) {
    JsonObject body = new JsonObject(Http.chat(model, true));
    if (includeUsage) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return timed(http.post("/v1/chat/completions", body.encode()));
  }

  /** The last chunk of an OpenAI stream before {@code [DONE]}. */
  private static JsonObject lastChunk(Http.Response r) {
    List<String> data = r.dataLines();
    return new JsonObject(data.get(data.size() - 2));
  }
}
