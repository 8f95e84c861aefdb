package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.provider.Framing;
import dev.tiergate.support.AnthropicTranscripts;
import dev.tiergate.support.CohereTranscripts;
import dev.tiergate.support.Decoded;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.GeminiTranscripts;
import dev.tiergate.support.Golden;
import dev.tiergate.support.Http;
import dev.tiergate.support.OllamaTranscripts;
import dev.tiergate.support.OpenAiTranscripts;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import dev.tiergate.support.TestGateway;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.anthropic.AnthropicCompletions;
import dev.tiergate.wire.anthropic.AnthropicStreamDecoder;
import dev.tiergate.wire.ollama.OllamaCompletions;
import dev.tiergate.wire.ollama.OllamaStreamDecoder;
import dev.tiergate.wire.openai.OpenAiCompletions;
import dev.tiergate.wire.openai.OpenAiStreamDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client format against every provider family, streamed and not, with text and with a tool call: the golden
 * answer each provider documents is replayed by the fake (streams written in 1–11 byte pieces, splitting frames
 * inside UTF-8 characters), and what the client receives is decoded in the client's own format and compared with what
 * the provider said — text, tool call, usage and finish reason.
 */
class TranslationMatrixTest {

  private static final int[] AWKWARD = {1, 2, 3, 5, 7, 11};

  private static Vertx vertx;
  private static FakeUpstream fake;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    fake = await(FakeUpstream.start(vertx));
    TestGateway gateway = await(TestGateway.to(fake).withEveryFamily(fake).start(vertx));
    http = new Http(vertx, gateway.port());
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static Stream<Arguments> matrix() {
    List<Arguments> all = new ArrayList<>();
    for (Golden golden : Golden.all()) {
      for (String client : List.of("openai", "anthropic", "ollama")) {
        all.add(Arguments.of(client, golden, true));
        all.add(Arguments.of(client, golden, false));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} client, {1} provider, stream={2}")
  @MethodSource("matrix")
  void translatesEveryAnswer(String client, Golden golden, boolean stream) throws Exception {
    if (stream) {
      fake.answer(Scenarios.stream(new StreamPlan(List.of(golden.stream()), 200, golden.contentType(), AWKWARD, 0, 0,
          -1, -1)));
    } else {
      fake.answer(Scenarios.status(200, golden.completion()));
    }
    Http.Response response = await(http.post(path(client), request(client, "m-" + golden.family(), stream)));
    assertEquals(200, response.status(), response.text());
    assertEquals(golden.family().equals("openai") ? "m-openai" : "m-" + golden.family(),
        response.headers().get("x-tiergate-model"));
    assertEquals(contentType(client, stream), response.headers().get("content-type").split(";")[0]);
    Decoded decoded = stream ? decodeStream(client, response) : summarize(readCompletion(client, response));
    assertEquals(golden.text(), decoded.text());
    if (golden.toolName() == null) {
      assertTrue(decoded.toolCalls().isEmpty(), decoded.toolCalls().toString());
    } else {
      assertEquals(1, decoded.toolCalls().size(), decoded.toolCalls().toString());
      assertEquals(golden.toolName(), decoded.toolCalls().getFirst().name());
      assertEquals(json(golden.toolArguments()), json(decoded.toolCalls().getFirst().arguments()));
    }
    assertEquals(golden.promptTokens(), decoded.promptTokens(), "prompt tokens");
    assertEquals(golden.completionTokens(), decoded.completionTokens(), "completion tokens");
    assertEquals(golden.finishReason(), decoded.finishReason());
    assertTrue(!stream || decoded.ended(), "the stream ends cleanly");
    assertUpstreamRequest(golden.family(), stream);
  }

  static Stream<Arguments> failures() {
    List<Arguments> all = new ArrayList<>();
    List<String[]> errors = List.of(
        new String[] {"openai", String.join("", OpenAiTranscripts.errorStream()), "error while processing"},
        new String[] {"anthropic", AnthropicTranscripts.errorMidStream(), AnthropicTranscripts.ERROR_MESSAGE},
        new String[] {"ollama", OllamaTranscripts.errorMidStream(), OllamaTranscripts.ERROR_MESSAGE},
        new String[] {"gemini", GeminiTranscripts.errorMidStream(), GeminiTranscripts.ERROR_MESSAGE},
        new String[] {"cohere", CohereTranscripts.errorMidStream(), CohereTranscripts.ERROR_MESSAGE});
    for (String[] error : errors) {
      for (String client : List.of("openai", "anthropic", "ollama")) {
        all.add(Arguments.of(client, error[0], error[1], error[2]));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} client, {1} provider fails mid-stream")
  @MethodSource("failures")
  void aMidStreamFailureIsTheClientFormatsErrorEvent(String client, String family, String stream, String message)
      throws Exception {
    String type = family.equals("ollama") ? "application/x-ndjson" : "text/event-stream";
    fake.answer(Scenarios.stream(new StreamPlan(List.of(stream), 200, type, AWKWARD, 0, 0, -1, -1)));
    Http.Response response = await(http.post(path(client), request(client, "m-" + family, true)));
    assertEquals(200, response.status());
    String body = response.text();
    switch (client) {
      case "openai" -> {
        List<String> data = response.dataLines();
        JsonObject last = new JsonObject(data.getLast());
        assertTrue(last.getJsonObject("error").getString("message").contains(message), body);
        assertFalse(data.contains("[DONE]"), body);
      }
      case "anthropic" -> {
        assertTrue(body.contains("event: error\ndata: "), body);
        assertTrue(body.endsWith("\n\n"), body);
        String last = body.substring(body.lastIndexOf("event: error\ndata: ") + 19).trim();
        JsonObject error = new JsonObject(last);
        assertEquals("error", error.getString("type"));
        assertTrue(error.getJsonObject("error").getString("message").contains(message), body);
        assertFalse(body.contains("message_stop"), body);
      }
      default -> {
        String[] lines = body.split("\n");
        JsonObject last = new JsonObject(lines[lines.length - 1]);
        assertTrue(last.getString("error").contains(message), body);
        assertFalse(body.contains("\"done\":true"), body);
      }
    }
  }

  private static void assertUpstreamRequest(String family, boolean stream) {
    FakeUpstream.Recorded sent = fake.lastRequest();
    JsonObject body = sent.body();
    switch (family) {
      case "openai" -> {
        assertEquals("/v1/chat/completions", sent.path());
        assertEquals("Bearer " + TestGateway.UPSTREAM_KEY, sent.headers().get("authorization"));
        assertEquals("up-openai", body.getString("model"));
        assertNotNull(body.getJsonArray("messages"));
      }
      case "anthropic" -> {
        assertEquals("/v1/messages", sent.path());
        assertEquals(TestGateway.UPSTREAM_KEY, sent.headers().get("x-api-key"));
        assertNotNull(sent.headers().get("anthropic-version"));
        assertEquals("Be brief.", body.getString("system"));
        assertEquals(200, body.getInteger("max_tokens"));
      }
      case "ollama" -> {
        assertEquals("/api/chat", sent.path());
        assertEquals(stream, body.getBoolean("stream"));
        assertEquals("system", body.getJsonArray("messages").getJsonObject(0).getString("role"));
      }
      case "gemini" -> {
        assertEquals("/v1beta/models/up-gemini:" + (stream ? "streamGenerateContent" : "generateContent"),
            sent.path());
        assertEquals(TestGateway.UPSTREAM_KEY, sent.headers().get("x-goog-api-key"));
        assertNotNull(body.getJsonArray("contents"));
        assertEquals("Be brief.", body.getJsonObject("systemInstruction").getJsonArray("parts").getJsonObject(0)
            .getString("text"));
      }
      default -> {
        assertEquals("/v2/chat", sent.path());
        assertEquals("Bearer " + TestGateway.UPSTREAM_KEY, sent.headers().get("authorization"));
        assertEquals("system", body.getJsonArray("messages").getJsonObject(0).getString("role"));
      }
    }
    assertTrue(body.encode().contains("get_weather"), "the tool definition went up: " + body.encode());
  }

  static String path(String client) {
    return switch (client) {
      case "openai" -> "/v1/chat/completions";
      case "anthropic" -> "/v1/messages";
      default -> "/api/chat";
    };
  }

  private static String contentType(String client, boolean stream) {
    if (!stream) {
      return "application/json";
    }
    return client.equals("ollama") ? "application/x-ndjson" : "text/event-stream";
  }

  /** The same question in each client format: a system prompt, one user turn, one tool, limits. */
  static String request(String client, String model, boolean stream) {
    JsonObject schema = new JsonObject().put("type", "object").put("properties",
        new JsonObject().put("city", new JsonObject().put("type", "string"))).put("required", List.of("city"));
    JsonObject openAiTool = new JsonObject().put("type", "function").put("function", new JsonObject()
        .put("name", "get_weather").put("description", "Current weather").put("parameters", schema));
    JsonObject user = new JsonObject().put("role", "user").put("content", "Weather in Paris?");
    JsonObject system = new JsonObject().put("role", "system").put("content", "Be brief.");
    return switch (client) {
      case "openai" -> {
        JsonObject body = new JsonObject().put("model", model).put("stream", stream).put("max_tokens", 200)
            .put("temperature", 0.2).put("messages", List.of(system, user)).put("tools", List.of(openAiTool));
        if (stream) {
          body.put("stream_options", new JsonObject().put("include_usage", true));
        }
        yield body.encode();
      }
      case "anthropic" -> new JsonObject().put("model", model).put("stream", stream).put("max_tokens", 200)
          .put("temperature", 0.2).put("system", "Be brief.").put("messages", List.of(user))
          .put("tools", List.of(new JsonObject().put("name", "get_weather").put("description", "Current weather")
              .put("input_schema", schema))).encode();
      default -> new JsonObject().put("model", model).put("stream", stream).put("messages", List.of(system, user))
          .put("tools", List.of(openAiTool))
          .put("options", new JsonObject().put("num_predict", 200).put("temperature", 0.2)).encode();
    };
  }

  private static Decoded decodeStream(String client, Http.Response response) {
    byte[] bytes = response.body().getBytes();
    return switch (client) {
      case "openai" -> Decoded.decode(Framing.SSE, new OpenAiStreamDecoder(), bytes);
      case "anthropic" -> Decoded.decode(Framing.SSE, new AnthropicStreamDecoder(), bytes);
      default -> Decoded.decode(Framing.NDJSON, new OllamaStreamDecoder(), bytes);
    };
  }

  private static Completion readCompletion(String client, Http.Response response) {
    return switch (client) {
      case "openai" -> OpenAiCompletions.read(response.body());
      case "anthropic" -> AnthropicCompletions.read(response.body());
      default -> OllamaCompletions.read(response.body());
    };
  }

  private static Decoded summarize(Completion completion) {
    List<Decoded.ToolCall> calls = completion.toolCalls().stream()
        .map((Part.ToolCall c) -> new Decoded.ToolCall(c.id(), c.name(), c.arguments())).toList();
    return new Decoded(completion.text(), calls, completion.promptTokens(), completion.completionTokens(),
        completion.finishReason(), true, List.of());
  }

  private static JsonNode json(String text) {
    try {
      return dev.tiergate.http.JsonSupport.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
