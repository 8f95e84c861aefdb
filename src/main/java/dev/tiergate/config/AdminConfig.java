package dev.tiergate.config;

import java.util.Optional;

/**
 * The admin listener (admin API and Prometheus scrape).
 *
 * @param token bearer token for the admin API; when absent the admin API answers loopback clients only
 */
public record AdminConfig(String host, int port, Optional<Secret> token) {

  public AdminConfig {
    Checks.port("admin.port", port);
  }
}
