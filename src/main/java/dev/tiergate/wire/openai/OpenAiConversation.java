package dev.tiergate.wire.openai;

import static dev.tiergate.wire.RequestJson.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.ToolSpec;
import dev.tiergate.wire.Turn;
import java.util.ArrayList;
import java.util.List;

/** Reads a validated OpenAI Chat Completions body into a {@link Conversation}, for translation to other families. */
final class OpenAiConversation {

  private OpenAiConversation() {
  }

  static Conversation read(ObjectNode body, boolean stream) {
    if (body.path("n").asInt(1) > 1) {
      throw invalid("n", "greater than 1 is only supported when an OpenAI-compatible provider serves the request");
    }
    List<String> system = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    JsonNode messages = body.get("messages");
    for (int i = 0; i < messages.size(); i++) {
      readMessage(messages.get(i), "messages[" + i + "]", system, turns);
    }
    if (turns.isEmpty()) {
      throw invalid("messages", "must contain at least one message besides system messages");
    }
    return new Conversation(system.isEmpty() ? null : String.join("\n\n", system), turns, tools(body),
        toolChoice(body.get("tool_choice")), sampling(body), responseFormat(body.get("response_format")), stream);
  }

  private static void readMessage(JsonNode message, String path, List<String> system, List<Turn> turns) {
    String role = message.get("role").asText();
    JsonNode content = message.get("content");
    switch (role) {
      case "system", "developer" -> system.add(text(content, path + ".content"));
      case "user" -> turns.add(new Turn(Turn.Role.USER, userParts(content, path + ".content")));
      case "assistant" -> turns.add(new Turn(Turn.Role.ASSISTANT, assistantParts(message, path)));
      default -> addToolResult(message, role, path, turns);
    }
  }

  private static void addToolResult(JsonNode message, String role, String path, List<Turn> turns) {
    String callId = role.equals("tool") ? message.path("tool_call_id").asText(null) : message.path("name").asText(null);
    if (callId == null) {
      throw invalid(path + (role.equals("tool") ? ".tool_call_id" : ".name"), "is required");
    }
    String name = role.equals("function") ? callId : null;
    Part.ToolResult result = new Part.ToolResult(callId, name, text(message.get("content"), path + ".content"), false);
    // Consecutive results answer one assistant turn: keep them together, as every other format does.
    if (!turns.isEmpty() && turns.getLast().role() == Turn.Role.TOOL) {
      List<Part> parts = new ArrayList<>(turns.getLast().parts());
      parts.add(result);
      turns.set(turns.size() - 1, new Turn(Turn.Role.TOOL, parts));
    } else {
      turns.add(new Turn(Turn.Role.TOOL, List.of(result)));
    }
  }

  private static List<Part> userParts(JsonNode content, String path) {
    if (content == null || content.isNull() || content.isTextual()) {
      return List.of(new Part.Text(content == null || content.isNull() ? "" : content.asText()));
    }
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String partPath = path + "[" + i + "]";
      switch (part.path("type").asText()) {
        case "text" -> parts.add(new Part.Text(part.path("text").asText("")));
        case "image_url" -> parts.add(image(part.path("image_url").path("url").asText(null), partPath));
        default -> throw invalid(partPath + ".type", "'" + part.path("type").asText() + "' cannot be translated for"
            + " this model's provider; use text or image_url parts");
      }
    }
    return parts;
  }

  private static Part.Image image(String url, String path) {
    if (url == null) {
      throw invalid(path + ".image_url.url", "is required");
    }
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      int semi = url.indexOf(';');
      if (comma < 0 || semi < 0 || semi > comma || !url.substring(semi, comma).equals(";base64")) {
        throw invalid(path + ".image_url.url", "must be an http(s) URL or a base64 data URL");
      }
      return new Part.Image(url.substring(5, semi), url.substring(comma + 1), null);
    }
    return new Part.Image(null, null, url);
  }

  private static List<Part> assistantParts(JsonNode message, String path) {
    List<Part> parts = new ArrayList<>();
    JsonNode content = message.get("content");
    if (content != null && !content.isNull()) {
      String text = text(content, path + ".content");
      if (!text.isEmpty()) {
        parts.add(new Part.Text(text));
      }
    }
    JsonNode calls = message.get("tool_calls");
    if (calls != null && calls.isArray()) {
      for (int i = 0; i < calls.size(); i++) {
        JsonNode call = calls.get(i);
        JsonNode function = call.path("function");
        if (!function.path("name").isTextual()) {
          throw invalid(path + ".tool_calls[" + i + "].function.name", "is required");
        }
        parts.add(new Part.ToolCall(call.path("id").asText("call_" + i), function.get("name").asText(),
            function.path("arguments").asText("{}")));
      }
    }
    JsonNode legacy = message.get("function_call");
    if (legacy != null && legacy.isObject() && legacy.path("name").isTextual()) {
      String name = legacy.get("name").asText();
      parts.add(new Part.ToolCall(name, name, legacy.path("arguments").asText("{}")));
    }
    return parts;
  }

  /** The text of a string or an array of text parts. */
  private static String text(JsonNode content, String path) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      if (!part.path("type").asText().equals("text")) {
        throw invalid(path + "[" + i + "].type", "must be 'text' in this message");
      }
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }

  private static List<ToolSpec> tools(ObjectNode body) {
    JsonNode tools = body.get("tools");
    List<ToolSpec> specs = new ArrayList<>();
    if (tools == null || tools.isNull()) {
      return specs;
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode function = tools.get(i).path("function");
      if (!function.path("name").isTextual()) {
        throw invalid("tools[" + i + "].function.name", "is required");
      }
      JsonNode parameters = function.get("parameters");
      ObjectNode schema = parameters instanceof ObjectNode object ? object
          : JsonNodeFactory.instance.objectNode().put("type", "object").set("properties",
              JsonNodeFactory.instance.objectNode());
      specs.add(new ToolSpec(function.get("name").asText(), function.path("description").asText(null), schema));
    }
    return specs;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return ToolChoice.AUTO;
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null);
        case "required" -> new ToolChoice(ToolChoice.Mode.ANY, null);
        case "auto" -> ToolChoice.AUTO;
        default -> throw invalid("tool_choice", "must be none, auto, required or a function");
      };
    }
    String name = choice.path("function").path("name").asText(null);
    if (name == null) {
      throw invalid("tool_choice.function.name", "is required");
    }
    return new ToolChoice(ToolChoice.Mode.TOOL, name);
  }

  private static Sampling sampling(ObjectNode body) {
    JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens")
        : body.get("max_tokens");
    List<String> stop = new ArrayList<>();
    JsonNode stopNode = body.get("stop");
    if (stopNode != null && stopNode.isTextual()) {
      stop.add(stopNode.asText());
    } else if (stopNode != null && stopNode.isArray()) {
      stopNode.forEach(s -> stop.add(s.asText()));
    }
    return new Sampling(max == null || max.isNull() ? null : max.intValue(),
        body.hasNonNull("temperature") ? body.get("temperature").asDouble() : null,
        body.hasNonNull("top_p") ? body.get("top_p").asDouble() : null, stop);
  }

  private static ResponseFormat responseFormat(JsonNode format) {
    if (format == null || format.isNull()) {
      return ResponseFormat.TEXT;
    }
    return switch (format.path("type").asText("text")) {
      case "json_object" -> ResponseFormat.JSON_OBJECT;
      case "json_schema" -> {
        JsonNode schema = format.path("json_schema").get("schema");
        if (!(schema instanceof ObjectNode object)) {
          throw invalid("response_format.json_schema.schema", "is required and must be an object");
        }
        yield new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA,
            format.path("json_schema").path("name").asText("response"), object);
      }
      default -> ResponseFormat.TEXT;
    };
  }
}
