package dev.tiergate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Set;

/** Parses and validates an OpenAI Chat Completions request body; every problem is a 400 naming the field. */
public final class ChatRequestParser {

  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  private ChatRequestParser() {
  }

  public static ChatRequest parse(Buffer body) {
    JsonNode root = readTree(body);
    if (!(root instanceof ObjectNode object)) {
      throw GatewayException.badRequest("invalid_request", "The request body must be a JSON object");
    }
    String model = optionalString(object, "model");
    boolean stream = optionalBoolean(object, "stream");
    validateMessages(object.get("messages"));
    boolean wantsUsage = false;
    JsonNode options = object.get("stream_options");
    if (options != null && !options.isNull()) {
      if (!options.isObject()) {
        throw invalid("stream_options", "must be an object");
      }
      wantsUsage = optionalBoolean((ObjectNode) options, "include_usage");
    }
    validateNumbers(object);
    return new ChatRequest(object, model, stream, wantsUsage, optionalString(object, "user"));
  }

  private static JsonNode readTree(Buffer body) {
    if (body == null || body.length() == 0) {
      throw GatewayException.badRequest("invalid_json", "The request body is empty; expected a JSON object");
    }
    try {
      JsonNode node = JsonSupport.MAPPER.readTree(body.getBytes());
      if (node == null || node.isMissingNode()) {
        throw GatewayException.badRequest("invalid_json", "The request body is empty; expected a JSON object");
      }
      return node;
    } catch (StreamConstraintsException e) {
      // Jackson reports every parser limit this way; only one of them is about nesting.
      String message = e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth")
          ? "The request body is nested deeper than " + JsonSupport.MAX_DEPTH + " levels"
          : "The request body holds a number, string or field name longer than the gateway accepts";
      throw GatewayException.badRequest("invalid_json", message);
    } catch (JsonProcessingException e) {
      throw GatewayException.badRequest("invalid_json",
          "The request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw GatewayException.badRequest("invalid_json", "The request body could not be read as JSON");
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
      String field = "messages[" + i + "]";
      if (!message.isObject()) {
        throw invalid(field, "must be an object");
      }
      JsonNode role = message.get("role");
      if (role == null || !role.isTextual()) {
        throw invalid(field + ".role", "is required and must be a string");
      }
      if (!ROLES.contains(role.asText())) {
        throw invalid(field + ".role", "must be one of " + String.join(", ", ROLES.stream().sorted().toList()));
      }
      JsonNode content = message.get("content");
      if (content != null && !(content.isTextual() || content.isArray() || content.isNull())) {
        throw invalid(field + ".content", "must be a string, an array of content parts or null");
      }
    }
  }

  private static void validateNumbers(ObjectNode object) {
    positiveInt(object, "max_tokens");
    positiveInt(object, "max_completion_tokens");
    positiveInt(object, "n");
    JsonNode temperature = object.get("temperature");
    if (temperature != null && !temperature.isNull()
        && (!temperature.isNumber() || temperature.asDouble() < 0 || temperature.asDouble() > 2)) {
      throw invalid("temperature", "must be a number between 0 and 2");
    }
    JsonNode tools = object.get("tools");
    if (tools != null && !tools.isNull() && !tools.isArray()) {
      throw invalid("tools", "must be an array");
    }
    JsonNode format = object.get("response_format");
    if (format != null && !format.isNull() && !format.isObject()) {
      throw invalid("response_format", "must be an object");
    }
  }

  private static void positiveInt(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value != null && !value.isNull() && (!value.isIntegralNumber() || value.asLong() < 1)) {
      throw invalid(field, "must be a positive integer");
    }
  }

  private static String optionalString(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(field, "must be a string");
    }
    return value.asText();
  }

  private static boolean optionalBoolean(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalid(field, "must be a boolean");
    }
    return value.booleanValue();
  }

  private static GatewayException invalid(String field, String problem) {
    return GatewayException.badRequest("invalid_request", "'" + field + "' " + problem);
  }
}
