package dev.tiergate.wire.openai;

import static dev.tiergate.wire.RequestJson.invalid;
import static dev.tiergate.wire.RequestJson.optionalBoolean;
import static dev.tiergate.wire.RequestJson.optionalString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientFormat;
import dev.tiergate.wire.Lazy;
import dev.tiergate.wire.RequestJson;
import io.vertx.core.buffer.Buffer;
import java.util.Set;

/**
 * Reads and validates an OpenAI Chat Completions request body; every problem is a 400 naming the field. The
 * {@link dev.tiergate.wire.Conversation} is read only when a translation asks for it ({@link OpenAiConversation}).
 */
public final class OpenAiRequestReader {

  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  private OpenAiRequestReader() {
  }

  public static ChatRequest parse(Buffer body) {
    ObjectNode object = RequestJson.readObject(body);
    String model = optionalString(object, "model", "model");
    boolean stream = optionalBoolean(object, "stream", "stream", false);
    validateMessages(object.get("messages"));
    boolean wantsUsage = false;
    JsonNode options = object.get("stream_options");
    if (options != null && !options.isNull()) {
      if (!options.isObject()) {
        throw invalid("stream_options", "must be an object");
      }
      wantsUsage = optionalBoolean(options, "include_usage", "stream_options.include_usage", false);
    }
    validateNumbers(object);
    return new ChatRequest(ClientFormat.OPENAI, object, model, stream, wantsUsage,
        optionalString(object, "user", "user"), new Lazy<>(() -> OpenAiConversation.read(object, stream)));
  }

  private static void validateMessages(JsonNode messages) {
    if (messages == null || messages.isNull()) {
      throw invalid("messages", "is required");
    }
    if (!messages.isArray()) {
      throw invalid("messages", "must be an array");
    }
    if (messages.isEmpty()) {
      throw invalid("messages", "must contain at least one message");
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String field = "messages[" + i + "]";
      if (!message.isObject()) {
        throw invalid(field, "must be an object");
      }
      JsonNode role = message.get("role");
      if (role == null || !role.isTextual()) {
        throw invalid(field + ".role", "is required and must be a string");
      }
      if (!ROLES.contains(role.asText())) {
        throw invalid(field + ".role", "must be one of " + String.join(", ", ROLES.stream().sorted().toList()));
      }
      JsonNode content = message.get("content");
      if (content != null && !(content.isTextual() || content.isArray() || content.isNull())) {
        throw invalid(field + ".content", "must be a string, an array of content parts or null");
      }
      JsonNode calls = message.get("tool_calls");
      if (calls != null && !calls.isNull() && !calls.isArray()) {
        throw invalid(field + ".tool_calls", "must be an array");
      }
    }
  }

  private static boolean isArrayOfStrings(JsonNode node) {
    if (!node.isArray()) {
      return false;
    }
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static void validateNumbers(ObjectNode object) {
    RequestJson.positiveInt(object, "max_tokens", "max_tokens");
    RequestJson.positiveInt(object, "max_completion_tokens", "max_completion_tokens");
    RequestJson.positiveInt(object, "n", "n");
    RequestJson.number(object, "temperature", "temperature", 0, 2);
    // Read by every translation: a wrong type would otherwise be sent on as 0, "" or nothing without a word.
    RequestJson.number(object, "top_p", "top_p", 0, 1);
    JsonNode stop = object.get("stop");
    if (stop != null && !stop.isNull() && !stop.isTextual() && !isArrayOfStrings(stop)) {
      throw invalid("stop", "must be a string or an array of strings");
    }
    JsonNode toolChoice = object.get("tool_choice");
    if (toolChoice != null && !toolChoice.isNull() && !toolChoice.isTextual() && !toolChoice.isObject()) {
      throw invalid("tool_choice", "must be a string or an object");
    }
    JsonNode tools = object.get("tools");
    if (tools != null && !tools.isNull() && !tools.isArray()) {
      throw invalid("tools", "must be an array");
    }
    JsonNode format = object.get("response_format");
    if (format != null && !format.isNull() && !format.isObject()) {
      throw invalid("response_format", "must be an object");
    }
  }
}
