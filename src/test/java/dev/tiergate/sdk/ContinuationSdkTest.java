package dev.tiergate.sdk;

import static dev.tiergate.support.FaultUpstream.ANSWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tiergate.support.FaultGateway;
import dev.tiergate.support.FaultUpstream;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official SDKs' own accumulators take a continued stream as one ordinary answer: a primary's stream cut after six
 * words, finished by a prefill-capable fallback in the same response, assembles to the whole text with a normal stop
 * reason and usage. The SDKs block, so they run on the test thread while the gateway and the fake run on event loops.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ContinuationSdkTest {

  private FaultUpstream fault;
  private String rootUrl;
  private OpenAIClient openAi;
  private AnthropicClient anthropic;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    FaultUpstream.start(vertx)
        .compose(f -> {
          fault = f;
          return FaultGateway.start(vertx, f, List.of(
              List.of("an-cut-then-an-ok", "fault-anthropic", FaultUpstream.CUT, FaultGateway.FALLBACK)));
        })
        .onSuccess(gateway -> {
          rootUrl = "http://127.0.0.1:" + gateway.port();
          openAi = OpenAIOkHttpClient.builder().baseUrl(rootUrl + "/v1").apiKey("unused").maxRetries(0).build();
          anthropic = AnthropicOkHttpClient.builder().baseUrl(rootUrl).apiKey("unused").maxRetries(0).build();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void closeClients() {
    if (openAi != null) {
      openAi.close();
    }
    if (anthropic != null) {
      anthropic.close();
    }
  }

  @Test
  void theOpenAiAccumulatorAssemblesOneAnswerFromTwoModels() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("oa-cut-then-an-ok")
        .addUserMessage("Tell me about the fox")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream =
             openAi.chat().completions().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion completion = accumulator.chatCompletion();
    ChatCompletion.Choice choice = completion.choices().getFirst();
    assertEquals(ANSWER, choice.message().content().orElseThrow());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason());
    assertTrue(completion.usage().orElseThrow().completionTokens() > 0);
    assertEquals(1, fault.attempts(FaultUpstream.CUT));
    assertEquals(1, fault.attempts(FaultUpstream.OK));
  }

  @Test
  void theAnthropicAccumulatorAssemblesOneTextBlockFromTwoModels() {
    MessageCreateParams params = MessageCreateParams.builder().model("an-cut-then-an-ok").maxTokens(200)
        .addUserMessage("Tell me about the fox").build();
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message message = accumulator.message();
    List<TextBlock> blocks = message.content().stream().flatMap(block -> block.text().stream()).toList();
    assertEquals(1, blocks.size(), message.content().toString());
    assertEquals(ANSWER, blocks.getFirst().text());
    assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
    assertTrue(message.usage().outputTokens() > 0);
    assertEquals(1, fault.attempts(FaultUpstream.CUT));
    assertEquals(1, fault.attempts(FaultUpstream.OK));
  }
}
