package dev.tiergate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.tiergate.support.AnthropicTranscripts;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.GeminiTranscripts;
import dev.tiergate.support.Golden;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import dev.tiergate.support.TestGateway;
import dev.tiergate.wire.FinishReason;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI Java SDK gets OpenAI answers from upstreams that speak something else: the golden Anthropic
 * ({@code m-anthropic}) and Gemini ({@code m-gemini}) answers — text and a tool call — are replayed by the fake in
 * 1–11 byte writes, translated by the gateway, and read by the SDK streamed (with and without {@code include_usage},
 * accumulated by {@link ChatCompletionAccumulator}) and whole. The SDK blocks, so it runs on the test thread while the
 * gateway and the fake run on their event loops.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TranslatedOpenAiSdkTest {

  private static final String CLIENT_KEY = "client-key";
  private static final int[] AWKWARD = {1, 2, 3, 5, 7, 11};

  private FakeUpstream fake;
  private OpenAIClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    FakeUpstream.start(vertx)
        .compose(f -> {
          fake = f;
          return TestGateway.to(f).withEveryFamily(f).env("TIERGATE_CLIENT_KEYS", CLIENT_KEY).start(vertx);
        })
        .onSuccess(gateway -> client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(CLIENT_KEY)
            .maxRetries(0).build())
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  /** Anthropic's and Gemini's text and tool-call answers. */
  static Stream<Golden> answers() {
    return Golden.all().stream().filter(g -> g.family().equals("anthropic") || g.family().equals("gemini"));
  }

  static Stream<Arguments> answersWithAndWithoutUsage() {
    return answers().flatMap(golden -> Stream.of(Arguments.of(golden, true), Arguments.of(golden, false)));
  }

  @ParameterizedTest(name = "{0}, include_usage={1}")
  @MethodSource("answersWithAndWithoutUsage")
  void streamedAnswerAccumulatesToTheProvidersAnswer(Golden golden, boolean includeUsage) {
    fake.answer(Scenarios.stream(new StreamPlan(List.of(golden.stream()), 200, golden.contentType(), AWKWARD, 0, 0,
        -1, -1)));
    ChatCompletionCreateParams.Builder params = params("m-" + golden.family());
    if (includeUsage) {
      params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.build())) {
      stream.stream().forEach(chunk -> chunks.add(accumulator.accumulate(chunk)));
    }
    assertEquals(golden.text(), deltaText(chunks), "text as the deltas came");
    assertAnswer(golden, accumulator.chatCompletion());
    if (includeUsage) {
      CompletionUsage usage = chunks.getLast().usage().orElseThrow();
      assertTrue(chunks.getLast().choices().isEmpty(), "the usage chunk has no choices");
      assertUsage(golden, usage);
    } else {
      assertTrue(chunks.stream().allMatch(c -> c.usage().isEmpty()), "usage chunk reached a client that did not ask");
    }
    assertUpstream(golden, true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void wholeAnswerIsTheProvidersAnswer(Golden golden) {
    fake.answer(Scenarios.status(200, golden.completion()));
    ChatCompletion completion = client.chat().completions().create(params("m-" + golden.family()).build());
    assertAnswer(golden, completion);
    assertUsage(golden, completion.usage().orElseThrow());
    assertUpstream(golden, false);
  }

  @Test
  void anthropicErrorMidStreamMakesTheStreamThrow() {
    fake.answer(Scenarios.stream(new StreamPlan(List.of(AnthropicTranscripts.errorMidStream()), 200,
        "text/event-stream", AWKWARD, 0, 0, -1, -1)));
    StringBuilder received = new StringBuilder();
    SseException error = assertThrows(SseException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
          .createStreaming(params("m-anthropic").build())) {
        stream.stream().forEach(chunk -> received.append(deltaText(List.of(chunk))));
      }
    });
    assertEquals(AnthropicTranscripts.TEXT_PIECES.getFirst(), received.toString());
    assertTrue(error.getMessage().contains(AnthropicTranscripts.ERROR_MESSAGE), error.getMessage());
  }

  @Test
  void geminiErrorMidStreamMakesTheStreamThrow() {
    fake.answer(Scenarios.stream(new StreamPlan(List.of(GeminiTranscripts.errorMidStream()), 200,
        "text/event-stream", AWKWARD, 0, 0, -1, -1)));
    StringBuilder received = new StringBuilder();
    SseException error = assertThrows(SseException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
          .createStreaming(params("m-gemini").build())) {
        stream.stream().forEach(chunk -> received.append(deltaText(List.of(chunk))));
      }
    });
    assertEquals(GeminiTranscripts.ERROR_TEXT, received.toString());
    assertTrue(error.getMessage().contains(GeminiTranscripts.ERROR_MESSAGE), error.getMessage());
  }

  private static void assertAnswer(Golden golden, ChatCompletion completion) {
    assertEquals(1, completion.choices().size());
    ChatCompletion.Choice choice = completion.choices().getFirst();
    assertEquals(golden.text(), choice.message().content().orElse(""));
    ChatCompletion.Choice.FinishReason expected = golden.finishReason() == FinishReason.TOOL_USE
        ? ChatCompletion.Choice.FinishReason.TOOL_CALLS : ChatCompletion.Choice.FinishReason.STOP;
    assertEquals(expected, choice.finishReason());
    List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElse(List.of()).stream()
        .map(call -> call.function().orElseThrow()).toList();
    if (golden.toolName() == null) {
      assertTrue(calls.isEmpty(), calls.toString());
      return;
    }
    assertEquals(1, calls.size(), calls.toString());
    ChatCompletionMessageFunctionToolCall call = calls.getFirst();
    assertEquals(golden.family().equals("anthropic") ? AnthropicTranscripts.TOOL_ID : GeminiTranscripts.TOOL_ID,
        call.id());
    assertEquals(golden.toolName(), call.function().name());
    assertEquals(new JsonObject(golden.toolArguments()), new JsonObject(call.function().arguments()));
  }

  private static void assertUsage(Golden golden, CompletionUsage usage) {
    assertEquals(golden.promptTokens(), usage.promptTokens(), "prompt tokens");
    assertEquals(golden.completionTokens(), usage.completionTokens(), "completion tokens");
    assertEquals(golden.promptTokens() + golden.completionTokens(), usage.totalTokens(), "total tokens");
  }

  private void assertUpstream(Golden golden, boolean stream) {
    FakeUpstream.Recorded sent = fake.lastRequest();
    assertEquals(1, fake.requests().size());
    if (golden.family().equals("anthropic")) {
      assertEquals("/v1/messages", sent.path());
      assertEquals("up-anthropic", sent.body().getString("model"));
      assertEquals(stream, sent.body().getBoolean("stream", false));
    } else {
      assertEquals("/v1beta/models/up-gemini:" + (stream ? "streamGenerateContent" : "generateContent"),
          sent.path());
    }
    assertTrue(sent.body().encode().contains("get_weather"), "the tool went up: " + sent.body().encode());
    assertFalse(sent.headers().entries().stream().anyMatch(h -> h.getValue().contains(CLIENT_KEY)),
        "the client key went upstream");
  }

  private static ChatCompletionCreateParams.Builder params(String model) {
    FunctionParameters schema = FunctionParameters.builder()
        .putAdditionalProperty("type", JsonValue.from("object"))
        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
        .build();
    return ChatCompletionCreateParams.builder().model(model).maxCompletionTokens(200)
        .addSystemMessage("Be brief.").addUserMessage("Weather in Paris?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
            .description("Current weather").parameters(schema).build()).build());
  }

  private static String deltaText(List<ChatCompletionChunk> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
    return text.toString();
  }
}
