package dev.tiergate.config;

import dev.tiergate.routing.Tier;
import java.util.List;
import java.util.Objects;

/**
 * A routable model: the key clients may pin, the provider serving it and the name the provider knows it by.
 *
 * @param fallbacks model keys tried in order when this one fails before the first byte reached the client
 */
public record ModelConfig(String key, String provider, String upstreamModel, Tier tier, List<String> fallbacks) {

  public ModelConfig {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(upstreamModel, "upstreamModel");
    Objects.requireNonNull(tier, "tier");
    fallbacks = List.copyOf(fallbacks);
  }
}
