package dev.tiergate.provider;

import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.gemini.GeminiCompletions;
import dev.tiergate.wire.gemini.GeminiRequestWriter;
import dev.tiergate.wire.gemini.GeminiStreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The "gemini" family: Google's Gemini API ({@code POST /v1beta/models/{model}:generateContent}, streams from
 * {@code :streamGenerateContent?alt=sse}). No client speaks Gemini, so every call is translated. The key travels in
 * the {@code x-goog-api-key} header, never in the URL, so it cannot reach an access log.
 */
public final class GeminiAdapter implements ProviderAdapter {

  @Override
  public Framing framing() {
    return Framing.SSE;
  }

  @Override
  public UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId) {
    ProviderConfig provider = target.provider();
    String method = request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
    UpstreamRequest prepared = UpstreamRequest.postJson(provider,
        "/v1beta/models/" + pathSegment(target.model().upstreamModel()) + method, forwardHeaders,
        request.stream() ? "text/event-stream" : "application/json", requestId,
        GeminiRequestWriter.write(request.conversation()));
    authorize(prepared, provider);
    return prepared;
  }

  /** Google answers a bad key with 400 INVALID_ARGUMENT, which must not read as the client's own mistake. */
  @Override
  public void authorize(UpstreamRequest request, ProviderConfig provider) {
    // The key goes in a header, never in the URL: URLs end up in access logs and proxies.
    provider.apiKey().ifPresent(key -> request.header("x-goog-api-key", key.value()));
  }

  @Override
  public String healthPath() {
    return "/v1beta/models";
  }

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

}
