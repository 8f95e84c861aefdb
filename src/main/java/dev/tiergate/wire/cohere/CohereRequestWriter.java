package dev.tiergate.wire.cohere;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;

/** Writes a {@link Conversation} as a Cohere Chat API v2 ({@code POST /v2/chat}) request body. */
public final class CohereRequestWriter {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private CohereRequestWriter() {
  }

  /**
   * @param model the provider's name for the model
   * @throws GatewayException (400) when the tool choice names a tool the request does not define
   */
  public static ObjectNode write(Conversation conversation, String model) {
    ObjectNode body = JSON.objectNode().put("model", model);
    ArrayNode messages = body.putArray("messages");
    if (conversation.system() != null && !conversation.system().isEmpty()) {
      messages.addObject().put("role", "system").put("content", conversation.system());
    }
    for (Turn turn : conversation.turns()) {
      writeTurn(turn, messages);
    }
    writeTools(conversation.tools(), conversation.toolChoice(), body);
    writeSampling(conversation.sampling(), body);
    writeFormat(conversation.responseFormat(), body);
    body.put("stream", conversation.stream());
    return body;
  }

  private static void writeTurn(Turn turn, ArrayNode messages) {
    switch (turn.role()) {
      case USER -> messages.addObject().put("role", "user").set("content", userContent(turn));
      case ASSISTANT -> writeAssistant(turn, messages);
      case TOOL -> {
        for (Part part : turn.parts()) {
          if (part instanceof Part.ToolResult result) {
            messages.addObject().put("role", "tool").put("tool_call_id", result.callId())
                .put("content", result.content());
          }
        }
      }
    }
  }

  private static JsonNode userContent(Turn turn) {
    if (turn.parts().stream().noneMatch(Part.Image.class::isInstance)) {
      return JSON.textNode(turn.text());
    }
    ArrayNode parts = JSON.arrayNode();
    for (Part part : turn.parts()) {
      if (part instanceof Part.Text text) {
        parts.addObject().put("type", "text").put("text", text.text());
      } else if (part instanceof Part.Image image) {
        String url = image.url() != null ? image.url() : "data:" + image.mediaType() + ";base64," + image.data();
        parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
      }
    }
    return parts;
  }

  /** Cohere keeps the text that comes with tool calls apart, as the call's {@code tool_plan}. */
  private static void writeAssistant(Turn turn, ArrayNode messages) {
    String text = turn.text();
    List<Part.ToolCall> calls = turn.parts().stream()
        .filter(Part.ToolCall.class::isInstance).map(Part.ToolCall.class::cast).toList();
    if (calls.isEmpty() && text.isEmpty()) {
      return;
    }
    ObjectNode message = messages.addObject().put("role", "assistant");
    if (calls.isEmpty()) {
      message.put("content", text);
      return;
    }
    if (!text.isEmpty()) {
      message.put("tool_plan", text);
    }
    ArrayNode array = message.putArray("tool_calls");
    for (Part.ToolCall call : calls) {
      array.addObject().put("id", call.id()).put("type", "function").putObject("function")
          .put("name", call.name()).put("arguments", call.arguments());
    }
  }

  private static void writeTools(List<ToolSpec> tools, ToolChoice choice, ObjectNode body) {
    if (tools.isEmpty()) {
      return;
    }
    // Cohere has no "this tool" choice: forcing one tool means offering only that one and requiring a call.
    List<ToolSpec> offered = tools;
    if (choice.mode() == ToolChoice.Mode.TOOL) {
      offered = tools.stream().filter(tool -> tool.name().equals(choice.name())).toList();
      if (offered.isEmpty()) {
        throw GatewayException.badRequest("invalid_request",
            "'tool_choice' names the tool '" + choice.name() + "', which the request does not define");
      }
    }
    ArrayNode array = body.putArray("tools");
    for (ToolSpec spec : offered) {
      ObjectNode function = array.addObject().put("type", "function").putObject("function").put("name", spec.name());
      if (spec.description() != null) {
        function.put("description", spec.description());
      }
      function.set("parameters", spec.parameters());
    }
    switch (choice.mode()) {
      case AUTO -> {
      }
      case NONE -> body.put("tool_choice", "NONE");
      case ANY, TOOL -> body.put("tool_choice", "REQUIRED");
    }
  }

  private static void writeSampling(Sampling sampling, ObjectNode body) {
    if (sampling.maxTokens() != null) {
      body.put("max_tokens", sampling.maxTokens());
    }
    if (sampling.temperature() != null) {
      // Cohere's temperature runs 0..1; higher OpenAI-scale values are clamped, not rescaled.
      body.put("temperature", Math.clamp(sampling.temperature(), 0.0, 1.0));
    }
    if (sampling.topP() != null) {
      // Cohere accepts p in 0.01..0.99 and rejects the common top_p of 1.0.
      body.put("p", Math.clamp(sampling.topP(), 0.01, 0.99));
    }
    if (!sampling.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      sampling.stop().forEach(stop::add);
    }
  }

  private static void writeFormat(ResponseFormat format, ObjectNode body) {
    switch (format.kind()) {
      case TEXT -> {
      }
      case JSON_OBJECT -> body.putObject("response_format").put("type", "json_object");
      case JSON_SCHEMA -> body.putObject("response_format").put("type", "json_object")
          .set("json_schema", format.schema());
    }
  }
}
