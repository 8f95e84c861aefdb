package dev.tiergate.wire.ollama;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.ToolSpec;
import dev.tiergate.wire.Turn;

/**
 * Writes a {@link Conversation} as an Ollama {@code POST /api/chat} body. Ollama has no tool choice: NONE sends no
 * tools, TOOL sends only the named one, ANY cannot be forced and is sent as AUTO. It has no tool error flag either: a
 * failed tool's result is prefixed with {@code Error: }.
 */
public final class OllamaRequestWriter {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OllamaRequestWriter() {
  }

  /**
   * The body for {@code model}.
   *
   * @throws GatewayException (400) for what Ollama cannot take: image URLs, tool call arguments that are not a JSON
   *                          object
   */
  public static ObjectNode write(Conversation conversation, String model) {
    ObjectNode body = JSON.objectNode();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    if (conversation.system() != null) {
      messages.addObject().put("role", "system").put("content", conversation.system());
    }
    for (Turn turn : conversation.turns()) {
      if (turn.role() == Turn.Role.TOOL) {
        toolResults(conversation, turn, messages);
      } else {
        message(turn, messages.addObject());
      }
    }
    ArrayNode tools = tools(conversation);
    if (!tools.isEmpty()) {
      body.set("tools", tools);
    }
    body.put("stream", conversation.stream());
    ResponseFormat format = conversation.responseFormat();
    if (format.kind() == ResponseFormat.Kind.JSON_OBJECT) {
      body.put("format", "json");
    } else if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA) {
      body.set("format", format.schema());
    }
    ObjectNode options = options(conversation.sampling());
    if (!options.isEmpty()) {
      body.set("options", options);
    }
    return body;
  }

  private static void message(Turn turn, ObjectNode message) {
    message.put("role", turn.role() == Turn.Role.ASSISTANT ? "assistant" : "user").put("content", turn.text());
    ArrayNode images = JSON.arrayNode();
    ArrayNode calls = JSON.arrayNode();
    for (Part part : turn.parts()) {
      if (part instanceof Part.Image image) {
        if (image.data() == null) {
          throw GatewayException.badRequest("invalid_request",
              "Ollama takes only inline (base64) images; an image URL cannot be sent to it");
        }
        images.add(image.data());
      } else if (part instanceof Part.ToolCall call) {
        ObjectNode arguments = OllamaToolCalls.argumentsObject(call.arguments());
        if (arguments == null) {
          throw GatewayException.badRequest("invalid_request",
              "The arguments of tool call '" + call.id() + "' are not a JSON object, which Ollama requires");
        }
        calls.add(OllamaToolCalls.toWire(call.name(), arguments));
      }
    }
    if (!images.isEmpty()) {
      message.set("images", images);
    }
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
  }

  private static void toolResults(Conversation conversation, Turn turn, ArrayNode messages) {
    for (Part part : turn.parts()) {
      if (part instanceof Part.ToolResult result) {
        ObjectNode message = messages.addObject().put("role", "tool")
            .put("content", result.error() ? "Error: " + result.content() : result.content());
        String name = result.name() != null ? result.name() : conversation.toolNameOf(result.callId());
        if (name != null) {
          message.put("tool_name", name);
        }
      }
    }
    String text = turn.text();
    if (!text.isEmpty()) {
      messages.addObject().put("role", "user").put("content", text);
    }
  }

  private static ArrayNode tools(Conversation conversation) {
    ArrayNode tools = JSON.arrayNode();
    ToolChoice choice = conversation.toolChoice();
    if (choice.mode() == ToolChoice.Mode.NONE) {
      return tools;
    }
    for (ToolSpec spec : conversation.tools()) {
      if (choice.mode() == ToolChoice.Mode.TOOL && !spec.name().equals(choice.name())) {
        continue;
      }
      ObjectNode function = tools.addObject().put("type", "function").putObject("function");
      function.put("name", spec.name());
      if (spec.description() != null) {
        function.put("description", spec.description());
      }
      function.set("parameters", spec.parameters());
    }
    return tools;
  }

  private static ObjectNode options(Sampling sampling) {
    ObjectNode options = JSON.objectNode();
    if (sampling.maxTokens() != null) {
      options.put("num_predict", sampling.maxTokens());
    }
    if (sampling.temperature() != null) {
      options.put("temperature", sampling.temperature());
    }
    if (sampling.topP() != null) {
      options.put("top_p", sampling.topP());
    }
    if (!sampling.stop().isEmpty()) {
      ArrayNode stop = options.putArray("stop");
      sampling.stop().forEach(stop::add);
    }
    return options;
  }
}
