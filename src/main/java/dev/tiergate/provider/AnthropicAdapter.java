package dev.tiergate.provider;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.anthropic.AnthropicCompletions;
import dev.tiergate.wire.anthropic.AnthropicRequestWriter;
import dev.tiergate.wire.anthropic.AnthropicStreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The "anthropic" family: the Messages API at {@code <baseUrl>/v1/messages} (the base URL is the API root, e.g.
 * {@code https://api.anthropic.com}), authenticated with {@code x-api-key} and pinned to API version
 * {@value #API_VERSION}. Anthropic clients' bodies go up unchanged but for the model (and {@code max_tokens}, which
 * Anthropic requires and the gateway lets clients leave out).
 */
public final class AnthropicAdapter implements ProviderAdapter {

  static final String API_VERSION = "2023-06-01";
  @Override
  public Framing framing() {
    return Framing.SSE;
  }

  @Override
  public UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId) {
    ProviderConfig provider = target.provider();
    String model = target.model().upstreamModel();
    ObjectNode body = Passthrough.applies(request, target) ? passthroughBody(request.body(), model)
        : AnthropicRequestWriter.write(request.conversation(), model);
    UpstreamRequest prepared = UpstreamRequest.postJson(provider, "/v1/messages", forwardHeaders,
        request.stream() ? "text/event-stream" : "application/json", requestId, body);
    authorize(prepared, provider);
    return prepared;
  }

  /**
   * The client's body with the model swapped. A shallow copy: the request's own body stays as the client sent it,
   * for a fallback target that needs the conversation read from it.
   */
  private static ObjectNode passthroughBody(ObjectNode clientBody, String model) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.setAll(clientBody);
    body.put("model", model);
    if (!body.hasNonNull("max_tokens")) {
      body.put("max_tokens", AnthropicRequestWriter.DEFAULT_MAX_TOKENS);
    }
    return body;
  }

  @Override
  public void authorize(UpstreamRequest request, ProviderConfig provider) {
    request.header("anthropic-version", API_VERSION);
    provider.apiKey().ifPresent(key -> request.header("x-api-key", key.value()));
  }

  @Override
  public String healthPath() {
    return "/v1/models";
  }

  @Override
  public StreamDecoder newDecoder(ChatRequest request) {
    return new AnthropicStreamDecoder();
  }

  @Override
  public Completion readCompletion(Buffer body) {
    return AnthropicCompletions.read(body);
  }
}
