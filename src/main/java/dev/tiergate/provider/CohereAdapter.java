package dev.tiergate.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.cohere.CohereCompletions;
import dev.tiergate.wire.cohere.CohereRequestWriter;
import dev.tiergate.wire.cohere.CohereStreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The "cohere" family: Cohere's Chat API v2 ({@code POST /v2/chat}, streams as SSE when {@code stream} is true). No
 * client speaks Cohere, so every call is translated.
 */
public final class CohereAdapter implements ProviderAdapter {

  private static final String USER_AGENT = "tiergate/0.1";

  @Override
  public Framing framing() {
    return Framing.SSE;
  }

  @Override
  public UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId) {
    ProviderConfig provider = target.provider();
    byte[] body = encode(CohereRequestWriter.write(request.conversation(), target.model().upstreamModel()));
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(provider.baseUrl().getHost())
        .setPort(provider.port())
        .setSsl(provider.tls())
        .setURI(provider.basePath() + "/v2/chat")
        .setConnectTimeout(provider.timeouts().connectMs())
        .setHeaders(forwardHeaders)
        .putHeader("content-type", "application/json")
        .putHeader("accept", request.stream() ? "text/event-stream" : "application/json")
        .putHeader("accept-encoding", "identity")
        .putHeader("user-agent", USER_AGENT)
        .putHeader("x-request-id", requestId);
    provider.apiKey().ifPresent(key -> options.putHeader("authorization", "Bearer " + key.value()));
    return new UpstreamRequest(options, Buffer.buffer(body));
  }

  @Override
  public GatewayException mapError(ProviderConfig provider, int status, MultiMap headers, Buffer body) {
    return UpstreamErrors.map(provider, status, headers, body);
  }

  @Override
  public StreamDecoder newDecoder(ChatRequest request) {
    return new CohereStreamDecoder();
  }

  @Override
  public Completion readCompletion(Buffer body) {
    return CohereCompletions.read(body);
  }

  private static byte[] encode(Object body) {
    try {
      return JsonSupport.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode the upstream request");
    }
  }
}
