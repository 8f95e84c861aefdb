package dev.tiergate.wire.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.Redactor;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Whole (non-streamed) Anthropic messages, read from the provider and written for clients. */
public final class AnthropicCompletions {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AnthropicCompletions() {
  }

  /**
   * Reads a {@code message} body: its text and {@code tool_use} blocks (thinking and server tool blocks are skipped),
   * stop reason and usage (the prompt count includes cached tokens, as in {@link AnthropicStreamDecoder}).
   *
   * @throws GatewayException (502) when it is an error report or not a message
   */
  public static Completion read(Buffer body) {
    JsonNode root;
    try {
      root = JsonSupport.MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      throw GatewayException.badGateway("upstream_malformed_response", "The upstream sent a malformed response");
    }
    if (root != null && "error".equals(root.path("type").asText())) {
      JsonNode error = root.path("error");
      throw GatewayException.badGateway("upstream_error", "The upstream reported an error: "
          + Redactor.clip(error.path("message").asText(error.path("type").asText("unknown error"))));
    }
    if (root == null || !root.isObject() || !root.path("content").isArray()) {
      throw GatewayException.badGateway("upstream_malformed_response",
          "The upstream response is not an Anthropic message");
    }
    List<Part> content = new ArrayList<>();
    for (JsonNode block : root.get("content")) {
      switch (block.path("type").asText()) {
        case "text" -> {
          if (!block.path("text").asText("").isEmpty()) {
            content.add(new Part.Text(block.get("text").asText()));
          }
        }
        case "tool_use" -> {
          JsonNode input = block.get("input");
          content.add(new Part.ToolCall(block.path("id").asText("toolu_" + content.size()),
              block.path("name").asText(""), input == null || input.isNull() ? "{}" : input.toString()));
        }
        default -> {
        }
      }
    }
    JsonNode reason = root.get("stop_reason");
    FinishReason finish = reason != null && reason.isTextual() ? AnthropicStopReason.read(reason.asText()) : null;
    JsonNode usage = root.path("usage");
    long prompt = usage.path("input_tokens").isNumber() ? AnthropicStreamDecoder.promptTokens(usage) : -1;
    long output = usage.path("output_tokens").isNumber() ? usage.get("output_tokens").asLong() : -1;
    return new Completion(content, finish, prompt, output);
  }

  /**
   * Writes {@code completion} as an Anthropic {@code message}. Tool arguments that are not a JSON object (a model's
   * malformed output) are passed on as a string rather than dropped.
   */
  static Buffer write(Completion completion, String id, String model) {
    ObjectNode root = JSON.objectNode().put("id", id).put("type", "message").put("role", "assistant")
        .put("model", model);
    ArrayNode content = root.putArray("content");
    for (Part part : completion.content()) {
      if (part instanceof Part.Text text && !text.text().isEmpty()) {
        content.addObject().put("type", "text").put("text", text.text());
      } else if (part instanceof Part.ToolCall call) {
        content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
            .set("input", input(call.arguments()));
      }
    }
    root.put("stop_reason", AnthropicStopReason.writeOrDefault(completion.finishReason(),
        !completion.toolCalls().isEmpty()));
    root.putNull("stop_sequence");
    root.set("usage", usage(completion.promptTokens(), completion.completionTokens()));
    try {
      return Buffer.buffer(JsonSupport.MAPPER.writeValueAsBytes(root));
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode the completion");
    }
  }

  /**
   * A message's usage object as Anthropic writes it. The cache counts are 0 because the prompt count already holds
   * every prompt token; unknown counts are 0 too (the fields are not optional for SDKs).
   */
  static ObjectNode usage(long promptTokens, long completionTokens) {
    return JSON.objectNode().put("input_tokens", Math.max(promptTokens, 0)).put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", 0).put("output_tokens", Math.max(completionTokens, 0));
  }

  private static JsonNode input(String arguments) {
    try {
      JsonNode input = JsonSupport.MAPPER.readTree(arguments);
      if (input != null && input.isObject()) {
        return input;
      }
    } catch (IOException e) {
      // passed on as text below
    }
    return JSON.textNode(arguments);
  }
}
