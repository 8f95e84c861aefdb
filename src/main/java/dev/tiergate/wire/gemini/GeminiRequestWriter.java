package dev.tiergate.wire.gemini;

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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Conversation} as a Gemini {@code generateContent} / {@code streamGenerateContent} request body. The
 * model is not part of the body: it goes in the URL.
 */
public final class GeminiRequestWriter {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /**
   * Gemini 3 refuses a history whose function calls lack the thought signature it issued, which the canonical model
   * does not keep; Google documents this value for histories that did not come from the model itself.
   */
  static final String FOREIGN_SIGNATURE = "skip_thought_signature_validator";

  private GeminiRequestWriter() {
  }

  /**
   * @throws GatewayException (400) when a tool result's tool cannot be named, or a tool call's arguments are not a
   *                          JSON object (Gemini carries both as structured data)
   */
  public static ObjectNode write(Conversation conversation) {
    ObjectNode body = JSON.objectNode();
    if (conversation.system() != null && !conversation.system().isEmpty()) {
      body.putObject("systemInstruction").putArray("parts").addObject().put("text", conversation.system());
    }
    body.set("contents", contents(conversation));
    writeTools(conversation, body);
    ObjectNode config = generationConfig(conversation.sampling(), conversation.responseFormat());
    if (!config.isEmpty()) {
      body.set("generationConfig", config);
    }
    return body;
  }

  /** Turns as Gemini contents; tool results go back as the user's, and same-role neighbours merge. */
  private static ArrayNode contents(Conversation conversation) {
    ArrayNode contents = JSON.arrayNode();
    // The latest call with an id wins: ids generated for Gemini calls ("call_0") repeat from one answer to the next.
    Map<String, String> callNames = new HashMap<>();
    ObjectNode last = null;
    for (Turn turn : conversation.turns()) {
      String role = turn.role() == Turn.Role.ASSISTANT ? "model" : "user";
      ArrayNode parts = JSON.arrayNode();
      for (Part part : turn.parts()) {
        writePart(part, parts, callNames);
      }
      if (parts.isEmpty()) {
        continue;
      }
      if (last != null && last.path("role").asText().equals(role)) {
        ((ArrayNode) last.get("parts")).addAll(parts);
      } else {
        last = contents.addObject().put("role", role);
        last.set("parts", parts);
      }
    }
    return contents;
  }

  private static void writePart(Part part, ArrayNode parts, Map<String, String> callNames) {
    switch (part) {
      case Part.Text text -> {
        if (!text.text().isEmpty()) {
          parts.addObject().put("text", text.text());
        }
      }
      case Part.Image image -> writeImage(image, parts.addObject());
      case Part.ToolCall call -> {
        callNames.put(call.id(), call.name());
        ObjectNode function = JSON.objectNode().put("name", call.name());
        function.set("args", arguments(call));
        ObjectNode written = parts.addObject();
        written.set("functionCall", function);
        written.put("thoughtSignature", FOREIGN_SIGNATURE);
      }
      case Part.ToolResult result -> {
        String name = result.name() != null ? result.name() : callNames.get(result.callId());
        if (name == null) {
          throw GatewayException.badRequest("invalid_request", "The tool result for call id '" + result.callId()
              + "' names no tool and no earlier tool call has that id; Gemini needs the tool's name");
        }
        ObjectNode response = parts.addObject().putObject("functionResponse").put("name", name);
        response.set("response", resultObject(result));
      }
    }
  }

  private static void writeImage(Part.Image image, ObjectNode part) {
    if (image.data() != null) {
      ObjectNode inline = part.putObject("inlineData");
      if (image.mediaType() != null) {
        inline.put("mimeType", image.mediaType());
      }
      inline.put("data", image.data());
      return;
    }
    ObjectNode file = part.putObject("fileData");
    String type = image.mediaType() != null ? image.mediaType() : mediaTypeOf(image.url());
    if (type != null) {
      file.put("mimeType", type);
    }
    file.put("fileUri", image.url());
  }

  /** Gemini wants a MIME type with a file; a URL's extension is the only hint when the client gave none. */
  private static String mediaTypeOf(String url) {
    String path = url.toLowerCase(Locale.ROOT).replaceAll("[?#].*$", "");
    if (path.endsWith(".png")) {
      return "image/png";
    } else if (path.endsWith(".jpg") || path.endsWith(".jpeg")) {
      return "image/jpeg";
    } else if (path.endsWith(".webp")) {
      return "image/webp";
    } else if (path.endsWith(".gif")) {
      return "image/gif";
    } else if (path.endsWith(".heic")) {
      return "image/heic";
    } else if (path.endsWith(".heif")) {
      return "image/heif";
    }
    return null;
  }

  private static JsonNode arguments(Part.ToolCall call) {
    JsonNode args = parseJson(call.arguments());
    if (args == null || !args.isObject()) {
      throw GatewayException.badRequest("invalid_request", "The arguments of tool call '" + call.id()
          + "' are not a JSON object; Gemini needs them as one");
    }
    return args;
  }

  /** A result that is a JSON object goes as is; anything else is wrapped, under "error" when the tool failed. */
  private static ObjectNode resultObject(Part.ToolResult result) {
    JsonNode parsed = parseJson(result.content());
    if (parsed != null && parsed.isObject()) {
      return (ObjectNode) parsed;
    }
    return JSON.objectNode().put(result.error() ? "error" : "content", result.content());
  }

  private static JsonNode parseJson(String text) {
    String trimmed = text.strip();
    if (!trimmed.startsWith("{")) {
      return null;
    }
    try {
      return JsonSupport.MAPPER.readTree(trimmed);
    } catch (IOException e) {
      return null;
    }
  }

  private static void writeTools(Conversation conversation, ObjectNode body) {
    if (conversation.tools().isEmpty()) {
      return;
    }
    ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
    for (ToolSpec spec : conversation.tools()) {
      ObjectNode declaration = declarations.addObject().put("name", spec.name());
      if (spec.description() != null) {
        declaration.put("description", spec.description());
      }
      if (!GeminiSchema.isEmptyObject(spec.parameters())) {
        declaration.set("parameters", GeminiSchema.clean(spec.parameters()));
      }
    }
    ToolChoice choice = conversation.toolChoice();
    ObjectNode calling = JSON.objectNode();
    switch (choice.mode()) {
      case AUTO -> calling.put("mode", "AUTO");
      case NONE -> calling.put("mode", "NONE");
      case ANY -> calling.put("mode", "ANY");
      case TOOL -> calling.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.name());
    }
    body.putObject("toolConfig").set("functionCallingConfig", calling);
  }

  private static ObjectNode generationConfig(Sampling sampling, ResponseFormat format) {
    ObjectNode config = JSON.objectNode();
    if (sampling.maxTokens() != null) {
      config.put("maxOutputTokens", sampling.maxTokens());
    }
    if (sampling.temperature() != null) {
      config.put("temperature", Math.clamp(sampling.temperature(), 0.0, 2.0));
    }
    if (sampling.topP() != null) {
      config.put("topP", Math.clamp(sampling.topP(), 0.0, 1.0));
    }
    if (!sampling.stop().isEmpty()) {
      ArrayNode stop = config.putArray("stopSequences");
      sampling.stop().forEach(stop::add);
    }
    if (format.json()) {
      config.put("responseMimeType", "application/json");
    }
    if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA) {
      config.set("responseSchema", GeminiSchema.clean(format.schema()));
    }
    return config;
  }
}
