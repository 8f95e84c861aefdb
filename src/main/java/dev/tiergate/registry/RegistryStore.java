package dev.tiergate.registry;

import io.vertx.core.Future;

/**
 * Where the model registry comes from: {@code conf/} (the embedded default) or PostgreSQL. Same behaviour either
 * way; {@code RouterVerticle} loads it at start-up, on a timer, on demand and on change notifications.
 */
public interface RegistryStore {

  /** Reads the whole registry. Fails (never hangs) when the source is unreachable or its content is invalid. */
  Future<Registry> load();

  /** Frees connections; the store is not used afterwards. */
  Future<Void> close();
}
