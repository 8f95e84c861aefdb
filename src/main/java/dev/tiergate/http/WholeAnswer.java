package dev.tiergate.http;

import dev.tiergate.provider.Passthrough;
import dev.tiergate.provider.ProviderAdapter;
import dev.tiergate.provider.Usage;
import dev.tiergate.routing.Target;
import dev.tiergate.usage.TokenEstimate;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.ContentCheck;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ThinkStripper;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A whole (non-streamed) upstream answer made ready for the client: the provider's bytes when it speaks the client's
 * format, otherwise read, stripped of reasoning blocks when the model asks for it, and written in the client's format.
 *
 * @param body              what the client receives
 * @param usage             tokens and finish reason for the outcome
 * @param reasoningStripped whether a {@code <think>} block was removed
 * @param contentFailure    {@link ContentCheck}'s verdict on the text, null when it is fine
 * @param outputChars       characters of generated text and tool calls, for a token estimate when usage is missing
 */
record WholeAnswer(Buffer body, Usage usage, boolean reasoningStripped, String contentFailure, long outputChars) {

  /**
   * @throws GatewayException when the upstream body is not a valid answer of its family
   */
  static WholeAnswer of(ProviderAdapter adapter, Buffer upstreamBody, ChatRequest request, Target target,
                        String requestId) {
    Completion completion = adapter.readCompletion(upstreamBody);
    Buffer body = upstreamBody;
    boolean stripped = false;
    if (!Passthrough.applies(request, target)) {
      if (target.model().stripThinking()) {
        Completion kept = stripThinking(completion);
        stripped = !kept.equals(completion);
        completion = kept;
      }
      body = request.format().codec().encodeCompletion(completion, request, target.model().key(), requestId);
    }
    Usage usage = new Usage(completion.promptTokens(), completion.completionTokens(),
        completion.finishReason() == null ? null : completion.finishReason().name().toLowerCase(Locale.ROOT));
    String failure = ContentCheck.check(completion.text(), target.model().stripThinking(),
        request.promptView().responseFormat());
    return new WholeAnswer(body, usage, stripped, failure, TokenEstimate.chars(completion.content()));
  }

  private static Completion stripThinking(Completion completion) {
    List<Part> parts = new ArrayList<>();
    for (Part part : completion.content()) {
      parts.add(part instanceof Part.Text text ? new Part.Text(ThinkStripper.strip(text.text())) : part);
    }
    return new Completion(parts, completion.finishReason(), completion.promptTokens(),
        completion.completionTokens());
  }
}
