package dev.tiergate.wire;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** Reading client request bodies, shared by every client format: each problem is a 400 that names the field. */
public final class RequestJson {

  private RequestJson() {
  }

  /** Parses {@code body} as one JSON object (strict UTF-8, depth-limited, no duplicate keys or trailing tokens). */
  public static ObjectNode readObject(Buffer body) {
    if (body == null || body.length() == 0) {
      throw GatewayException.badRequest("invalid_json", "The request body is empty; expected a JSON object");
    }
    byte[] bytes = body.getBytes();
    String problem = JsonBytes.problem(bytes);
    if (problem != null) {
      throw GatewayException.badRequest("invalid_json", "The request body " + problem);
    }
    JsonNode root;
    try {
      root = JsonSupport.MAPPER.readTree(bytes);
    } catch (StreamConstraintsException e) {
      // Jackson reports every parser limit this way; only one of them is about nesting.
      String message = e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth")
          ? "The request body is nested deeper than " + JsonSupport.MAX_DEPTH + " levels"
          : "The request body holds a number, string or field name longer than the gateway accepts";
      throw GatewayException.badRequest("invalid_json", message);
    } catch (JsonProcessingException e) {
      throw GatewayException.badRequest("invalid_json", "The request body is not valid JSON: " + describe(e));
    } catch (IOException e) {
      throw GatewayException.badRequest("invalid_json", "The request body could not be read as JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw GatewayException.badRequest("invalid_json", "The request body is empty; expected a JSON object");
    }
    if (!(root instanceof ObjectNode object)) {
      throw GatewayException.badRequest("invalid_request", "The request body must be a JSON object");
    }
    return object;
  }

  /** The string at {@code field}, null when absent or null. */
  public static String optionalString(JsonNode object, String field, String path) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(path, "must be a string");
    }
    return value.asText();
  }

  /** The boolean at {@code field}, {@code fallback} when absent or null. */
  public static boolean optionalBoolean(JsonNode object, String field, String path, boolean fallback) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw invalid(path, "must be a boolean");
    }
    return value.booleanValue();
  }

  /** A positive integer at {@code field}, null when absent. */
  public static Integer positiveInt(JsonNode object, String field, String path) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > Integer.MAX_VALUE) {
      throw invalid(path, "must be a positive integer");
    }
    return value.intValue();
  }

  /** A number in {@code [min, max]} at {@code field}, null when absent. */
  public static Double number(JsonNode object, String field, String path, double min, double max) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
      throw invalid(path, "must be a number between " + trim(min) + " and " + trim(max));
    }
    return value.asDouble();
  }

  /** Jackson's account of a syntax error without its note on the (redacted) source, and where it is. */
  private static String describe(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    int sourceNote = message.indexOf(" (start marker at");
    if (sourceNote >= 0) {
      message = message.substring(0, sourceNote);
    }
    JsonLocation at = e.getLocation();
    return at == null ? message : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  public static GatewayException invalid(String field, String problem) {
    return GatewayException.badRequest("invalid_request", "'" + field + "' " + problem);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
