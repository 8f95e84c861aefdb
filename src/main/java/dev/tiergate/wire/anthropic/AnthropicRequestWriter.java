package dev.tiergate.wire.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.ToolSpec;
import dev.tiergate.wire.Turn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Conversation} as an Anthropic Messages request body.
 *
 * <p>Anthropic differs from the canonical model in ways this writer absorbs: {@code max_tokens} is required
 * ({@value #DEFAULT_MAX_TOKENS} when the client set none); roles must alternate, so consecutive turns of one role are
 * merged and tool results travel in user messages, ahead of any text; temperature is clamped to 0..1. Anthropic has
 * no JSON mode: a JSON response format becomes an instruction appended to the system prompt (with the schema for
 * JSON_SCHEMA), which the model follows but nothing enforces.
 */
public final class AnthropicRequestWriter {

  /** The {@code max_tokens} sent when the client set none; Anthropic refuses a request without it. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  static final String JSON_INSTRUCTION = "Respond with a single valid JSON object only: no other text, no Markdown"
      + " code fences.";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AnthropicRequestWriter() {
  }

  /**
   * @param model the provider's name for the model
   * @throws GatewayException (400) when an earlier tool call's arguments are not a JSON object
   */
  public static ObjectNode write(Conversation conversation, String model) {
    Sampling sampling = conversation.sampling();
    ObjectNode body = JSON.objectNode().put("model", model)
        .put("max_tokens", sampling.maxTokens() != null ? sampling.maxTokens() : DEFAULT_MAX_TOKENS);
    String system = system(conversation);
    if (system != null) {
      body.put("system", system);
    }
    body.set("messages", messages(conversation.turns()));
    if (sampling.temperature() != null) {
      body.put("temperature", Math.min(1.0, Math.max(0.0, sampling.temperature())));
    }
    if (sampling.topP() != null) {
      body.put("top_p", sampling.topP());
    }
    if (!sampling.stop().isEmpty()) {
      ArrayNode stops = body.putArray("stop_sequences");
      sampling.stop().forEach(stops::add);
    }
    writeTools(conversation, body);
    body.put("stream", conversation.stream());
    return body;
  }

  private static String system(Conversation conversation) {
    ResponseFormat format = conversation.responseFormat();
    if (!format.json()) {
      return conversation.system();
    }
    String instruction = format.kind() == ResponseFormat.Kind.JSON_SCHEMA
        ? JSON_INSTRUCTION + " The object must conform to this JSON Schema:\n" + format.schema()
        : JSON_INSTRUCTION;
    return conversation.system() == null ? instruction : conversation.system() + "\n\n" + instruction;
  }

  /** One message under construction: tool results are kept apart because Anthropic wants them first. */
  private record Message(String role, List<JsonNode> results, List<JsonNode> blocks) {
  }

  private static ArrayNode messages(List<Turn> turns) {
    List<Message> merged = new ArrayList<>();
    for (Turn turn : turns) {
      String role = turn.role() == Turn.Role.ASSISTANT ? "assistant" : "user";
      Message message = merged.isEmpty() ? null : merged.getLast();
      if (message == null || !message.role().equals(role)) {
        message = new Message(role, new ArrayList<>(), new ArrayList<>());
        merged.add(message);
      }
      for (Part part : turn.parts()) {
        addBlock(part, message);
      }
    }
    ArrayNode messages = JSON.arrayNode();
    for (Message message : merged) {
      List<JsonNode> blocks = new ArrayList<>(message.results());
      blocks.addAll(message.blocks());
      if (blocks.isEmpty()) {
        continue;
      }
      ObjectNode out = messages.addObject().put("role", message.role());
      if (blocks.size() == 1 && blocks.getFirst().path("type").asText().equals("text")) {
        out.put("content", blocks.getFirst().get("text").asText());
      } else {
        out.putArray("content").addAll(blocks);
      }
    }
    return messages;
  }

  private static void addBlock(Part part, Message message) {
    switch (part) {
      case Part.Text text -> {
        // Anthropic refuses empty text blocks.
        if (!text.text().isEmpty()) {
          message.blocks().add(JSON.objectNode().put("type", "text").put("text", text.text()));
        }
      }
      case Part.Image image -> message.blocks().add(image(image));
      case Part.ToolCall call -> message.blocks().add(JSON.objectNode().put("type", "tool_use").put("id", call.id())
          .put("name", call.name()).set("input", arguments(call)));
      case Part.ToolResult result -> {
        ObjectNode block = JSON.objectNode().put("type", "tool_result").put("tool_use_id", result.callId());
        if (!result.content().isEmpty()) {
          block.put("content", result.content());
        }
        if (result.error()) {
          block.put("is_error", true);
        }
        message.results().add(block);
      }
    }
  }

  private static ObjectNode image(Part.Image image) {
    ObjectNode block = JSON.objectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    String url = image.url();
    if (url != null && url.startsWith("data:") && url.contains(";base64,")) {
      int semi = url.indexOf(';');
      return base64(block, source, url.substring(5, semi), url.substring(url.indexOf(',') + 1));
    }
    if (url != null) {
      source.put("type", "url").put("url", url);
      return block;
    }
    if (image.mediaType() == null) {
      throw GatewayException.badRequest("invalid_request", "An inline image has no media type; Anthropic needs one");
    }
    return base64(block, source, image.mediaType(), image.data());
  }

  private static ObjectNode base64(ObjectNode block, ObjectNode source, String mediaType, String data) {
    source.put("type", "base64").put("media_type", mediaType).put("data", data);
    return block;
  }

  private static JsonNode arguments(Part.ToolCall call) {
    try {
      JsonNode input = JsonSupport.MAPPER.readTree(call.arguments());
      if (input != null && input.isObject()) {
        return input;
      }
    } catch (IOException e) {
      // reported below
    }
    throw GatewayException.badRequest("invalid_request", "The arguments of tool call '" + call.id() + "' ("
        + call.name() + ") are not a JSON object; Anthropic needs one");
  }

  private static void writeTools(Conversation conversation, ObjectNode body) {
    if (conversation.tools().isEmpty()) {
      return;
    }
    ArrayNode tools = body.putArray("tools");
    for (ToolSpec spec : conversation.tools()) {
      ObjectNode tool = tools.addObject().put("name", spec.name());
      if (spec.description() != null) {
        tool.put("description", spec.description());
      }
      tool.set("input_schema", spec.parameters());
    }
    ToolChoice choice = conversation.toolChoice();
    switch (choice.mode()) {
      case AUTO -> {
      }
      case ANY -> body.putObject("tool_choice").put("type", "any");
      case NONE -> body.putObject("tool_choice").put("type", "none");
      case TOOL -> body.putObject("tool_choice").put("type", "tool").put("name", choice.name());
    }
  }
}
