package dev.tiergate.provider;

import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.http.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream HTTP clients of one HTTP verticle instance, one per provider, created on that verticle's event loop so
 * that a call's upstream connection lives on the same loop as its client connection. Pools are sized for long-lived
 * streams: each open stream holds a connection for its whole life.
 */
public final class Upstreams {

  private final Vertx vertx;
  private final ResolvedHosts hosts;
  private final Map<String, Pooled> clients = new HashMap<>();
  private final Map<String, Optional<InetAddress>> literals = new HashMap<>();
  private final Map<ProviderFamily, ProviderAdapter> adapters = new EnumMap<>(ProviderFamily.class);

  public Upstreams(Vertx vertx) {
    this.vertx = vertx;
    this.hosts = ResolvedHosts.of(vertx);
    adapters.put(ProviderFamily.OPENAI_COMPATIBLE, new OpenAiCompatibleAdapter());
    adapters.put(ProviderFamily.ANTHROPIC, new AnthropicAdapter());
    adapters.put(ProviderFamily.OLLAMA, new OllamaAdapter());
    adapters.put(ProviderFamily.GEMINI, new GeminiAdapter());
    adapters.put(ProviderFamily.COHERE, new CohereAdapter());
  }

  /**
   * Opens a request to {@code provider} once the address it would reach passes {@link UpstreamGuard}: a literal IP host
   * is checked as it is; a host name is resolved (cached, off the event loop), every address it resolves to is checked,
   * and the connection goes to the checked address while the Host header and TLS SNI keep the name, so a DNS answer
   * that changes between the check and the connect cannot move it. Redirects are never followed. A refusal fails with
   * 502 {@code upstream_address_refused}, neither retried nor counted against the provider's circuit. Completes on the
   * caller's context.
   */
  public Future<HttpClientRequest> request(ProviderConfig provider, RequestOptions options) {
    options.setFollowRedirects(false);
    String host = options.getHost() != null ? options.getHost() : provider.baseUrl().getHost();
    // Whether a host is an IP literal never changes: parsed once per host, not per request.
    Optional<InetAddress> literal = literals.computeIfAbsent(host, h -> Optional.ofNullable(UpstreamGuard.literal(h)));
    if (literal.isPresent()) {
      return checked(provider, options, List.of(literal.get()), false);
    }
    List<InetAddress> known = hosts.cached(host);
    if (known != null) {
      return checked(provider, options.setHost(host), known, true);
    }
    // A shared lookup may complete on another verticle's loop: come back to this one before touching the clients.
    Context here = vertx.getOrCreateContext();
    Promise<List<InetAddress>> resolved = Promise.promise();
    hosts.resolve(host).onComplete(ar -> here.runOnContext(v -> resolved.handle(ar)));
    return resolved.future().compose(addresses -> checked(provider, options.setHost(host), addresses, true));
  }

  private Future<HttpClientRequest> checked(ProviderConfig provider, RequestOptions options,
                                            List<InetAddress> addresses, boolean pin) {
    if (addresses.isEmpty()) {
      return Future.failedFuture(refused(provider, options.getHost() + " resolved to no address"));
    }
    // Fail closed: one refused address refuses the name, whichever address the connection would have used.
    for (InetAddress address : addresses) {
      String refusal = UpstreamGuard.refusal(address, provider.privateNetworkAllowed());
      if (refusal != null) {
        return Future.failedFuture(refused(provider, refusal));
      }
    }
    if (pin) {
      int port = options.getPort() != null ? options.getPort() : provider.port();
      options.setServer(SocketAddress.inetSocketAddress(port, addresses.getFirst().getHostAddress()));
    }
    return client(provider).request(options);
  }

  private static GatewayException refused(ProviderConfig provider, String reason) {
    return GatewayException.upstreamRefused("upstream_address_refused",
        "The upstream address of provider '" + provider.name() + "' is not allowed: " + reason);
  }

  /**
   * The client for {@code provider}, created on first use (the registry may add providers at runtime); a provider
   * whose address or pool size changed gets a fresh one. The common case — the same provider object as last time —
   * costs one map lookup. Used on this verticle's event loop only.
   */
  public HttpClient client(ProviderConfig provider) {
    Pooled pooled = clients.get(provider.name());
    if (pooled != null && (pooled.provider == provider || pooled.serves(provider))) {
      pooled.provider = provider;
      return pooled.client;
    }
    HttpClient client = vertx.httpClientBuilder()
        .with(clientOptions(provider))
        .with(new PoolOptions().setHttp1MaxSize(provider.poolSize()))
        .build();
    // The old client is not closed: calls in flight on it finish there (address changes are rare operator actions).
    clients.put(provider.name(), new Pooled(provider, client));
    return client;
  }

  /** A provider's client and the provider it was built for. */
  private static final class Pooled {
    private ProviderConfig provider;
    private final HttpClient client;

    Pooled(ProviderConfig provider, HttpClient client) {
      this.provider = provider;
      this.client = client;
    }

    boolean serves(ProviderConfig other) {
      return provider.baseUrl().equals(other.baseUrl()) && provider.poolSize() == other.poolSize()
          && provider.timeouts().connectMs() == other.timeouts().connectMs();
    }
  }

  public ProviderAdapter adapter(ProviderFamily family) {
    return adapters.get(family);
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    clients.values().forEach(pooled -> closing.add(pooled.client.close()));
    return Future.join(closing).mapEmpty();
  }

  private static HttpClientOptions clientOptions(ProviderConfig provider) {
    HttpClientOptions options = new HttpClientOptions()
        .setDefaultHost(provider.baseUrl().getHost())
        .setDefaultPort(provider.port())
        .setSsl(provider.tls())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, provider.timeouts().connectMs()))
        .setKeepAlive(true)
        .setKeepAliveTimeout(60)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false);
    if (provider.tls() && OpenSSLEngineOptions.isAvailable()) {
      options.setSslEngineOptions(new OpenSSLEngineOptions());
    }
    return options;
  }
}
