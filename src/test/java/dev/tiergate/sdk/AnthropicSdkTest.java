package dev.tiergate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.GeminiTranscripts;
import dev.tiergate.support.OllamaTranscripts;
import dev.tiergate.support.OpenAiTranscripts;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official Anthropic Java SDK, pointed at the gateway's {@code /v1/messages}, accepts what Tiergate translates
 * from other providers' wire formats: streams from Ollama (NDJSON) and OpenAI-compatible (SSE) upstreams replayed in
 * 1–11 byte writes, a streamed tool call, a whole Gemini completion, failures mid-stream (the stream throws) and the
 * gateway's own refusals as the SDK's exception types. The SDK blocks, so it runs on the test thread while the gateway
 * and the fake run on their event loops.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnthropicSdkTest {

  private static final String CLIENT_KEY = "client-key";
  private static final int[] AWKWARD = {1, 2, 3, 5, 7, 11};
  private static final String NDJSON = "application/x-ndjson";
  private static final String SSE = "text/event-stream";

  private FakeUpstream fake;
  private String rootUrl;
  private AnthropicClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    FakeUpstream.start(vertx)
        .compose(f -> {
          fake = f;
          return TestGateway.to(f).withEveryFamily(f).env("TIERGATE_CLIENT_KEYS", CLIENT_KEY).start(vertx);
        })
        .onSuccess(gateway -> {
          rootUrl = "http://127.0.0.1:" + gateway.port();
          client = sdk(AnthropicOkHttpClient.builder().apiKey(CLIENT_KEY));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void streamFromAnOllamaUpstreamAccumulatesTextStopReasonAndUsage() {
    fake.answer(replay(OllamaTranscripts.textStream(), NDJSON));
    Streamed streamed = stream(params("m-ollama").build());
    assertEquals(OllamaTranscripts.TEXT, streamed.deltas());
    assertEquals(OllamaTranscripts.TEXT, text(streamed.message()));
    assertEquals(StopReason.END_TURN, streamed.message().stopReason().orElseThrow());
    assertEquals(OllamaTranscripts.TEXT_PROMPT_TOKENS, streamed.message().usage().inputTokens());
    assertEquals(OllamaTranscripts.TEXT_COMPLETION_TOKENS, streamed.message().usage().outputTokens());
    assertEquals("/api/chat", fake.lastRequest().path());
    assertEquals("up-ollama", fake.lastRequest().body().getString("model"));
  }

  @Test
  void streamFromAnOpenAiUpstreamAccumulatesTextStopReasonAndUsage() {
    fake.answer(replay(String.join("", OpenAiTranscripts.textStream()), SSE));
    Streamed streamed = stream(params("m-openai").build());
    assertEquals(OpenAiTranscripts.TEXT, streamed.deltas());
    assertEquals(OpenAiTranscripts.TEXT, text(streamed.message()));
    assertEquals(StopReason.END_TURN, streamed.message().stopReason().orElseThrow());
    assertEquals(OpenAiTranscripts.TEXT_PROMPT_TOKENS, streamed.message().usage().inputTokens());
    assertEquals(OpenAiTranscripts.TEXT_COMPLETION_TOKENS, streamed.message().usage().outputTokens());
    assertEquals("/v1/chat/completions", fake.lastRequest().path());
    assertEquals("up-openai", fake.lastRequest().body().getString("model"));
  }

  @Test
  void toolCallStreamedFromAnOpenAiUpstreamIsAToolUseBlock() {
    fake.answer(replay(String.join("", OpenAiTranscripts.toolStream()), SSE));
    Streamed streamed = stream(params("m-openai").addTool(weatherTool()).build());
    Message message = streamed.message();
    List<ToolUseBlock> calls = message.content().stream().flatMap(block -> block.toolUse().stream()).toList();
    assertEquals(1, calls.size(), message.content().toString());
    ToolUseBlock call = calls.getFirst();
    assertEquals(OpenAiTranscripts.TOOL_ID, call.id());
    assertEquals(OpenAiTranscripts.TOOL_NAME, call.name());
    assertEquals(new JsonObject(OpenAiTranscripts.TOOL_ARGUMENTS).getMap(), input(call));
    assertEquals("", streamed.deltas());
    assertEquals(StopReason.TOOL_USE, message.stopReason().orElseThrow());
    assertEquals(OpenAiTranscripts.TOOL_PROMPT_TOKENS, message.usage().inputTokens());
    assertEquals(OpenAiTranscripts.TOOL_COMPLETION_TOKENS, message.usage().outputTokens());
    assertTrue(fake.lastRequest().body().encode().contains("get_weather"), "the tool went up");
  }

  @Test
  void wholeGeminiCompletionIsAMessage() {
    fake.answer(Scenarios.status(200, GeminiTranscripts.textCompletion()));
    Message message = client.messages().create(params("m-gemini").build());
    assertEquals(GeminiTranscripts.TEXT, text(message));
    assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
    assertEquals(GeminiTranscripts.PROMPT_TOKENS, message.usage().inputTokens());
    assertEquals(GeminiTranscripts.COMPLETION_TOKENS, message.usage().outputTokens());
    assertEquals("/v1beta/models/up-gemini:generateContent", fake.lastRequest().path());
  }

  @Test
  void ollamaErrorLineMidStreamMakesTheStreamThrow() {
    fake.answer(replay(OllamaTranscripts.errorMidStream(), NDJSON));
    StringBuilder received = new StringBuilder();
    SseException error = assertThrows(SseException.class, () -> consume(params("m-ollama"), received));
    assertEquals(OllamaTranscripts.ERROR_TEXT, received.toString());
    assertTrue(error.getMessage().contains(OllamaTranscripts.ERROR_MESSAGE), error.getMessage());
  }

  @Test
  void upstreamCutAfterContentMakesTheStreamThrow() {
    // Role chunk and the first two text chunks arrive; then the connection drops without a finish or [DONE].
    List<String> frames = OpenAiTranscripts.textStream();
    fake.answer(Scenarios.stream(StreamPlan.of(frames).split(AWKWARD).gap(1).cutAfter(3)));
    StringBuilder received = new StringBuilder();
    SseException error = assertThrows(SseException.class, () -> consume(params("m-openai"), received));
    assertTrue(error.getMessage().contains("mid-stream"), error.getMessage());
    assertEquals("Héllo, 日本 🙂", received.toString());
  }

  @Test
  void unknownModelIsANotFoundException() {
    NotFoundException error = assertThrows(NotFoundException.class,
        () -> client.messages().create(params("claude-17-ultra").build()));
    assertEquals(404, error.statusCode());
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void unknownModelOnAStreamIsANotFoundException() {
    assertThrows(NotFoundException.class, () -> consume(params("claude-17-ultra"), new StringBuilder()));
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void wrongClientKeyIsAnUnauthorizedException() {
    AnthropicClient stranger = sdk(AnthropicOkHttpClient.builder().apiKey("not-a-key"));
    try {
      UnauthorizedException error = assertThrows(UnauthorizedException.class,
          () -> stranger.messages().create(params("m-gemini").build()));
      assertEquals(401, error.statusCode());
    } finally {
      stranger.close();
    }
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void missingClientKeyIsAnUnauthorizedException() {
    // No credential at all: the SDK sends neither x-api-key nor Authorization.
    AnthropicClient anonymous = sdk(AnthropicOkHttpClient.builder());
    try {
      assertThrows(UnauthorizedException.class, () -> anonymous.messages().create(params("m-gemini").build()));
    } finally {
      anonymous.close();
    }
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void bearerTokenIsAcceptedAsTheClientKey() {
    fake.answer(Scenarios.status(200, GeminiTranscripts.textCompletion()));
    AnthropicClient bearer = sdk(AnthropicOkHttpClient.builder().authToken(CLIENT_KEY));
    try {
      assertEquals(GeminiTranscripts.TEXT, text(bearer.messages().create(params("m-gemini").build())));
    } finally {
      bearer.close();
    }
    FakeUpstream.Recorded sent = fake.lastRequest();
    assertEquals(TestGateway.UPSTREAM_KEY, sent.headers().get("x-goog-api-key"));
    sent.headers().forEach(header -> assertFalse(header.getValue().contains(CLIENT_KEY), header.getKey()));
  }

  private AnthropicClient sdk(AnthropicOkHttpClient.Builder builder) {
    // The SDK retries 429 and 5xx by default; every test here wants to see the first answer.
    return builder.baseUrl(rootUrl).maxRetries(0).build();
  }

  private static FakeUpstream.Scenario replay(String body, String contentType) {
    return Scenarios.stream(new StreamPlan(List.of(body), 200, contentType, AWKWARD, 0, 0, -1, -1));
  }

  private static MessageCreateParams.Builder params(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(200).system("Be brief.")
        .addUserMessage("Weather in Zürich?");
  }

  private static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Current weather")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                .putAdditionalProperty("unit", JsonValue.from(Map.of("type", "string")))
                .build())
            .addRequired("city")
            .build())
        .build();
  }

  /** What a streaming client ends up with: the text deltas as they came, and the SDK's accumulated message. */
  private record Streamed(String deltas, Message message) {
  }

  private Streamed stream(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    StringBuilder deltas = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(event -> {
        accumulator.accumulate(event);
        appendText(event, deltas);
      });
    }
    return new Streamed(deltas.toString(), accumulator.message());
  }

  private void consume(MessageCreateParams.Builder params, StringBuilder received) {
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params.build())) {
      stream.stream().forEach(event -> appendText(event, received));
    }
  }

  private static void appendText(RawMessageStreamEvent event, StringBuilder text) {
    event.contentBlockDelta().flatMap(delta -> delta.delta().text()).ifPresent(delta -> text.append(delta.text()));
  }

  private static String text(Message message) {
    return String.join("", message.content().stream().flatMap(block -> block.text().stream())
        .map(TextBlock::text).toList());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> input(ToolUseBlock call) {
    return call._input().convert(Map.class);
  }
}
