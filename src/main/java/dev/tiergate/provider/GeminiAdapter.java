package dev.tiergate.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.gemini.GeminiCompletions;
import dev.tiergate.wire.gemini.GeminiRequestWriter;
import dev.tiergate.wire.gemini.GeminiStreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The "gemini" family: Google's Gemini API ({@code POST /v1beta/models/{model}:generateContent}, streams from
 * {@code :streamGenerateContent?alt=sse}). No client speaks Gemini, so every call is translated. The key travels in
 * the {@code x-goog-api-key} header, never in the URL, so it cannot reach an access log.
 */
public final class GeminiAdapter implements ProviderAdapter {

  private static final String USER_AGENT = "tiergate/0.1";

  @Override
  public Framing framing() {
    return Framing.SSE;
  }

  @Override
  public UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId) {
    ProviderConfig provider = target.provider();
    byte[] body = encode(GeminiRequestWriter.write(request.conversation()));
    String method = request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(provider.baseUrl().getHost())
        .setPort(provider.port())
        .setSsl(provider.tls())
        .setURI(provider.basePath() + "/v1beta/models/" + pathSegment(target.model().upstreamModel()) + method)
        .setConnectTimeout(provider.timeouts().connectMs())
        .setHeaders(forwardHeaders)
        .putHeader("content-type", "application/json")
        .putHeader("accept", request.stream() ? "text/event-stream" : "application/json")
        .putHeader("accept-encoding", "identity")
        .putHeader("user-agent", USER_AGENT)
        .putHeader("x-request-id", requestId);
    provider.apiKey().ifPresent(key -> options.putHeader("x-goog-api-key", key.value()));
    return new UpstreamRequest(options, Buffer.buffer(body));
  }

  /** Google answers a bad key with 400 INVALID_ARGUMENT, which must not read as the client's own mistake. */
  @Override
  public GatewayException mapError(ProviderConfig provider, int status, MultiMap headers, Buffer body) {
    if (status == 400 && body != null && body.toString().contains("API_KEY_INVALID")) {
      return GatewayException.badGateway("upstream_auth",
          "The upstream rejected the gateway's credentials (status " + status + ")");
    }
    return UpstreamErrors.map(provider, status, headers, body);
  }

  @Override
  public StreamDecoder newDecoder(ChatRequest request) {
    return new GeminiStreamDecoder();
  }

  @Override
  public Completion readCompletion(Buffer body) {
    return GeminiCompletions.read(body);
  }

  /** The model name as one path segment: '/', ':', '?', '#' and the like cannot change the path or the method. */
  static String pathSegment(String model) {
    return URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
  }

  private static byte[] encode(Object body) {
    try {
      return JsonSupport.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode the upstream request");
    }
  }
}
