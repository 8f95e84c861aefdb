package dev.tiergate.wire.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.Redactor;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.Part;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads Ollama's non-streamed {@code /api/chat} answer: the stream's lines in one, with {@code "done":true}. */
public final class OllamaCompletions {

  private OllamaCompletions() {
  }

  /**
   * The answer in the gateway's terms.
   *
   * @throws GatewayException (502 {@code upstream_malformed_response}) when the body is not an Ollama chat answer
   */
  public static Completion read(Buffer body) {
    JsonNode root;
    try {
      root = JsonSupport.MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      throw malformed("The upstream sent a malformed response");
    }
    if (root == null || !root.isObject()) {
      throw malformed("The upstream response is not an Ollama chat answer");
    }
    JsonNode error = root.get("error");
    if (error != null && error.isTextual()) {
      throw malformed("The upstream answered with an error: " + Redactor.clip(error.asText()));
    }
    JsonNode message = root.get("message");
    if (message == null || !message.isObject()) {
      throw malformed("The upstream response is not an Ollama chat answer");
    }
    List<Part> content = new ArrayList<>();
    String text = message.path("content").asText("");
    if (!text.isEmpty()) {
      content.add(new Part.Text(text));
    }
    int index = 0;
    for (JsonNode call : message.path("tool_calls")) {
      Part.ToolCall toolCall = OllamaToolCalls.fromWire(call, index++);
      if (toolCall == null) {
        throw malformed("The upstream response has a tool call without a name");
      }
      content.add(toolCall);
    }
    return new Completion(content, OllamaDoneReasons.read(root.path("done_reason").asText(null), index > 0),
        root.path("prompt_eval_count").asLong(-1), root.path("eval_count").asLong(-1));
  }

  private static GatewayException malformed(String message) {
    return GatewayException.badGateway("upstream_malformed_response", message);
  }
}
