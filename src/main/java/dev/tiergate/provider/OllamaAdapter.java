package dev.tiergate.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.ollama.OllamaCompletions;
import dev.tiergate.wire.ollama.OllamaRequestWriter;
import dev.tiergate.wire.ollama.OllamaStreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The "ollama" family: Ollama's native {@code POST /api/chat} (base URL such as {@code http://localhost:11434}),
 * streaming NDJSON. A key is sent only when configured (Ollama behind an authenticating proxy, or Ollama's cloud).
 */
public final class OllamaAdapter implements ProviderAdapter {

  private static final String USER_AGENT = "tiergate/0.1";

  @Override
  public Framing framing() {
    return Framing.NDJSON;
  }

  @Override
  public UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId) {
    ProviderConfig provider = target.provider();
    String model = target.model().upstreamModel();
    ObjectNode body = Passthrough.applies(request, target)
        ? request.body().put("model", model)
        : OllamaRequestWriter.write(request.conversation(), model);
    // Ollama streams when "stream" is absent, so the flag always goes up explicitly.
    body.put("stream", request.stream());
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(provider.baseUrl().getHost())
        .setPort(provider.port())
        .setSsl(provider.tls())
        .setURI(provider.basePath() + "/api/chat")
        .setConnectTimeout(provider.timeouts().connectMs())
        .setHeaders(forwardHeaders)
        .putHeader("content-type", "application/json")
        .putHeader("accept", request.stream() ? "application/x-ndjson" : "application/json")
        .putHeader("accept-encoding", "identity")
        .putHeader("user-agent", USER_AGENT)
        .putHeader("x-request-id", requestId);
    provider.apiKey().ifPresent(key -> options.putHeader("authorization", "Bearer " + key.value()));
    return new UpstreamRequest(options, Buffer.buffer(write(body)));
  }

  @Override
  public GatewayException mapError(ProviderConfig provider, int status, MultiMap headers, Buffer body) {
    return UpstreamErrors.map(provider, status, headers, body);
  }

  @Override
  public StreamDecoder newDecoder(ChatRequest request) {
    return new OllamaStreamDecoder();
  }

  @Override
  public Completion readCompletion(Buffer body) {
    return OllamaCompletions.read(body);
  }

  private static byte[] write(ObjectNode body) {
    try {
      return JsonSupport.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode the upstream request");
    }
  }
}
