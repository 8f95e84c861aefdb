package dev.tiergate.wire.anthropic;

import static dev.tiergate.wire.RequestJson.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.ToolSpec;
import dev.tiergate.wire.Turn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a validated Anthropic Messages body into a {@link Conversation}, for translation to other families. Thinking
 * blocks are dropped (no other provider can check their signatures); documents, server tools and block types the
 * gateway does not know are refused with a 400, since no other family can express them.
 */
final class AnthropicConversation {

  private AnthropicConversation() {
  }

  static Conversation read(ObjectNode body, boolean stream) {
    List<Turn> turns = new ArrayList<>();
    Map<String, String> toolNames = new HashMap<>();
    JsonNode messages = body.get("messages");
    for (int i = 0; i < messages.size(); i++) {
      readMessage(messages.get(i), "messages[" + i + "]", turns, toolNames);
    }
    if (turns.isEmpty()) {
      throw invalid("messages", "holds nothing that can be translated for this model's provider");
    }
    return new Conversation(system(body.get("system")), turns, tools(body.get("tools")),
        toolChoice(body.get("tool_choice")), sampling(body), responseFormat(body), stream);
  }

  /** System text blocks are joined by a blank line, as the canonical model joins several system prompts. */
  private static String system(JsonNode system) {
    if (system == null || system.isNull()) {
      return null;
    }
    if (system.isTextual()) {
      return system.asText().isEmpty() ? null : system.asText();
    }
    List<String> texts = new ArrayList<>();
    system.forEach(block -> texts.add(block.get("text").asText()));
    String joined = String.join("\n\n", texts);
    return joined.isEmpty() ? null : joined;
  }

  /**
   * One message becomes one turn, except a user message with tool results: the results come first in a TOOL turn
   * (Anthropic puts them first; other formats need them right after the assistant's calls), the rest in a USER turn.
   */
  private static void readMessage(JsonNode message, String path, List<Turn> turns, Map<String, String> toolNames) {
    Turn.Role role = message.get("role").asText().equals("user") ? Turn.Role.USER : Turn.Role.ASSISTANT;
    JsonNode content = message.get("content");
    if (content.isTextual()) {
      turns.add(new Turn(role, List.of(new Part.Text(content.asText()))));
      return;
    }
    List<Part> results = new ArrayList<>();
    List<Part> parts = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockPath = path + ".content[" + j + "]";
      switch (block.get("type").asText()) {
        case "text" -> {
          if (!block.get("text").asText().isEmpty()) {
            parts.add(new Part.Text(block.get("text").asText()));
          }
        }
        case "image" -> parts.add(image(block.get("source"), blockPath));
        case "tool_use" -> {
          String id = block.get("id").asText();
          String name = block.get("name").asText();
          toolNames.put(id, name);
          JsonNode input = block.get("input");
          parts.add(new Part.ToolCall(id, name, input == null || input.isNull() ? "{}" : input.toString()));
        }
        case "tool_result" -> {
          String id = block.get("tool_use_id").asText();
          results.add(new Part.ToolResult(id, toolNames.get(id), toolResultText(block.get("content"), blockPath),
              block.path("is_error").asBoolean(false)));
        }
        case "thinking", "redacted_thinking" -> {
        }
        default -> throw invalid(blockPath + ".type", "'" + block.get("type").asText() + "' cannot be translated for"
            + " this model's provider; use text, image, tool_use or tool_result blocks");
      }
    }
    if (!results.isEmpty()) {
      turns.add(new Turn(Turn.Role.TOOL, results));
    }
    if (!parts.isEmpty()) {
      turns.add(new Turn(role, parts));
    }
  }

  private static Part.Image image(JsonNode source, String path) {
    return switch (source.get("type").asText()) {
      case "base64" -> new Part.Image(source.get("media_type").asText(), source.get("data").asText(), null);
      case "url" -> new Part.Image(null, null, source.get("url").asText());
      default -> throw invalid(path + ".source.type", "'" + source.get("type").asText() + "' cannot be translated"
          + " for this model's provider; use a base64 or url image source");
    };
  }

  /** A tool result's text: the string, or its text blocks joined by newlines. */
  private static String toolResultText(JsonNode content, String path) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      if (!block.get("type").asText().equals("text")) {
        throw invalid(path + ".content[" + i + "].type", "'" + block.get("type").asText() + "' inside a tool result"
            + " cannot be translated for this model's provider; only text can");
      }
      texts.add(block.get("text").asText());
    }
    return String.join("\n", texts);
  }

  private static List<ToolSpec> tools(JsonNode tools) {
    List<ToolSpec> specs = new ArrayList<>();
    if (tools == null || tools.isNull()) {
      return specs;
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("custom");
      if (!type.equals("custom")) {
        throw invalid("tools[" + i + "].type", "'" + type + "' is an Anthropic server tool and cannot be translated"
            + " for this model's provider");
      }
      specs.add(new ToolSpec(tool.get("name").asText(), tool.path("description").asText(null),
          (ObjectNode) tool.get("input_schema")));
    }
    return specs;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return ToolChoice.AUTO;
    }
    return switch (choice.get("type").asText()) {
      case "any" -> new ToolChoice(ToolChoice.Mode.ANY, null);
      case "tool" -> new ToolChoice(ToolChoice.Mode.TOOL, choice.get("name").asText());
      case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null);
      default -> ToolChoice.AUTO;
    };
  }

  /** Anthropic's temperature (0..1) is kept as it is: it lies within the canonical 0..2 range. */
  private static Sampling sampling(ObjectNode body) {
    List<String> stop = new ArrayList<>();
    JsonNode stops = body.get("stop_sequences");
    if (stops != null && stops.isArray()) {
      stops.forEach(s -> stop.add(s.asText()));
    }
    return new Sampling(body.hasNonNull("max_tokens") ? body.get("max_tokens").intValue() : null,
        body.hasNonNull("temperature") ? body.get("temperature").asDouble() : null,
        body.hasNonNull("top_p") ? body.get("top_p").asDouble() : null, stop);
  }

  /**
   * Structured outputs: {@code output_config.format} (current) or {@code output_format} (the beta's name), both
   * {@code {"type":"json_schema","schema":{…}}}. Anthropic schemas have no name; "response" stands in for formats
   * that need one.
   */
  private static ResponseFormat responseFormat(ObjectNode body) {
    String path = "output_config.format";
    JsonNode format = body.path("output_config").get("format");
    if (format == null || format.isNull()) {
      path = "output_format";
      format = body.get("output_format");
    }
    if (format == null || format.isNull() || !"json_schema".equals(format.path("type").asText())) {
      return ResponseFormat.TEXT;
    }
    if (!(format.get("schema") instanceof ObjectNode schema)) {
      throw invalid(path + ".schema", "is required and must be an object");
    }
    return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "response", schema);
  }
}
