package dev.tiergate.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.provider.Redactor;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** Whole (non-streamed) Gemini {@code generateContent} answers, read from the provider. */
public final class GeminiCompletions {

  private GeminiCompletions() {
  }

  /**
   * Reads a {@code GenerateContentResponse} body. Adjacent text parts are joined; a call without an id gets
   * {@code call_<n>} as in streams.
   *
   * @throws GatewayException (502) when it is not one, or carries an error
   */
  public static Completion read(Buffer body) {
    JsonNode root = GeminiResponse.parse(body.getBytes());
    if (root == null) {
      throw GatewayException.badGateway("upstream_malformed_response", "The upstream sent a malformed response");
    }
    String error = GeminiResponse.error(root);
    if (error != null) {
      throw GatewayException.badGateway("upstream_error", "The upstream reported an error: " + Redactor.clip(error));
    }
    if (!root.has("candidates") && !root.has("promptFeedback")) {
      throw GatewayException.badGateway("upstream_malformed_response",
          "The upstream response is not a generateContent response");
    }
    GeminiResponse response = GeminiResponse.read(root);
    List<Part> content = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int calls = 0;
    for (GeminiResponse.Piece piece : response.pieces()) {
      switch (piece) {
        case GeminiResponse.Text t -> text.append(t.text());
        case GeminiResponse.Call call -> {
          flush(text, content);
          content.add(new Part.ToolCall(call.id() != null ? call.id() : "call_" + calls, call.name(),
              call.arguments()));
          calls++;
        }
      }
    }
    flush(text, content);
    FinishReason finish = response.blockReason() != null ? FinishReason.CONTENT_FILTER
        : response.finishReason() != null ? GeminiResponse.finish(response.finishReason(), calls > 0) : null;
    return new Completion(content, finish, response.promptTokens(), response.completionTokens());
  }

  private static void flush(StringBuilder text, List<Part> content) {
    if (!text.isEmpty()) {
      content.add(new Part.Text(text.toString()));
      text.setLength(0);
    }
  }
}
