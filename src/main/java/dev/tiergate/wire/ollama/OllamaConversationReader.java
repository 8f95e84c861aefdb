package dev.tiergate.wire.ollama;

import static dev.tiergate.wire.ollama.OllamaRequestReader.absent;
import static dev.tiergate.wire.ollama.OllamaRequestReader.invalid;

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

/**
 * Reads a validated Ollama chat body into a {@link Conversation}. Ollama's messages carry no tool call ids: calls get
 * {@code call_<n>} by position, and each {@code tool} message answers the first unanswered call of the latest assistant
 * message that has the same {@code tool_name} (or, without a match, the first unanswered one) — the order in which
 * parallel calls are answered.
 */
final class OllamaConversationReader {

  /** The name a JSON schema gets in formats that require one; Ollama's {@code format} has none. */
  static final String SCHEMA_NAME = "response";

  private final List<String> system = new ArrayList<>();
  private final List<Turn> turns = new ArrayList<>();
  private final List<Part.ToolCall> unanswered = new ArrayList<>();
  private int callCount;

  private OllamaConversationReader() {
  }

  static Conversation read(ObjectNode body, boolean stream) {
    OllamaConversationReader reader = new OllamaConversationReader();
    JsonNode messages = body.get("messages");
    for (int i = 0; i < messages.size(); i++) {
      reader.message(messages.get(i), "messages[" + i + "]");
    }
    if (reader.turns.isEmpty()) {
      throw invalid("messages", "must contain a message that is not a system message");
    }
    JsonNode options = body.path("options");
    return new Conversation(reader.system.isEmpty() ? null : String.join("\n\n", reader.system), reader.turns,
        tools(body.get("tools")), ToolChoice.AUTO, sampling(options), responseFormat(body.get("format")), stream);
  }

  private void message(JsonNode message, String field) {
    String content = message.path("content").asText("");
    switch (message.get("role").asText()) {
      case "system" -> {
        if (!content.isEmpty()) {
          system.add(content);
        }
      }
      case "user" -> {
        List<Part> parts = textAndImages(content, message.get("images"));
        turns.add(new Turn(Turn.Role.USER, parts.isEmpty() ? List.of(new Part.Text("")) : parts));
      }
      case "assistant" -> assistant(message, content);
      default -> toolResult(message, content, field);
    }
  }

  private void assistant(JsonNode message, String content) {
    List<Part> parts = textAndImages(content, message.get("images"));
    JsonNode calls = message.get("tool_calls");
    if (!absent(calls) && !calls.isEmpty()) {
      unanswered.clear();
      for (JsonNode call : calls) {
        Part.ToolCall toolCall = OllamaToolCalls.fromWire(call, callCount++);
        parts.add(toolCall);
        unanswered.add(toolCall);
      }
    }
    // An empty assistant message says nothing; other formats reject empty turns.
    if (!parts.isEmpty()) {
      turns.add(new Turn(Turn.Role.ASSISTANT, parts));
    }
  }

  private void toolResult(JsonNode message, String content, String field) {
    String toolName = message.path("tool_name").asText(null);
    Part.ToolCall call = answered(message.path("tool_call_id").asText(null), toolName);
    if (call == null) {
      throw invalid(field, "is a tool result, but no earlier assistant tool call is waiting for one");
    }
    unanswered.remove(call);
    // The call's own name even when tool_name differs: Gemini pairs a result with its call by name.
    Part.ToolResult result = new Part.ToolResult(call.id(), call.name(), content, false);
    // Results of one round of calls travel together, as the formats that group them (Anthropic, Gemini) need.
    int last = turns.size() - 1;
    if (last >= 0 && turns.get(last).role() == Turn.Role.TOOL) {
      List<Part> parts = new ArrayList<>(turns.get(last).parts());
      parts.add(result);
      turns.set(last, new Turn(Turn.Role.TOOL, parts));
    } else {
      turns.add(new Turn(Turn.Role.TOOL, List.of(result)));
    }
  }

  private Part.ToolCall answered(String callId, String toolName) {
    for (Part.ToolCall call : unanswered) {
      if (call.id().equals(callId)) {
        return call;
      }
    }
    for (Part.ToolCall call : unanswered) {
      if (call.name().equals(toolName)) {
        return call;
      }
    }
    return unanswered.isEmpty() ? null : unanswered.getFirst();
  }

  private static List<Part> textAndImages(String content, JsonNode images) {
    List<Part> parts = new ArrayList<>();
    if (!content.isEmpty()) {
      parts.add(new Part.Text(content));
    }
    if (!absent(images)) {
      for (JsonNode image : images) {
        parts.add(image(image.asText()));
      }
    }
    return parts;
  }

  /** Ollama's images are bare base64; the type is read from the first bytes (some clients send a data URL). */
  static Part.Image image(String value) {
    if (value.startsWith("data:")) {
      int comma = value.indexOf(',');
      int semicolon = value.indexOf(';');
      if (comma > 0 && semicolon > 5 && semicolon < comma) {
        return new Part.Image(value.substring(5, semicolon), value.substring(comma + 1), null);
      }
    }
    return new Part.Image(mediaType(value), value, null);
  }

  private static String mediaType(String base64) {
    if (base64.startsWith("/9j/")) {
      return "image/jpeg";
    }
    if (base64.startsWith("R0lGOD")) {
      return "image/gif";
    }
    if (base64.startsWith("UklGR")) {
      return "image/webp";
    }
    return "image/png";
  }

  private static List<ToolSpec> tools(JsonNode tools) {
    List<ToolSpec> specs = new ArrayList<>();
    if (absent(tools)) {
      return specs;
    }
    for (JsonNode tool : tools) {
      JsonNode function = tool.get("function");
      JsonNode parameters = function.get("parameters");
      ObjectNode schema = parameters instanceof ObjectNode object ? object
          : JsonNodeFactory.instance.objectNode().put("type", "object").set("properties",
              JsonNodeFactory.instance.objectNode());
      specs.add(new ToolSpec(function.get("name").asText(), function.path("description").asText(null), schema));
    }
    return specs;
  }

  private static Sampling sampling(JsonNode options) {
    JsonNode numPredict = options.path("num_predict");
    // num_predict -1 (no limit) and -2 (fill the context) have no equivalent elsewhere: no limit is sent.
    Integer maxTokens = numPredict.isIntegralNumber() && numPredict.asLong() > 0
        ? (int) Math.min(Integer.MAX_VALUE, numPredict.asLong()) : null;
    JsonNode temperature = options.path("temperature");
    JsonNode topP = options.path("top_p");
    List<String> stop = new ArrayList<>();
    JsonNode stops = options.path("stop");
    if (stops.isTextual()) {
      stop.add(stops.asText());
    } else {
      stops.forEach(s -> stop.add(s.asText()));
    }
    return new Sampling(maxTokens, temperature.isNumber() ? temperature.asDouble() : null,
        topP.isNumber() ? topP.asDouble() : null, stop);
  }

  private static ResponseFormat responseFormat(JsonNode format) {
    if (format instanceof ObjectNode schema) {
      return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, SCHEMA_NAME, schema);
    }
    return format != null && format.isTextual() && format.asText().equals("json")
        ? ResponseFormat.JSON_OBJECT : ResponseFormat.TEXT;
  }
}
