package dev.tiergate.config;

/**
 * The public API listener.
 *
 * @param host         bind address
 * @param port         bind port (0 = any free port)
 * @param instances    HTTP verticle instances; 0 = one per event loop
 * @param maxBodyBytes largest request body accepted; larger bodies are refused with 413 before being buffered
 */
public record HttpConfig(String host, int port, int instances, long maxBodyBytes) {

  public HttpConfig {
    Checks.port("http.port", port);
    Checks.atLeast("http.instances", instances, 0);
    Checks.atLeast("http.maxBodyBytes", maxBodyBytes, 1024);
  }
}
