package dev.tiergate.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.provider.Framing;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.anthropic.AnthropicStreamDecoder;
import dev.tiergate.wire.ollama.OllamaStreamDecoder;
import dev.tiergate.wire.openai.OpenAiStreamDecoder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link FaultUpstream} on its own, through a plain HTTP client: each format streams the answer its decoder reads back
 * (frames split at awkward bytes), a prefill gets the rest, and the faults the conformance suite relies on happen.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class FaultUpstreamTest {

  private FaultUpstream fake;
  private HttpClient client;
  private Context context;

  /** A response as received, {@code complete} false when the connection closed before its end. */
  private record Raw(int status, MultiMap headers, Buffer body, boolean complete) {

    Decoded decode(Framing framing, StreamDecoder decoder) {
      return Decoded.decode(framing, decoder, body.getBytes());
    }
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = vertx.createHttpClient();
    context = vertx.getOrCreateContext();
    FaultUpstream.start(vertx).onSuccess(started -> {
      fake = started;
      fake.knobs().gapMs(1);
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void eachFormatStreamsTheWholeAnswerInAwkwardPieces(VertxTestContext ctx) {
    fake.knobs().splitBytes(7);
    Future.all(post("/v1/chat/completions", chat(FaultUpstream.OK, true)),
        post("/v1/messages", chat(FaultUpstream.OK, true)), post("/api/chat", chat(FaultUpstream.OK, null)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<Decoded> decoded = List.of(all.<Raw>resultAt(0).decode(Framing.SSE, new OpenAiStreamDecoder()),
              all.<Raw>resultAt(1).decode(Framing.SSE, new AnthropicStreamDecoder()),
              all.<Raw>resultAt(2).decode(Framing.NDJSON, new OllamaStreamDecoder()));
          for (Decoded answer : decoded) {
            assertEquals(FaultUpstream.ANSWER, answer.text());
            assertTrue(answer.ended());
            assertEquals(FaultUpstream.PROMPT_TOKENS, answer.promptTokens());
            assertEquals(17, answer.completionTokens());
          }
          assertEquals(Set.of("/v1/chat/completions", "/v1/messages", "/api/chat"),
              Set.copyOf(fake.attemptsOf(FaultUpstream.OK).stream().map(FaultUpstream.Attempt::path)
                  .toList()));
          ctx.completeNow();
        })));
  }

  @Test
  void aPrefillGetsExactlyTheRestOfTheAnswer(VertxTestContext ctx) {
    JsonObject openAi = chat(FaultUpstream.OK, true).put("messages", conversation("The quick brown fox "));
    JsonArray blocks = new JsonArray().add(new JsonObject().put("type", "text").put("text", "The quick brown fo"));
    JsonObject anthropic = chat(FaultUpstream.OK, false).put("messages", conversation(blocks));
    JsonObject wrong = chat(FaultUpstream.OK, false).put("messages", conversation("A slow"));
    Future.all(post("/v1/chat/completions", openAi), post("/v1/messages", anthropic), post("/api/chat", wrong))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Decoded streamed = all.<Raw>resultAt(0).decode(Framing.SSE, new OpenAiStreamDecoder());
          assertEquals(" jumps over the lazy dog while seven wise owls count the silent stars.", streamed.text());
          assertEquals(13, streamed.completionTokens());
          JsonObject whole = new JsonObject(all.<Raw>resultAt(1).body());
          assertEquals("x jumps over the lazy dog while seven wise owls count the silent stars.",
              whole.getJsonArray("content").getJsonObject(0).getString("text"));
          assertEquals(400, all.<Raw>resultAt(2).status());
          assertEquals("prefill does not match", new JsonObject(all.<Raw>resultAt(2).body()).getString("error"));
          assertEquals("The quick brown fox ", fake.attemptsOf(FaultUpstream.OK).stream()
              .filter(a -> a.path().equals("/v1/chat/completions")).findFirst().orElseThrow().prefill());
          ctx.completeNow();
        })));
  }

  @Test
  void rateOnceIs429WithRetryAfterThenHealthy(VertxTestContext ctx) {
    post("/v1/chat/completions", chat(FaultUpstream.RATE_ONCE, false))
        .compose(first -> post("/v1/chat/completions", chat(FaultUpstream.RATE_ONCE, false)).map(second -> {
          ctx.verify(() -> {
            assertEquals(429, first.status());
            assertEquals("1", first.headers().get("retry-after"));
            assertEquals("rate_limit_exceeded", new JsonObject(first.body()).getJsonObject("error").getString("code"));
            assertEquals(200, second.status());
            assertEquals(2, fake.attempts(FaultUpstream.RATE_ONCE));
          });
          fake.reset();
          return second;
        }))
        .compose(second -> post("/v1/chat/completions", chat(FaultUpstream.RATE_ONCE, false)))
        .onComplete(ctx.succeeding(afterReset -> ctx.verify(() -> {
          assertEquals(429, afterReset.status(), "reset() forgets the first failure");
          ctx.completeNow();
        })));
  }

  @Test
  void cutClosesTheConnectionAfterTheConfiguredWords(VertxTestContext ctx) {
    fake.knobs().cutAfterWords(4);
    post("/v1/messages", chat(FaultUpstream.CUT, true)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertFalse(r.complete(), "the connection closed before the end of the response");
      Decoded decoded = r.decode(Framing.SSE, new AnthropicStreamDecoder());
      assertEquals("The quick brown fox ", decoded.text());
      assertFalse(decoded.ended());
      assertNull(decoded.finishReason());
      ctx.completeNow();
    })));
  }

  @Test
  void refusePrefillRefusesOnlyAPrefill(VertxTestContext ctx) {
    JsonObject prefilled = chat(FaultUpstream.REFUSE_PREFILL, true).put("messages", conversation("The quick"));
    Future.all(post("/v1/chat/completions", prefilled),
            post("/v1/chat/completions", chat(FaultUpstream.REFUSE_PREFILL, true)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(400, all.<Raw>resultAt(0).status());
          assertTrue(all.<Raw>resultAt(0).body().toString().contains("does not support assistant message prefill"));
          Raw plain = all.resultAt(1);
          assertEquals(200, plain.status());
          Decoded decoded = plain.decode(Framing.SSE, new OpenAiStreamDecoder());
          assertEquals(FaultUpstream.ANSWER, decoded.text());
          assertEquals(FinishReason.END_TURN, decoded.finishReason());
          ctx.completeNow();
        })));
  }

  private static JsonObject chat(String model, Boolean stream) {
    JsonObject body = new JsonObject().put("model", model).put("max_tokens", 64)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    if (Boolean.TRUE.equals(stream)) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return stream == null ? body : body.put("stream", stream);
  }

  private static JsonArray conversation(Object prefill) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))
        .add(new JsonObject().put("role", "assistant").put("content", prefill));
  }

  /** Posts on the fake's event loop and keeps whatever arrives, even when the connection closes mid-body. */
  private Future<Raw> post(String path, JsonObject body) {
    Promise<Raw> result = Promise.promise();
    context.runOnContext(v -> client.request(HttpMethod.POST, fake.port(), "127.0.0.1", path)
        .compose(req -> req.putHeader("content-type", "application/json").send(body.toBuffer()))
        .onSuccess(resp -> collect(resp, result))
        .onFailure(result::tryFail));
    return result.future();
  }

  private static void collect(HttpClientResponse resp, Promise<Raw> result) {
    Buffer received = Buffer.buffer();
    resp.handler(received::appendBuffer);
    resp.endHandler(v -> result.tryComplete(new Raw(resp.statusCode(), resp.headers(), received, true)));
    resp.exceptionHandler(e -> result.tryComplete(new Raw(resp.statusCode(), resp.headers(), received, false)));
  }
}
