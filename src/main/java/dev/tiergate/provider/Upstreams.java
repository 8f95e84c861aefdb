package dev.tiergate.provider;

import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.ProviderFamily;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The upstream HTTP clients of one HTTP verticle instance, one per provider, created on that verticle's event loop so
 * that a call's upstream connection lives on the same loop as its client connection. Pools are sized for long-lived
 * streams: each open stream holds a connection for its whole life.
 */
public final class Upstreams {

  private final Vertx vertx;
  private final Map<String, HttpClient> clients = new HashMap<>();
  private final Map<ProviderFamily, ProviderAdapter> adapters = new EnumMap<>(ProviderFamily.class);

  public Upstreams(Vertx vertx) {
    this.vertx = vertx;
    adapters.put(ProviderFamily.OPENAI_COMPATIBLE, new OpenAiCompatibleAdapter());
    adapters.put(ProviderFamily.ANTHROPIC, new AnthropicAdapter());
    adapters.put(ProviderFamily.OLLAMA, new OllamaAdapter());
    adapters.put(ProviderFamily.GEMINI, new GeminiAdapter());
    adapters.put(ProviderFamily.COHERE, new CohereAdapter());
  }

  /**
   * The client for {@code provider}, created on first use (the registry may add providers at runtime); one per
   * provider name and address, so a provider whose base URL changed gets a fresh pool. Used on this verticle's event
   * loop only.
   */
  public HttpClient client(ProviderConfig provider) {
    String key = provider.name() + "|" + provider.baseUrl() + "|" + provider.poolSize();
    HttpClient client = clients.get(key);
    if (client == null) {
      client = vertx.httpClientBuilder()
          .with(clientOptions(provider))
          .with(new PoolOptions().setHttp1MaxSize(provider.poolSize()))
          .build();
      clients.put(key, client);
    }
    return client;
  }

  public ProviderAdapter adapter(ProviderFamily family) {
    return adapters.get(family);
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    clients.values().forEach(client -> closing.add(client.close()));
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
