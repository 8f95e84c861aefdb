package dev.tiergate.http;

import dev.tiergate.config.TlsConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * Inbound TLS on the public port, and which engine serves it: OpenSSL (BoringSSL through netty-tcnative, shipped for
 * the common platforms) when it loads, else the JDK's — the same protocols either way, OpenSSL is faster per handshake
 * and per byte. Provider clients pick their engine the same way ({@code Upstreams}).
 */
public final class Tls {

  private Tls() {
  }

  /** The engine to use: OpenSSL when netty-tcnative loaded on this platform, else the JDK's. */
  public static SSLEngineOptions engine() {
    return OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }

  /** Which engine {@link #engine()} picks, for the start-up log. */
  public static String engineName() {
    return OpenSSLEngineOptions.isAvailable() ? "openssl (netty-tcnative)" : "jdk";
  }

  /** Inbound TLS on the public port from PEM files. */
  static void serve(HttpServerOptions options, TlsConfig tls) {
    options.setSsl(true)
        .setSslEngineOptions(engine())
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath().toString())
            .setKeyPath(tls.keyPath().toString()));
  }
}
