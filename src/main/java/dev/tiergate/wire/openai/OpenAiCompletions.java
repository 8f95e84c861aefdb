package dev.tiergate.wire.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Whole (non-streamed) OpenAI chat completions, read from providers and written for clients. */
public final class OpenAiCompletions {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OpenAiCompletions() {
  }

  /**
   * Reads a {@code chat.completion} body.
   *
   * @throws GatewayException (502) when it is not one
   */
  public static Completion read(Buffer body) {
    JsonNode root;
    try {
      root = JsonSupport.MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      throw GatewayException.badGateway("upstream_malformed_response", "The upstream sent a malformed response");
    }
    if (root == null || !root.isObject() || !root.path("choices").isArray()) {
      throw GatewayException.badGateway("upstream_malformed_response",
          "The upstream response is not a chat completion");
    }
    List<Part> content = new ArrayList<>();
    FinishReason finish = null;
    for (JsonNode choice : root.get("choices")) {
      if (choice.path("finish_reason").isTextual()) {
        finish = OpenAiFinish.read(choice.get("finish_reason").asText());
      }
      if (choice.path("index").asInt(0) == 0) {
        readMessage(choice.path("message"), content);
      }
    }
    JsonNode usage = root.path("usage");
    return new Completion(content, finish, usage.path("prompt_tokens").asLong(-1),
        usage.path("completion_tokens").asLong(-1));
  }

  private static void readMessage(JsonNode message, List<Part> content) {
    JsonNode text = message.get("content");
    if (text != null && text.isTextual() && !text.asText().isEmpty()) {
      content.add(new Part.Text(text.asText()));
    }
    JsonNode calls = message.get("tool_calls");
    if (calls != null && calls.isArray()) {
      int i = 0;
      for (JsonNode call : calls) {
        JsonNode function = call.path("function");
        content.add(new Part.ToolCall(call.path("id").asText("call_" + i), function.path("name").asText(""),
            function.path("arguments").asText("{}")));
        i++;
      }
    }
  }

  /** Writes {@code completion} as an OpenAI {@code chat.completion}. */
  static Buffer write(Completion completion, String id, String model, long created) {
    ObjectNode root = JSON.objectNode().put("id", id).put("object", "chat.completion").put("created", created)
        .put("model", model);
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    String text = completion.text();
    List<Part.ToolCall> calls = completion.toolCalls();
    if (text.isEmpty() && !calls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text);
    }
    message.putNull("refusal");
    if (!calls.isEmpty()) {
      ArrayNode array = message.putArray("tool_calls");
      for (Part.ToolCall call : calls) {
        array.addObject().put("id", call.id()).put("type", "function").putObject("function")
            .put("name", call.name()).put("arguments", call.arguments());
      }
    }
    choice.putNull("logprobs");
    FinishReason finish = completion.finishReason() != null ? completion.finishReason()
        : calls.isEmpty() ? FinishReason.END_TURN : FinishReason.TOOL_USE;
    choice.put("finish_reason", OpenAiFinish.write(finish));
    root.set("usage", usage(completion.promptTokens(), completion.completionTokens()));
    try {
      return Buffer.buffer(JsonSupport.MAPPER.writeValueAsBytes(root));
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode the completion");
    }
  }

  /** OpenAI's usage object; unknown counts are written as 0 (the field is not optional for SDKs). */
  static ObjectNode usage(long prompt, long completion) {
    long p = Math.max(prompt, 0);
    long c = Math.max(completion, 0);
    return JSON.objectNode().put("prompt_tokens", p).put("completion_tokens", c).put("total_tokens", p + c);
  }
}
