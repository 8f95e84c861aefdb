package dev.tiergate.routing;

import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;

/** One place a request can be sent: a model on the provider serving it. */
public record Target(ModelConfig model, ProviderConfig provider) {

  public String route() {
    return provider.local() ? "local" : "cloud";
  }
}
