package dev.tiergate.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One named upstream provider.
 *
 * @param name        the provider's name in config ({@code openai}, {@code vllm}, …)
 * @param family      wire family of its API; decides which adapter speaks to it
 * @param baseUrl     API root, e.g. {@code https://api.openai.com/v1}; the adapter appends its paths
 * @param apiKey      the key the gateway sends; never a client's key
 * @param timeouts    connect / first byte / idle / maximum duration
 * @param poolSize    HTTP/1.1 connections per event loop to this provider; each live stream holds one
 * @param streamUsage whether the provider accepts {@code stream_options.include_usage}
 * @param local       whether it runs on the operator's own hardware (the {@code local} route); a local provider may
 *                    always use loopback and private addresses
 * @param allowPrivateNetwork whether this (non-local) provider may use loopback and private addresses; link-local and
 *                    metadata addresses stay refused either way (see {@code UpstreamGuard})
 */
public record ProviderConfig(String name, ProviderFamily family, URI baseUrl, Optional<Secret> apiKey,
                             ProviderTimeouts timeouts, int poolSize, boolean streamUsage,
                             boolean local, boolean allowPrivateNetwork) {

  public ProviderConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Checks.atLeast("providers." + name + ".poolSize", poolSize, 1);
  }

  /** Whether the upstream guard lets this provider reach loopback and private addresses. */
  public boolean privateNetworkAllowed() {
    return local || allowPrivateNetwork;
  }

  public boolean tls() {
    return "https".equalsIgnoreCase(baseUrl.getScheme());
  }

  public int port() {
    return baseUrl.getPort() > 0 ? baseUrl.getPort() : tls() ? 443 : 80;
  }

  /** The base URL for display: any user-info (credentials) in it is masked. */
  public String displayUrl() {
    return baseUrl.getRawUserInfo() == null ? baseUrl.toString()
        : baseUrl.toString().replace(baseUrl.getRawUserInfo() + "@", "***@");
  }

  /** The base URL's path without a trailing slash ("" for the root). */
  public String basePath() {
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
