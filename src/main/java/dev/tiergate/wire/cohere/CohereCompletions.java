package dev.tiergate.wire.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Whole (non-streamed) Cohere Chat API v2 answers, read from the provider. */
public final class CohereCompletions {

  private CohereCompletions() {
  }

  /**
   * Reads a v2 chat response ({@code id}, {@code finish_reason}, {@code message}, {@code usage}). Text content blocks
   * are joined; other block types (a reasoning model's thinking) are not part of the answer.
   *
   * @throws GatewayException (502) when it is not one, or reports that the generation failed
   */
  public static Completion read(Buffer body) {
    JsonNode root;
    try {
      root = JsonSupport.MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      throw GatewayException.badGateway("upstream_malformed_response", "The upstream sent a malformed response");
    }
    if (root == null || !root.isObject() || !root.path("message").isObject()) {
      throw GatewayException.badGateway("upstream_malformed_response",
          "The upstream response is not a chat response");
    }
    JsonNode message = root.get("message");
    List<Part> content = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (JsonNode block : message.path("content")) {
      if ("text".equals(block.path("type").asText()) && block.path("text").isTextual()) {
        text.append(block.get("text").asText());
      }
    }
    if (!text.isEmpty()) {
      content.add(new Part.Text(text.toString()));
    }
    int calls = 0;
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      content.add(new Part.ToolCall(call.path("id").asText("call_" + calls), function.path("name").asText(""),
          function.path("arguments").asText("{}")));
      calls++;
    }
    String reason = root.path("finish_reason").asText(null);
    FinishReason finish = reason == null ? null
        : CohereFinish.read(reason, calls > 0, root.path("error").asText(null), "upstream_error");
    CohereUsage usage = CohereUsage.read(root.path("usage"));
    return new Completion(content, finish, usage.promptTokens(), usage.completionTokens());
  }
}
