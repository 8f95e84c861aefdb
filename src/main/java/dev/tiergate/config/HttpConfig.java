package dev.tiergate.config;

import java.util.Optional;

/**
 * The public API listener.
 *
 * @param host         bind address
 * @param port         bind port (0 = any free port)
 * @param instances    HTTP verticle instances; 0 = one per event loop
 * @param maxBodyBytes largest request body accepted; larger bodies are refused with 413 before being buffered
 * @param limits       admission ceilings and slow-client deadlines
 * @param tls          inbound TLS; empty = plain HTTP
 * @param h2c          HTTP/2 in clear text (prior knowledge) besides HTTP/1.1; off by default because the listener
 *                     then only sees a connection once its first bytes arrive, so silent connections escape the
 *                     connection ceiling and the head deadline
 */
public record HttpConfig(String host, int port, int instances, long maxBodyBytes, ListenerLimits limits,
                         Optional<TlsConfig> tls, boolean h2c) {

  public HttpConfig {
    Checks.port("http.port", port);
    Checks.atLeast("http.instances", instances, 0);
    Checks.atLeast("http.maxBodyBytes", maxBodyBytes, 1024);
  }
}
