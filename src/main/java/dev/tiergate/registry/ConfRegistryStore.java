package dev.tiergate.registry;

import dev.tiergate.config.GatewayConfig;
import io.vertx.core.Future;
import java.time.Instant;

/** The embedded default: the registry of {@code conf/tiergate.json} (with its environment overrides), in memory. */
public final class ConfRegistryStore implements RegistryStore {

  private final GatewayConfig config;

  public ConfRegistryStore(GatewayConfig config) {
    this.config = config;
  }

  /** The registry as configured, without going through a future (start-up needs it at once). */
  public Registry registry() {
    return new Registry("conf", config.providers(), config.models(), config.tiers(), config.routing().localModels(),
        Instant.now());
  }

  @Override
  public Future<Registry> load() {
    return Future.succeededFuture(registry());
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
