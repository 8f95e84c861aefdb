package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.provider.Framing;
import dev.tiergate.support.AnthropicTranscripts;
import dev.tiergate.support.Decoded;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.OllamaTranscripts;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import dev.tiergate.support.TestGateway;
import dev.tiergate.wire.ollama.OllamaStreamDecoder;
import dev.tiergate.wire.openai.OpenAiStreamDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each client format gets beyond translation: same format passes bytes through, reasoning blocks are stripped
 * (which forces translation even between the same formats) and counted, keep-alives suit the format, and errors
 * before the answer use the format's own body.
 */
class FormatBehaviourTest {

  private static final String THINKING_ANSWER = line("<thi") + line("nk>Let me") + line(" th🙂nk.</th")
      + line("ink>\n\nThe answer") + line(" is 4.")
      + "{\"model\":\"qwen3\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
      + "\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":5,\"eval_count\":9}\n";

  private static Vertx vertx;
  private static FakeUpstream fake;
  private static TestGateway gateway;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    fake = TranslationMatrixTest.await(FakeUpstream.start(vertx));
    gateway = TranslationMatrixTest.await(TestGateway.to(fake).withEveryFamily(fake).heartbeatMs(50)
        .model("thinker", new JsonObject().put("provider", "p-ollama").put("upstreamModel", "qwen3")
            .put("tier", "sonnet").put("stripThinking", true))
        .start(vertx));
    http = new Http(vertx, gateway.port());
  }

  @AfterAll
  static void stop() throws Exception {
    TranslationMatrixTest.await(vertx.close());
  }

  @Test
  void sameFormatPassesTheBytesThrough() throws Exception {
    fake.answer(stream(AnthropicTranscripts.toolCallAnswer(), "text/event-stream"));
    Http.Response anthropic = post("anthropic", "m-anthropic", true);
    assertEquals(AnthropicTranscripts.toolCallAnswer(), anthropic.text());
    fake.answer(stream(OllamaTranscripts.textStream(), "application/x-ndjson"));
    Http.Response ollama = post("ollama", "m-ollama", true);
    assertEquals(OllamaTranscripts.textStream(), ollama.text());
    fake.answer(Scenarios.status(200, AnthropicTranscripts.textMessage()));
    assertEquals(AnthropicTranscripts.textMessage(), post("anthropic", "m-anthropic", false).text());
  }

  @Test
  void reasoningIsStrippedForEveryClientAndCounted() throws Exception {
    fake.answer(stream(THINKING_ANSWER, "application/x-ndjson"));
    Http.Response ollama = post("ollama", "thinker", true);
    Decoded same = Decoded.decode(Framing.NDJSON, new OllamaStreamDecoder(), ollama.body().getBytes());
    assertEquals("The answer is 4.", same.text());
    assertEquals(9, same.completionTokens());
    assertTrue(same.ended());

    fake.answer(stream(THINKING_ANSWER, "application/x-ndjson"));
    Http.Response openai = post("openai", "thinker", true);
    assertEquals("The answer is 4.",
        Decoded.decode(Framing.SSE, new OpenAiStreamDecoder(), openai.body().getBytes()).text());

    fake.answer(Scenarios.status(200, "{\"model\":\"qwen3\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":"
        + "{\"role\":\"assistant\",\"content\":\"<think>hmm</think>\\n\\nFour.\"},\"done\":true,"
        + "\"done_reason\":\"stop\",\"prompt_eval_count\":5,\"eval_count\":3}"));
    Http.Response whole = post("anthropic", "thinker", false);
    assertEquals("Four.", whole.json().getJsonArray("content").getJsonObject(0).getString("text"));

    String metrics = TranslationMatrixTest.await(eventually(new Http(vertx, gateway.adminPort()),
        "tiergate_reasoning_stripped_total{model=\"thinker\",provider=\"p-ollama\"} 3.0"));
    assertTrue(metrics.contains("tiergate_reasoning_stripped_total"));
  }

  @Test
  void keepAlivesSuitTheClientFormat() throws Exception {
    // The first token comes after several heartbeat intervals.
    fake.answer(Scenarios.stream(StreamPlan.of(List.of(AnthropicTranscripts.textAnswer())).firstDelay(300)));
    String anthropic = post("anthropic", "m-anthropic", true).text();
    assertTrue(anthropic.startsWith("event: ping\ndata: {\"type\":\"ping\"}\n\n"), anthropic);
    assertTrue(anthropic.endsWith(AnthropicTranscripts.textAnswer()), anthropic);

    fake.answer(Scenarios.stream(new StreamPlan(List.of(OllamaTranscripts.textStream()), 200,
        "application/x-ndjson", new int[0], 0, 300, -1, -1)));
    String ollama = post("ollama", "m-ollama", true).text();
    assertEquals(OllamaTranscripts.textStream(), ollama, "NDJSON has no comment line: nothing but the answer");
  }

  @Test
  void errorsBeforeTheAnswerUseTheClientsFormat() throws Exception {
    Http.Response anthropic = post("anthropic", "no-such-model", true);
    assertEquals(404, anthropic.status());
    assertEquals("error", anthropic.json().getString("type"));
    assertEquals("not_found_error", anthropic.json().getJsonObject("error").getString("type"));

    Http.Response ollama = post("ollama", "no-such-model", false);
    assertEquals(404, ollama.status());
    assertTrue(ollama.json().getString("error").contains("no-such-model"));

    fake.answer(Scenarios.status(429, "{\"error\":{\"message\":\"slow down\"}}", "retry-after", "7"));
    Http.Response limited = post("anthropic", "m-openai", false);
    assertEquals(429, limited.status());
    assertEquals("7", limited.headers().get("retry-after"));
    assertEquals("rate_limit_error", limited.json().getJsonObject("error").getString("type"));

    Http.Response notJson = TranslationMatrixTest.await(http.post("/api/chat", "{nope"));
    assertEquals(400, notJson.status());
    assertFalse(notJson.json().getString("error").isBlank());
    Http.Response unknownPath = TranslationMatrixTest.await(http.get("/api/pull"));
    assertEquals(404, unknownPath.status());
    assertTrue(unknownPath.json().containsKey("error"));
  }

  private static Http.Response post(String client, String model, boolean stream) throws Exception {
    return TranslationMatrixTest.await(http.post(TranslationMatrixTest.path(client),
        TranslationMatrixTest.request(client, model, stream)));
  }

  private static FakeUpstream.Scenario stream(String body, String contentType) {
    return Scenarios.stream(new StreamPlan(List.of(body), 200, contentType, new int[] {1, 2, 3, 5, 7}, 0, 0, -1,
        -1));
  }

  private static String line(String content) {
    return "{\"model\":\"qwen3\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
        + "\"content\":" + new JsonObject().put("c", content).encode().substring(5).replaceAll("}$", "")
        + "},\"done\":false}\n";
  }

  /** The metrics verticle counts asynchronously: scrape until {@code needle} shows up. */
  private static Future<String> eventually(Http admin, String needle) {
    Promise<String> found = Promise.promise();
    vertx.setPeriodic(20, timer -> admin.get("/metrics").onSuccess(r -> {
      if (r.text().contains(needle) && found.tryComplete(r.text())) {
        vertx.cancelTimer(timer);
      }
    }));
    return found.future();
  }
}
