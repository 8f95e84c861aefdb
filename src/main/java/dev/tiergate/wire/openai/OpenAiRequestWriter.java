package dev.tiergate.wire.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.ToolSpec;
import dev.tiergate.wire.Turn;

/** Writes a {@link Conversation} as an OpenAI Chat Completions request body. */
public final class OpenAiRequestWriter {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OpenAiRequestWriter() {
  }

  /**
   * @param model        the provider's name for the model
   * @param askForUsage  whether to ask for the usage chunk at the end of a stream (the provider accepts it)
   */
  public static ObjectNode write(Conversation conversation, String model, boolean askForUsage) {
    ObjectNode body = JSON.objectNode().put("model", model);
    ArrayNode messages = body.putArray("messages");
    if (conversation.system() != null) {
      messages.addObject().put("role", "system").put("content", conversation.system());
    }
    for (Turn turn : conversation.turns()) {
      writeTurn(turn, messages);
    }
    writeTools(conversation, body);
    writeSampling(conversation.sampling(), body);
    writeFormat(conversation.responseFormat(), body);
    body.put("stream", conversation.stream());
    if (conversation.stream() && askForUsage) {
      body.putObject("stream_options").put("include_usage", true);
    }
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

  private static com.fasterxml.jackson.databind.JsonNode userContent(Turn turn) {
    if (turn.parts().stream().allMatch(Part.Text.class::isInstance)) {
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

  private static void writeAssistant(Turn turn, ArrayNode messages) {
    ObjectNode message = messages.addObject().put("role", "assistant");
    String text = turn.text();
    if (text.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text);
    }
    ArrayNode calls = null;
    for (Part part : turn.parts()) {
      if (part instanceof Part.ToolCall call) {
        if (calls == null) {
          calls = message.putArray("tool_calls");
        }
        calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
            .put("name", call.name()).put("arguments", call.arguments());
      }
    }
  }

  private static void writeTools(Conversation conversation, ObjectNode body) {
    if (conversation.tools().isEmpty()) {
      return;
    }
    ArrayNode tools = body.putArray("tools");
    for (ToolSpec spec : conversation.tools()) {
      ObjectNode function = tools.addObject().put("type", "function").putObject("function").put("name", spec.name());
      if (spec.description() != null) {
        function.put("description", spec.description());
      }
      function.set("parameters", spec.parameters());
    }
    ToolChoice choice = conversation.toolChoice();
    switch (choice.mode()) {
      case AUTO -> body.put("tool_choice", "auto");
      case NONE -> body.put("tool_choice", "none");
      case ANY -> body.put("tool_choice", "required");
      case TOOL -> body.putObject("tool_choice").put("type", "function").putObject("function")
          .put("name", choice.name());
    }
  }

  private static void writeSampling(Sampling sampling, ObjectNode body) {
    if (sampling.maxTokens() != null) {
      body.put("max_tokens", sampling.maxTokens());
    }
    if (sampling.temperature() != null) {
      body.put("temperature", sampling.temperature());
    }
    if (sampling.topP() != null) {
      body.put("top_p", sampling.topP());
    }
    if (!sampling.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      sampling.stop().forEach(stop::add);
    }
  }

  private static void writeFormat(ResponseFormat format, ObjectNode body) {
    switch (format.kind()) {
      case TEXT -> {
      }
      case JSON_OBJECT -> body.putObject("response_format").put("type", "json_object");
      case JSON_SCHEMA -> body.putObject("response_format").put("type", "json_schema").putObject("json_schema")
          .put("name", format.name()).set("schema", format.schema());
    }
  }
}
