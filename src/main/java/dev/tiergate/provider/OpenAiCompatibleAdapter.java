package dev.tiergate.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.ChatRequest;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.routing.Target;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The "openai-compatible" family: OpenAI, OpenRouter, vLLM, LM Studio, LocalAI and Ollama's {@code /v1} API all take
 * the client's Chat Completions body with the model name swapped, and stream {@code chat.completion.chunk} events.
 */
public final class OpenAiCompatibleAdapter implements ProviderAdapter {

  private static final String USER_AGENT = "tiergate/0.1";

  @Override
  public UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId) {
    ProviderConfig provider = target.provider();
    ObjectNode body = request.body();
    body.put("model", target.model().upstreamModel());
    if (request.stream() && provider.streamUsage()) {
      // Ask for usage on our own account; OpenAiStreamTap hides the chunk from clients that did not ask.
      body.putObject("stream_options").put("include_usage", true);
    } else if (request.stream() && !request.clientWantsUsage()) {
      body.remove("stream_options");
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(provider.baseUrl().getHost())
        .setPort(provider.port())
        .setSsl(provider.tls())
        .setURI(provider.basePath() + "/chat/completions")
        .setConnectTimeout(provider.timeouts().connectMs())
        .setHeaders(forwardHeaders)
        .putHeader("content-type", "application/json")
        .putHeader("accept", request.stream() ? "text/event-stream" : "application/json")
        .putHeader("accept-encoding", "identity")
        .putHeader("user-agent", USER_AGENT)
        .putHeader("x-request-id", requestId);
    provider.apiKey().ifPresent(key -> options.putHeader("authorization", "Bearer " + key.value()));
    return new UpstreamRequest(options, Buffer.buffer(write(body)));
  }

  @Override
  public GatewayException mapError(ProviderConfig provider, int status, MultiMap headers, Buffer body) {
    String message = Redactor.clip(errorMessage(body), provider.apiKey());
    return switch (status) {
      case 429 -> GatewayException.rateLimited(headers.get("retry-after"), "The upstream is rate limiting: " + message);
      case 401, 403 -> GatewayException.badGateway("upstream_auth",
          "The upstream rejected the gateway's credentials (status " + status + ")");
      case 408 -> GatewayException.timeout("upstream_timeout", "The upstream timed out: " + message);
      case 400, 404, 409, 413, 422 -> GatewayException.upstreamRejected(status, message);
      default -> GatewayException.badGateway("upstream_status_" + status,
          "The upstream failed with status " + status + ": " + message);
    };
  }

  @Override
  public StreamTap newTap(ChatRequest request) {
    return new OpenAiStreamTap(request.clientWantsUsage());
  }

  @Override
  public Usage readCompletion(Buffer body) {
    JsonNode root;
    try {
      root = JsonSupport.MAPPER.readTree(body.getBytes());
    } catch (java.io.IOException e) {
      throw GatewayException.badGateway("upstream_malformed_response", "The upstream sent a malformed response");
    }
    if (root == null || !root.isObject() || !root.path("choices").isArray()) {
      throw GatewayException.badGateway("upstream_malformed_response",
          "The upstream response is not a chat completion");
    }
    String finish = null;
    for (JsonNode choice : root.get("choices")) {
      if (choice.path("finish_reason").isTextual()) {
        finish = choice.get("finish_reason").asText();
      }
    }
    JsonNode usage = root.path("usage");
    return new Usage(usage.path("prompt_tokens").asLong(-1), usage.path("completion_tokens").asLong(-1), finish);
  }

  private static String errorMessage(Buffer body) {
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
    } catch (java.io.IOException e) {
      // not JSON: fall through to the raw text
    }
    // Redaction happens on the whole text before it is clipped, so a key is never cut into an unrecognisable piece.
    return body.toString();
  }

  private static byte[] write(ObjectNode body) {
    try {
      return JsonSupport.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode the upstream request");
    }
  }
}
