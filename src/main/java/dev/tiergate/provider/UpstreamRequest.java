package dev.tiergate.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** A request ready to send to a provider: where, with which headers, and the body in the provider's format. */
public record UpstreamRequest(RequestOptions options, Buffer body) {

  private static final String USER_AGENT = "tiergate/0.1";

  /**
   * A JSON POST to {@code path} under the provider's base URL, with the headers every family gets: the forwarded
   * client headers (copied, so a fallback attempt starts clean), content type, {@code accept}, no compression (the
   * relay reads the bytes), the gateway's user agent and the request id. Credentials are the caller's to add.
   */
  public static UpstreamRequest postJson(ProviderConfig provider, String path, MultiMap forwardHeaders, String accept,
                                         String requestId, Object body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(forwardHeaders)
        .set("content-type", "application/json")
        .set("accept", accept)
        .set("accept-encoding", "identity")
        .set("user-agent", USER_AGENT)
        .set("x-request-id", requestId);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(provider.baseUrl().getHost())
        .setPort(provider.port())
        .setSsl(provider.tls())
        .setURI(provider.basePath() + path)
        .setConnectTimeout(provider.timeouts().connectMs())
        .setHeaders(headers);
    try {
      return new UpstreamRequest(options, Buffer.buffer(JsonSupport.MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode the upstream request");
    }
  }

  /** A GET of {@code path} under the provider's base URL (health checks, model lists). */
  public static UpstreamRequest get(ProviderConfig provider, String path) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(provider.baseUrl().getHost())
        .setPort(provider.port())
        .setSsl(provider.tls())
        .setURI(provider.basePath() + path)
        .setConnectTimeout(provider.timeouts().connectMs())
        .putHeader("accept", "application/json")
        .putHeader("accept-encoding", "identity")
        .putHeader("user-agent", USER_AGENT);
    return new UpstreamRequest(options, Buffer.buffer());
  }

  /** Adds a header (credentials) and returns this request. */
  public UpstreamRequest header(String name, String value) {
    options.putHeader(name, value);
    return this;
  }
}
