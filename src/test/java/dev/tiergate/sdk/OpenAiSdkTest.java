package dev.tiergate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.StreamPlan;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official OpenAI Java SDK, pointed at the gateway, accepts what Tiergate sends: whole completions, streams split
 * at awkward bytes, failures mid-stream (the stream throws), and upstream errors as the SDK's own exception types. The
 * SDK blocks, so it runs on the test thread while the gateway and the fake run on their event loops.
 *
 * <p>A stream that fails after content must end with an OpenAI error frame: the SDK turns that into an
 * {@link SseException}, whereas a stream that merely stops would look like a complete (truncated) answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenAiSdkTest {

  private static final String CLIENT_KEY = "client-key";
  private static final String[] PIECES = {"Hé", "llo ", "wörld ", "🙂 ", "こんにちは", "\n", "ünïcödé ", "𝄞 ", "done"};
  private static final String TEXT = String.join("", PIECES);

  private FakeUpstream fake;
  private String baseUrl;
  private OpenAIClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    FakeUpstream.start(vertx)
        .compose(f -> {
          fake = f;
          return TestGateway.to(f).env("TIERGATE_CLIENT_KEYS", CLIENT_KEY).start(vertx);
        })
        .onSuccess(gateway -> {
          baseUrl = gateway.baseUrl();
          client = sdk(baseUrl, CLIENT_KEY);
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
  void nonStreamingGetsExactlyTheText() {
    fake.answer(Scenarios.completion(TEXT));
    ChatCompletion completion = client.chat().completions().create(params("gpt-4o").build());
    assertEquals(TEXT, completion.choices().getFirst().message().content().orElseThrow());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().getFirst().finishReason());
    assertEquals(12, completion.usage().orElseThrow().totalTokens());
    FakeUpstream.Recorded sent = fake.lastRequest();
    assertEquals("Bearer " + TestGateway.UPSTREAM_KEY, sent.headers().get("authorization"));
    assertEquals("gpt-4o", sent.body().getString("model"));
    assertEquals(1, fake.requests().size());
  }

  @Test
  void autoRoutingWorksForTheSdkToo() {
    fake.answer(Scenarios.completion("routed"));
    ChatCompletion completion = client.chat().completions().create(params("auto").build());
    assertEquals("routed", completion.choices().getFirst().message().content().orElseThrow());
    assertEquals("gpt-4o", fake.lastRequest().body().getString("model"));
  }

  @ParameterizedTest(name = "gap {0} ms")
  @ValueSource(ints = {0, 1})
  void streamingAccumulatesExactlyTheTextAcrossAwkwardSplits(int gapMs) {
    // Writes of 1..7 bytes split "data:", the JSON and the multi-byte UTF-8 characters (2, 3 and 4 bytes long).
    List<String> frames = OpenAiFrames.stream(false, PIECES);
    fake.answer(Scenarios.stream(StreamPlan.of(frames).split(1, 2, 3, 7, 5, 4).gap(gapMs)));
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
        .createStreaming(params("gpt-4o").build())) {
      stream.stream().forEach(chunks::add);
    }
    assertEquals(TEXT, text(chunks));
    assertEquals(ChatCompletionChunk.Choice.FinishReason.STOP, chunks.stream()
        .flatMap(c -> c.choices().stream()).flatMap(c -> c.finishReason().stream()).findFirst().orElseThrow());
    assertTrue(chunks.stream().allMatch(c -> c.usage().isEmpty()), "usage chunk reached a client that did not ask");
    assertTrue(fake.lastRequest().body().getBoolean("stream"));
  }

  @Test
  void streamingWithUsageGetsTheUsageChunk() {
    fake.answer(Scenarios.completion("one two three"));
    ChatCompletionCreateParams params = params("gpt-4o")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    assertEquals("one two three", text(chunks));
    CompletionUsage usage = chunks.getLast().usage().orElseThrow();
    assertEquals(11, usage.promptTokens());
    assertEquals(3, usage.completionTokens());
  }

  @Test
  void crlfStreamFinishedWithoutDoneAndSplitInsideTheLastCrlfIsComplete() {
    // Some OpenAI-compatible servers frame with CRLF and end after the finish chunk without [DONE]. The last write is
    // the final LF alone, so the gateway sees the event end at its CR and the LF arrive afterwards.
    List<String> frames = OpenAiFrames.stream(false, "Hé ", "wörld").stream()
        .filter(frame -> !frame.contains("[DONE]"))
        .map(frame -> frame.replace("\n", "\r\n"))
        .toList();
    int length = String.join("", frames).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    fake.answer(Scenarios.stream(StreamPlan.of(frames).split(length - 1, 1).gap(5)));
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
        .createStreaming(params("gpt-4o").build())) {
      stream.stream().forEach(chunks::add);
    }
    assertEquals("Hé wörld", text(chunks));
  }

  @Test
  void upstreamCutAfterContentMakesTheStreamThrow() {
    List<String> frames = OpenAiFrames.stream(false, "one ", "two ", "three");
    fake.answer(Scenarios.stream(StreamPlan.of(frames).split(3, 11).gap(1).cutAfter(3)));
    StringBuilder received = new StringBuilder();
    assertThrows(SseException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
          .createStreaming(params("gpt-4o").build())) {
        stream.stream().forEach(chunk -> received.append(text(List.of(chunk))));
      }
    });
    assertEquals("one two ", received.toString());
  }

  @Test
  void upstreamCutWithoutTheDoneMarkerBeforeFinishMakesTheStreamThrow() {
    List<String> frames = OpenAiFrames.stream(false, "alpha ", "beta");
    // Everything but the stop chunk and [DONE]: the answer is not complete.
    fake.answer(Scenarios.stream(StreamPlan.of(frames.subList(0, 3))));
    StringBuilder received = new StringBuilder();
    assertThrows(SseException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
          .createStreaming(params("gpt-4o").build())) {
        stream.stream().forEach(chunk -> received.append(text(List.of(chunk))));
      }
    });
    assertEquals("alpha beta", received.toString());
  }

  @Test
  void malformedUpstreamFrameMidStreamMakesTheStreamThrow() {
    List<String> frames = new ArrayList<>(OpenAiFrames.stream(false, "good ", "bad").subList(0, 2));
    frames.add("data: {\"choices\":[{\"delta\":\n\n");
    fake.answer(Scenarios.stream(StreamPlan.of(frames)));
    StringBuilder received = new StringBuilder();
    assertThrows(SseException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
          .createStreaming(params("gpt-4o").build())) {
        stream.stream().forEach(chunk -> received.append(text(List.of(chunk))));
      }
    });
    assertEquals("good ", received.toString());
  }

  @Test
  void upstream429IsARateLimitException() {
    fake.answer(Scenarios.status(429, OpenAiFrames.error("Rate limit reached for gpt-4o", "requests"),
        "retry-after", "7"));
    RateLimitException error = assertThrows(RateLimitException.class,
        () -> client.chat().completions().create(params("gpt-4o").build()));
    assertEquals(429, error.statusCode());
    assertEquals(List.of("7"), error.headers().values("retry-after"));
    assertEquals(1, fake.requests().size());
  }

  @Test
  void upstream429OnAStreamIsARateLimitException() {
    fake.answer(Scenarios.status(429, OpenAiFrames.error("Rate limit reached for gpt-4o", "requests")));
    assertThrows(RateLimitException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
          .createStreaming(params("gpt-4o").build())) {
        stream.stream().forEach(chunk -> { });
      }
    });
    // Without Retry-After a 429 is retried with backoff, up to three attempts on the one target the chain has.
    assertEquals(3, fake.requests().size());
  }

  @Test
  void upstream400IsABadRequestException() {
    fake.answer(Scenarios.status(400, OpenAiFrames.error("Invalid 'messages': too long", "invalid_request_error")));
    BadRequestException error = assertThrows(BadRequestException.class,
        () -> client.chat().completions().create(params("gpt-4o").build()));
    assertTrue(error.getMessage().contains("too long"), error.getMessage());
  }

  @Test
  void upstream500IsAServerErrorException() {
    fake.answer(Scenarios.status(500, OpenAiFrames.error("The server had an error", "server_error")));
    InternalServerException error = assertThrows(InternalServerException.class,
        () -> client.chat().completions().create(params("gpt-4o").build()));
    assertEquals(502, error.statusCode());
  }

  @Test
  void unknownModelIsANotFoundException() {
    NotFoundException error = assertThrows(NotFoundException.class,
        () -> client.chat().completions().create(params("gpt-17-ultra").build()));
    assertEquals(404, error.statusCode());
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void wrongClientKeyIsAnUnauthorizedException() {
    OpenAIClient stranger = sdk(baseUrl, "not-a-key");
    try {
      assertThrows(UnauthorizedException.class,
          () -> stranger.chat().completions().create(params("gpt-4o").build()));
    } finally {
      stranger.close();
    }
    assertTrue(fake.requests().isEmpty());
    assertFalse(client.chat().completions().create(params("gpt-4o").build()).choices().isEmpty());
  }

  private static OpenAIClient sdk(String baseUrl, String key) {
    // The SDK retries 429 and 5xx by default; every test here wants to see the first answer.
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(key).maxRetries(0).build();
  }

  private static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
  }

  private static String text(List<ChatCompletionChunk> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
    return text.toString();
  }
}
