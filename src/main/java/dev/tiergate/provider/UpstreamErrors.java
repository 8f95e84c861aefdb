package dev.tiergate.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Maps an upstream's non-2xx answer to the gateway's error, the same way for every family: what is retryable, what
 * is the client's fault, what the message says — never a key the upstream echoed.
 */
public final class UpstreamErrors {

  private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private UpstreamErrors() {
  }

  /** Maps {@code status} and the upstream's error body (any family's shape) to a {@link GatewayException}. */
  public static GatewayException map(ProviderConfig provider, int status, MultiMap headers, Buffer body) {
    String message = Redactor.clip(message(body), provider.apiKey());
    return switch (status) {
      case 429 -> GatewayException.rateLimited(headers.get("retry-after"), "The upstream is rate limiting: " + message);
      case 401, 403 -> GatewayException.badGateway("upstream_auth",
          "The upstream rejected the gateway's credentials (status " + status + ")");
      case 408 -> GatewayException.timeout("upstream_timeout", "The upstream timed out: " + message);
      case 400, 404, 409, 413, 422 -> GatewayException.upstreamRejected(status, code(body), message);
      default -> GatewayException.badGateway("upstream_status_" + status,
          "The upstream failed with status " + status + ": " + message);
    };
  }

  /**
   * The machine code of an OpenAI-style error body ({@code {"error":{"code":"context_length_exceeded"}}}), null when
   * there is none or it is not a plain identifier (a code is shown to the client as is, so nothing else passes).
   */
  static String code(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      JsonNode code = JsonSupport.MAPPER.readTree(body.getBytes()).path("error").path("code");
      return code.isTextual() && CODE.matcher(code.asText()).matches() ? code.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The human message of an error body: {@code {"error":{"message"}}} (OpenAI, Anthropic, Gemini),
   * {@code {"error":"…"}} (Ollama), {@code {"message":"…"}} (Cohere), else the raw text. Not yet redacted.
   */
  public static String message(Buffer body) {
    if (body == null || body.length() == 0) {
      return "no details";
    }
    try {
      JsonNode root = JsonSupport.MAPPER.readTree(body.getBytes());
      JsonNode error = root == null ? null : root.get("error");
      if (error != null && error.isObject() && error.path("message").isTextual()) {
        return error.get("message").asText();
      }
      if (error != null && error.isTextual()) {
        return error.asText();
      }
      if (root != null && root.path("message").isTextual()) {
        return root.get("message").asText();
      }
    } catch (IOException e) {
      // not JSON: fall through to the raw text
    }
    // Redaction happens on the whole text before it is clipped, so a key is never cut into an unrecognisable piece.
    return body.toString();
  }
}
