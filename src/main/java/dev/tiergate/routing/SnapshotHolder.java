package dev.tiergate.routing;

import dev.tiergate.canary.CanaryState;
import dev.tiergate.security.ClientKeys;
import java.util.Objects;

/**
 * The current {@link RoutingSnapshot}, written by {@link RouterVerticle} alone and read by every HTTP verticle. A
 * volatile reference to an immutable value: readers never lock and always see a whole snapshot.
 */
public final class SnapshotHolder {

  private volatile RoutingSnapshot current;
  private volatile RegistryHealth registry = RegistryHealth.CONF;
  private volatile CanaryState canary = CanaryState.INITIAL;
  private volatile ClientKeys clientKeys = ClientKeys.NONE;

  /**
   * Whether the registry's database serves. {@code databaseConfigured} false = the embedded default (always fine).
   *
   * @param lastError why the last load failed (never a password), null after a good one
   */
  public record RegistryHealth(boolean databaseConfigured, boolean databaseReachable, String lastError) {
    static final RegistryHealth CONF = new RegistryHealth(false, true, null);
  }

  public RoutingSnapshot current() {
    RoutingSnapshot snapshot = current;
    if (snapshot == null) {
      throw new IllegalStateException("no routing snapshot yet: RouterVerticle not started");
    }
    return snapshot;
  }

  public boolean ready() {
    return current != null;
  }

  public RegistryHealth registry() {
    return registry;
  }

  /** The canary state in force (its stage is also in the snapshot's routing policy). */
  public CanaryState canary() {
    return canary;
  }

  /** The client keys in force ({@code TIERGATE_CLIENT_KEYS} and {@code tiergate_client_keys}). */
  public ClientKeys clientKeys() {
    return clientKeys;
  }

  void clientKeys(ClientKeys keys) {
    clientKeys = Objects.requireNonNull(keys);
  }

  void canary(CanaryState state) {
    canary = Objects.requireNonNull(state);
  }

  void publish(RoutingSnapshot snapshot) {
    current = Objects.requireNonNull(snapshot);
  }

  void registry(RegistryHealth health) {
    registry = Objects.requireNonNull(health);
  }
}
