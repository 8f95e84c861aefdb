package dev.tiergate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.AnthropicTranscripts;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.OpenAiTranscripts;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import dev.tiergate.support.TestGateway;
import io.github.ollama4j.Ollama;
import io.github.ollama4j.exceptions.OllamaException;
import io.github.ollama4j.models.chat.OllamaChatMessageRole;
import io.github.ollama4j.models.chat.OllamaChatRequest;
import io.github.ollama4j.models.chat.OllamaChatResponseModel;
import io.github.ollama4j.models.chat.OllamaChatResult;
import io.github.ollama4j.models.chat.OllamaChatToolCalls;
import io.github.ollama4j.models.response.Model;
import io.github.ollama4j.tools.Tools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ollama4j client, pointed at the gateway's root URL as if it were an Ollama server, lists the gateway's models,
 * reads its version and chats — whole and streamed with a token handler — with models served by cloud upstreams
 * (Anthropic and OpenAI wire formats, replayed in 1–11 byte writes), including a tool call. The client blocks, so it
 * runs on the test thread while the gateway and the fake run on their event loops.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OllamaSdkTest {

  private static final String CLIENT_KEY = "client-key";
  private static final int[] AWKWARD = {1, 2, 3, 5, 7, 11};

  private FakeUpstream fake;
  private String rootUrl;
  private Ollama ollama;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    FakeUpstream.start(vertx)
        .compose(f -> {
          fake = f;
          return TestGateway.to(f).withEveryFamily(f).env("TIERGATE_CLIENT_KEYS", CLIENT_KEY).start(vertx);
        })
        .onSuccess(gateway -> {
          rootUrl = "http://127.0.0.1:" + gateway.port();
          ollama = client(CLIENT_KEY);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void noLeak() {
    // Whatever the test did, the client key never reaches an upstream.
    fake.requests().forEach(sent -> sent.headers().forEach(header ->
        assertFalse(header.getValue().contains(CLIENT_KEY), "client key sent upstream in " + header.getKey())));
  }

  @Test
  void listsTheGatewaysModelsAndRoutingAliases() throws Exception {
    List<String> names = ollama.listModels().stream().map(Model::getName).toList();
    assertTrue(names.containsAll(List.of("m-anthropic", "m-openai", "m-ollama", "m-gemini", "m-cohere", "gpt-4o",
        "auto")), names.toString());
    assertTrue(ollama.ping());
    assertTrue(fake.requests().isEmpty(), "listing models asks no upstream");
  }

  @Test
  void versionIsExposed() throws Exception {
    String version = ollama.getVersion();
    assertTrue(version.matches("\\d+\\.\\d+\\.\\d+"), version);
  }

  @Test
  void wrongClientKeyIsRefused() {
    Ollama stranger = client("not-a-key");
    OllamaException listing = assertThrows(OllamaException.class, stranger::listModels);
    assertTrue(listing.getMessage().contains("401"), listing.getMessage());
    assertThrows(OllamaException.class, () -> stranger.chat(request("m-openai"), null));
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void wholeChatServedByAnAnthropicUpstream() throws Exception {
    fake.answer(Scenarios.status(200, AnthropicTranscripts.textMessage()));
    OllamaChatResponseModel answer = ollama.chat(request("m-anthropic"), null).getResponseModel();
    assertEquals(AnthropicTranscripts.TEXT, answer.getMessage().getResponse());
    assertTrue(answer.isDone());
    assertEquals("stop", answer.getDoneReason());
    assertEquals(AnthropicTranscripts.TEXT_INPUT_TOKENS, (long) answer.getPromptEvalCount());
    assertEquals(AnthropicTranscripts.TEXT_OUTPUT_TOKENS, (long) answer.getEvalCount());
    FakeUpstream.Recorded sent = fake.lastRequest();
    assertEquals("/v1/messages", sent.path());
    assertEquals("up-anthropic", sent.body().getString("model"));
    assertEquals(false, sent.body().getBoolean("stream", false));
  }

  @Test
  void streamedChatServedByAnAnthropicUpstream() throws Exception {
    fake.answer(replay(AnthropicTranscripts.textAnswer()));
    List<String> tokens = new ArrayList<>();
    OllamaChatResult result = ollama.chat(request("m-anthropic"), token -> tokens.add(content(token)));
    assertEquals(AnthropicTranscripts.TEXT, String.join("", tokens));
    assertTrue(tokens.size() > 1, "streamed in pieces: " + tokens);
    OllamaChatResponseModel last = result.getResponseModel();
    assertEquals(AnthropicTranscripts.TEXT, last.getMessage().getResponse());
    assertTrue(last.isDone());
    assertEquals("stop", last.getDoneReason());
    assertEquals(AnthropicTranscripts.TEXT_INPUT_TOKENS, (long) last.getPromptEvalCount());
    assertEquals(AnthropicTranscripts.TEXT_OUTPUT_TOKENS, (long) last.getEvalCount());
    assertEquals(true, fake.lastRequest().body().getBoolean("stream"));
  }

  @Test
  void wholeChatServedByAnOpenAiUpstream() throws Exception {
    fake.answer(Scenarios.status(200, OpenAiTranscripts.textCompletion()));
    OllamaChatResponseModel answer = ollama.chat(request("m-openai"), null).getResponseModel();
    assertEquals(OpenAiTranscripts.TEXT, answer.getMessage().getResponse());
    assertEquals("stop", answer.getDoneReason());
    assertEquals(OpenAiTranscripts.TEXT_PROMPT_TOKENS, (long) answer.getPromptEvalCount());
    assertEquals(OpenAiTranscripts.TEXT_COMPLETION_TOKENS, (long) answer.getEvalCount());
    assertEquals("/v1/chat/completions", fake.lastRequest().path());
  }

  @Test
  void streamedChatServedByAnOpenAiUpstream() throws Exception {
    fake.answer(replay(String.join("", OpenAiTranscripts.textStream())));
    List<String> tokens = new ArrayList<>();
    OllamaChatResult result = ollama.chat(request("m-openai"), token -> tokens.add(content(token)));
    assertEquals(OpenAiTranscripts.TEXT, String.join("", tokens));
    OllamaChatResponseModel last = result.getResponseModel();
    assertEquals(OpenAiTranscripts.TEXT, last.getMessage().getResponse());
    assertEquals("stop", last.getDoneReason());
    assertEquals(OpenAiTranscripts.TEXT_PROMPT_TOKENS, (long) last.getPromptEvalCount());
    assertEquals(OpenAiTranscripts.TEXT_COMPLETION_TOKENS, (long) last.getEvalCount());
  }

  @Test
  void streamedToolCallFromAnOpenAiUpstream() throws Exception {
    fake.answer(replay(String.join("", OpenAiTranscripts.toolStream())));
    OllamaChatResult result = ollama.chat(request("m-openai").withTools(List.of(weatherTool())), token -> { });
    assertToolCall(result, OpenAiTranscripts.TOOL_NAME, OpenAiTranscripts.TOOL_ARGUMENTS);
    assertTrue(fake.lastRequest().body().encode().contains("get_weather"), "the tool went up");
  }

  @Test
  void wholeToolCallFromAnAnthropicUpstream() throws Exception {
    fake.answer(Scenarios.status(200, AnthropicTranscripts.toolCallMessage()));
    OllamaChatResult result = ollama.chat(request("m-anthropic").withTools(List.of(weatherTool())), null);
    assertToolCall(result, AnthropicTranscripts.TOOL_NAME, AnthropicTranscripts.TOOL_ARGUMENTS);
    assertEquals(AnthropicTranscripts.TOOL_TEXT, result.getResponseModel().getMessage().getResponse());
  }

  private Ollama client(String key) {
    Ollama client = new Ollama(rootUrl);
    client.setBearerAuth(key);
    client.setRequestTimeoutSeconds(20);
    // Hand tool calls back to the test instead of invoking a local function and asking again.
    client.setMaxChatToolCallRetries(0);
    return client;
  }

  private static OllamaChatRequest request(String model) {
    // useTools (on by default) adds the client's registered tools to the request's list, which is null until set.
    return OllamaChatRequest.builder().withModel(model).withUseTools(false)
        .withMessage(OllamaChatMessageRole.SYSTEM, "Be brief.")
        .withMessage(OllamaChatMessageRole.USER, "Weather in Zürich?")
        .build();
  }

  private static Tools.Tool weatherTool() {
    Tools.Property string = Tools.Property.builder().type("string").description("a value").required(true).build();
    return Tools.Tool.builder().type("function")
        .toolSpec(Tools.ToolSpec.builder().name("get_weather").description("Current weather")
            .parameters(Tools.Parameters.of(Map.of("city", string))).build())
        .build();
  }

  private static void assertToolCall(OllamaChatResult result, String name, String arguments) {
    List<OllamaChatToolCalls> calls = result.getResponseModel().getMessage().getToolCalls();
    assertEquals(1, calls.size(), String.valueOf(calls));
    assertEquals(name, calls.getFirst().getFunction().getName());
    assertEquals(new JsonObject(arguments).getMap(), calls.getFirst().getFunction().getArguments());
  }

  private static FakeUpstream.Scenario replay(String body) {
    return Scenarios.stream(new StreamPlan(List.of(body), 200, "text/event-stream", AWKWARD, 0, 0, -1, -1));
  }

  private static String content(OllamaChatResponseModel token) {
    String text = token.getMessage() == null ? null : token.getMessage().getResponse();
    return text == null ? "" : text;
  }
}
