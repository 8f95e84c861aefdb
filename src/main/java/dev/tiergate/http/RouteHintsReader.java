package dev.tiergate.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.routing.RouteHints;
import dev.tiergate.wire.ChatRequest;
import io.vertx.core.MultiMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the routing hints of a request: each {@code X-Tiergate-*} header, else the same hint in the body's
 * {@code metadata} object as {@code tiergate_<name>}. The {@code tiergate_*} metadata keys are removed from the body
 * afterwards: providers reject metadata keys they do not know.
 */
public final class RouteHintsReader {

  private static final String PREFIX = "tiergate_";

  private RouteHintsReader() {
  }

  /**
   * @param clientKeyId the id of the client key presented, the session key of last resort; null without client auth
   */
  public static RouteHints read(ChatRequest request, MultiMap headers, String clientKeyId) {
    JsonNode metadata = request.body().get("metadata");
    ObjectNode hints = metadata instanceof ObjectNode object ? object : null;
    String session = hint(headers, hints, "session");
    if (session == null) {
      session = request.user() != null ? request.user() : clientKeyId;
    }
    String allowLocal = hint(headers, hints, "allow_local");
    RouteHints read = new RouteHints(request.model(), hint(headers, hints, "tier"), hint(headers, hints, "purpose"),
        hint(headers, hints, "sub_agent"), hint(headers, hints, "phase"), session,
        allowLocal == null ? null : parseBoolean(allowLocal), hint(headers, hints, "provider"),
        request::promptView);
    if (hints != null) {
      strip(request, hints);
    }
    return read;
  }

  /** {@code X-Tiergate-Sub-Agent} for {@code sub_agent}, else {@code metadata.tiergate_sub_agent}. */
  private static String hint(MultiMap headers, ObjectNode metadata, String name) {
    String header = headers.get("x-tiergate-" + name.replace('_', '-'));
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    JsonNode value = metadata == null ? null : metadata.get(PREFIX + name);
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isTextual() ? value.asText().trim() : value.toString();
  }

  private static Boolean parseBoolean(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw GatewayException.badRequest("invalid_request",
          "X-Tiergate-Allow-Local must be true or false, got '" + (value.length() > 20 ? value.substring(0, 20)
              : value) + "'");
    };
  }

  private static void strip(ChatRequest request, ObjectNode metadata) {
    Iterator<Map.Entry<String, JsonNode>> fields = metadata.fields();
    while (fields.hasNext()) {
      if (fields.next().getKey().startsWith(PREFIX)) {
        fields.remove();
      }
    }
    if (metadata.isEmpty()) {
      request.body().remove("metadata");
    }
  }
}
