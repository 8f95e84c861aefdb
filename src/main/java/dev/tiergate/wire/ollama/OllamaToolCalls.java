package dev.tiergate.wire.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.Part;
import java.io.IOException;

/**
 * Ollama's tool calls: {@code {"function":{"name","arguments":{…}}}}, the arguments a JSON object rather than the JSON
 * text other formats carry, and no call id in the documented format (newer servers add one; it is used when present).
 */
final class OllamaToolCalls {

  private OllamaToolCalls() {
  }

  /** The id of the {@code index}-th call when the wire gives none: stable, so a replayed conversation matches. */
  static String generatedId(int index) {
    return "call_" + index;
  }

  /** {@code arguments} parsed as a JSON object, or null when it is not one. */
  static ObjectNode argumentsObject(String arguments) {
    try {
      JsonNode node = JsonSupport.MAPPER.readTree(arguments);
      return node instanceof ObjectNode object ? object : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** One call in Ollama's shape. */
  static ObjectNode toWire(String name, ObjectNode arguments) {
    ObjectNode call = JsonNodeFactory.instance.objectNode();
    call.putObject("function").put("name", name).set("arguments", arguments);
    return call;
  }

  /**
   * Reads one call of an answer ({@code message.tool_calls[i]}).
   *
   * @param index the call's position among the answer's calls, for the generated id
   * @return the call, or null when it has no function name
   */
  static Part.ToolCall fromWire(JsonNode call, int index) {
    JsonNode function = call.path("function");
    JsonNode name = function.path("name");
    if (!name.isTextual() || name.asText().isEmpty()) {
      return null;
    }
    JsonNode id = call.path("id");
    String callId = id.isTextual() && !id.asText().isBlank() ? id.asText() : generatedId(index);
    return new Part.ToolCall(callId, name.asText(), argumentsText(function.get("arguments")));
  }

  /** Arguments as JSON text: an object is serialized, a string (not Ollama's shape, but seen) is taken as is. */
  static String argumentsText(JsonNode arguments) {
    if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
      return "{}";
    }
    return arguments.isTextual() ? arguments.asText() : arguments.toString();
  }
}
