package dev.tiergate.wire.anthropic;

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
 * Reads and validates an Anthropic Messages request body; every problem is a 400 naming the field. {@code model} and
 * {@code max_tokens} may be left out (the gateway routes and defaults them). Block types the gateway does not know are
 * accepted here, so that they reach Anthropic unchanged; they are refused only when a translation needs the
 * {@link dev.tiergate.wire.Conversation} ({@link AnthropicConversation}).
 */
public final class AnthropicRequestReader {

  private static final Set<String> ROLES = Set.of("user", "assistant");
  private static final Set<String> TOOL_CHOICES = Set.of("auto", "any", "tool", "none");

  private AnthropicRequestReader() {
  }

  public static ChatRequest parse(Buffer body) {
    ObjectNode object = RequestJson.readObject(body);
    String model = optionalString(object, "model", "model");
    boolean stream = optionalBoolean(object, "stream", "stream", false);
    RequestJson.positiveInt(object, "max_tokens", "max_tokens");
    RequestJson.number(object, "temperature", "temperature", 0, 1);
    RequestJson.number(object, "top_p", "top_p", 0, 1);
    validateSystem(object.get("system"));
    validateMessages(object.get("messages"));
    validateStopSequences(object.get("stop_sequences"));
    validateTools(object.get("tools"));
    validateToolChoice(object.get("tool_choice"));
    String user = null;
    JsonNode metadata = object.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        throw invalid("metadata", "must be an object");
      }
      user = optionalString(metadata, "user_id", "metadata.user_id");
    }
    // Anthropic always reports usage in its streams, so every Anthropic client "wants" it.
    return new ChatRequest(ClientFormat.ANTHROPIC, object, model, stream, true, user,
        new Lazy<>(() -> AnthropicConversation.read(object, stream)));
  }

  private static void validateSystem(JsonNode system) {
    if (system == null || system.isNull() || system.isTextual()) {
      return;
    }
    if (!system.isArray()) {
      throw invalid("system", "must be a string or an array of text blocks");
    }
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      if (!block.isObject() || !"text".equals(block.path("type").asText()) || !block.path("text").isTextual()) {
        throw invalid("system[" + i + "]", "must be a text block with a 'text' string");
      }
    }
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
      String path = "messages[" + i + "]";
      if (!message.isObject()) {
        throw invalid(path, "must be an object");
      }
      JsonNode role = message.get("role");
      if (role == null || !role.isTextual()) {
        throw invalid(path + ".role", "is required and must be a string");
      }
      if (!ROLES.contains(role.asText())) {
        throw invalid(path + ".role", "must be one of assistant, user");
      }
      JsonNode content = message.get("content");
      if (content == null || !(content.isTextual() || content.isArray())) {
        throw invalid(path + ".content", "is required and must be a string or an array of content blocks");
      }
      for (int j = 0; j < content.size(); j++) {
        validateBlock(content.get(j), role.asText(), path + ".content[" + j + "]");
      }
    }
  }

  private static void validateBlock(JsonNode block, String role, String path) {
    if (!block.isObject() || !block.path("type").isTextual()) {
      throw invalid(path, "must be an object with a 'type' string");
    }
    switch (block.get("type").asText()) {
      case "text" -> requireString(block, "text", path);
      case "image", "document" -> validateSource(block.get("source"), path + ".source");
      case "tool_use" -> {
        if (!role.equals("assistant")) {
          throw invalid(path, "tool_use blocks may only appear in assistant messages");
        }
        requireString(block, "id", path);
        requireString(block, "name", path);
        JsonNode input = block.get("input");
        if (input != null && !input.isNull() && !input.isObject()) {
          throw invalid(path + ".input", "must be an object");
        }
      }
      case "tool_result" -> {
        if (!role.equals("user")) {
          throw invalid(path, "tool_result blocks may only appear in user messages");
        }
        requireString(block, "tool_use_id", path);
        optionalBoolean(block, "is_error", path + ".is_error", false);
        validateToolResultContent(block.get("content"), path + ".content");
      }
      default -> {
        // thinking, redacted_thinking and newer block types: passed through, dropped or refused on translation.
      }
    }
  }

  private static void validateSource(JsonNode source, String path) {
    if (source == null || !source.isObject() || !source.path("type").isTextual()) {
      throw invalid(path, "is required and must be an object with a 'type' string");
    }
    switch (source.get("type").asText()) {
      case "base64" -> {
        requireString(source, "media_type", path);
        requireString(source, "data", path);
      }
      case "url" -> requireString(source, "url", path);
      default -> {
        // file, text and content sources reach Anthropic as they are.
      }
    }
  }

  private static void validateToolResultContent(JsonNode content, String path) {
    if (content == null || content.isNull() || content.isTextual()) {
      return;
    }
    if (!content.isArray()) {
      throw invalid(path, "must be a string or an array of content blocks");
    }
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      String blockPath = path + "[" + i + "]";
      if (!block.isObject() || !block.path("type").isTextual()) {
        throw invalid(blockPath, "must be an object with a 'type' string");
      }
      if (block.get("type").asText().equals("text")) {
        requireString(block, "text", blockPath);
      }
    }
  }

  private static void validateStopSequences(JsonNode stops) {
    if (stops == null || stops.isNull()) {
      return;
    }
    if (!stops.isArray()) {
      throw invalid("stop_sequences", "must be an array of strings");
    }
    for (int i = 0; i < stops.size(); i++) {
      if (!stops.get(i).isTextual()) {
        throw invalid("stop_sequences[" + i + "]", "must be a string");
      }
    }
  }

  private static void validateTools(JsonNode tools) {
    if (tools == null || tools.isNull()) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("tools", "must be an array");
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String path = "tools[" + i + "]";
      if (!tool.isObject()) {
        throw invalid(path, "must be an object");
      }
      requireString(tool, "name", path);
      optionalString(tool, "description", path + ".description");
      String type = optionalString(tool, "type", path + ".type");
      // Server tools (web search, code execution, …) carry a versioned type and no input schema.
      if ((type == null || type.equals("custom")) && !tool.path("input_schema").isObject()) {
        throw invalid(path + ".input_schema", "is required and must be an object");
      }
    }
  }

  private static void validateToolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return;
    }
    if (!choice.isObject()) {
      throw invalid("tool_choice", "must be an object");
    }
    String type = optionalString(choice, "type", "tool_choice.type");
    if (type == null || !TOOL_CHOICES.contains(type)) {
      throw invalid("tool_choice.type", "must be one of any, auto, none, tool");
    }
    if (type.equals("tool")) {
      requireString(choice, "name", "tool_choice");
    }
  }

  private static void requireString(JsonNode object, String field, String path) {
    if (!object.path(field).isTextual()) {
      throw invalid(path + "." + field, "is required and must be a string");
    }
  }
}
