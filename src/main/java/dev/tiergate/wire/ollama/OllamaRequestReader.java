package dev.tiergate.wire.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientFormat;
import dev.tiergate.wire.Lazy;
import dev.tiergate.wire.RequestJson;
import io.vertx.core.buffer.Buffer;
import java.util.Set;

/**
 * Reads and validates an Ollama {@code POST /api/chat} body; every problem is a 400 naming the field. Only the shape
 * is checked here; the {@link dev.tiergate.wire.Conversation} is read on first use by {@link OllamaConversationReader}.
 * Fields the gateway does not translate ({@code keep_alive}, {@code think}, most {@code options}) pass through to an
 * Ollama upstream untouched.
 */
final class OllamaRequestReader {

  private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  private OllamaRequestReader() {
  }

  static ChatRequest parse(Buffer body) {
    ObjectNode root = RequestJson.readObject(body);
    String model = optionalString(root, "model");
    // Ollama streams unless told not to.
    boolean stream = optionalBoolean(root, "stream", true);
    validateMessages(root.get("messages"));
    validateFormat(root.get("format"));
    validateOptions(root.get("options"));
    validateTools(root.get("tools"));
    return new ChatRequest(ClientFormat.OLLAMA, root, model, stream, true, null,
        new Lazy<>(() -> OllamaConversationReader.read(root, stream)));
  }

  private static void validateMessages(JsonNode messages) {
    if (absent(messages)) {
      throw invalid("messages", "is required");
    }
    if (!messages.isArray()) {
      throw invalid("messages", "must be an array");
    }
    // Ollama answers an empty list by loading the model; the gateway has nothing to route or relay for that.
    if (messages.isEmpty()) {
      throw invalid("messages", "must contain at least one message");
    }
    for (int i = 0; i < messages.size(); i++) {
      validateMessage(messages.get(i), "messages[" + i + "]");
    }
  }

  private static void validateMessage(JsonNode message, String field) {
    if (!message.isObject()) {
      throw invalid(field, "must be an object");
    }
    JsonNode role = message.get("role");
    if (role == null || !role.isTextual()) {
      throw invalid(field + ".role", "is required and must be a string");
    }
    if (!ROLES.contains(role.asText())) {
      throw invalid(field + ".role", "must be one of assistant, system, tool, user");
    }
    optionalString(message, "content", field + ".content");
    optionalString(message, "tool_name", field + ".tool_name");
    optionalString(message, "tool_call_id", field + ".tool_call_id");
    JsonNode images = message.get("images");
    if (!absent(images)) {
      if (!images.isArray()) {
        throw invalid(field + ".images", "must be an array of base64 strings");
      }
      for (int i = 0; i < images.size(); i++) {
        if (!images.get(i).isTextual()) {
          throw invalid(field + ".images[" + i + "]", "must be a base64 string");
        }
      }
    }
    JsonNode calls = message.get("tool_calls");
    if (!absent(calls)) {
      if (!calls.isArray()) {
        throw invalid(field + ".tool_calls", "must be an array");
      }
      for (int i = 0; i < calls.size(); i++) {
        validateToolCall(calls.get(i), field + ".tool_calls[" + i + "]");
      }
    }
  }

  private static void validateToolCall(JsonNode call, String field) {
    JsonNode function = call.get("function");
    if (!call.isObject() || function == null || !function.isObject()) {
      throw invalid(field + ".function", "is required and must be an object");
    }
    JsonNode name = function.get("name");
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw invalid(field + ".function.name", "is required and must be a non-empty string");
    }
    JsonNode arguments = function.get("arguments");
    if (!absent(arguments) && !arguments.isObject()) {
      throw invalid(field + ".function.arguments", "must be an object");
    }
    optionalString(call, "id", field + ".id");
  }

  private static void validateFormat(JsonNode format) {
    if (absent(format) || format.isObject()) {
      return;
    }
    if (!format.isTextual() || !(format.asText().isEmpty() || format.asText().equals("json"))) {
      throw invalid("format", "must be \"json\" or a JSON schema object");
    }
  }

  private static void validateOptions(JsonNode options) {
    if (absent(options)) {
      return;
    }
    if (!options.isObject()) {
      throw invalid("options", "must be an object");
    }
    integer(options, "num_predict");
    integer(options, "seed");
    JsonNode temperature = options.get("temperature");
    if (!absent(temperature) && (!temperature.isNumber() || temperature.asDouble() < 0)) {
      throw invalid("options.temperature", "must be a number of at least 0");
    }
    JsonNode topP = options.get("top_p");
    if (!absent(topP) && (!topP.isNumber() || topP.asDouble() < 0 || topP.asDouble() > 1)) {
      throw invalid("options.top_p", "must be a number between 0 and 1");
    }
    JsonNode stop = options.get("stop");
    if (!absent(stop) && !stop.isTextual()) {
      boolean strings = stop.isArray();
      for (int i = 0; strings && i < stop.size(); i++) {
        strings = stop.get(i).isTextual();
      }
      if (!strings) {
        throw invalid("options.stop", "must be a string or an array of strings");
      }
    }
  }

  private static void validateTools(JsonNode tools) {
    if (absent(tools)) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("tools", "must be an array");
    }
    for (int i = 0; i < tools.size(); i++) {
      String field = "tools[" + i + "]";
      JsonNode function = tools.get(i).get("function");
      if (function == null || !function.isObject()) {
        throw invalid(field + ".function", "is required and must be an object");
      }
      JsonNode name = function.get("name");
      if (name == null || !name.isTextual() || name.asText().isEmpty()) {
        throw invalid(field + ".function.name", "is required and must be a non-empty string");
      }
      optionalString(function, "description", field + ".function.description");
      JsonNode parameters = function.get("parameters");
      if (!absent(parameters) && !parameters.isObject()) {
        throw invalid(field + ".function.parameters", "must be an object");
      }
    }
  }

  private static void integer(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (!absent(value) && !value.isIntegralNumber()) {
      throw invalid("options." + field, "must be an integer");
    }
  }

  private static String optionalString(JsonNode object, String field) {
    return optionalString(object, field, field);
  }

  private static String optionalString(JsonNode object, String field, String shownAs) {
    JsonNode value = object.get(field);
    if (absent(value)) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(shownAs, "must be a string");
    }
    return value.asText();
  }

  private static boolean optionalBoolean(ObjectNode object, String field, boolean absentMeans) {
    JsonNode value = object.get(field);
    if (absent(value)) {
      return absentMeans;
    }
    if (!value.isBoolean()) {
      throw invalid(field, "must be a boolean");
    }
    return value.booleanValue();
  }

  static boolean absent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  static GatewayException invalid(String field, String problem) {
    return GatewayException.badRequest("invalid_request", "'" + field + "' " + problem);
  }
}
