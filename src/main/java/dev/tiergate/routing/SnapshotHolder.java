package dev.tiergate.routing;

import java.util.Objects;

/**
 * The current {@link RoutingSnapshot}, written by {@link RouterVerticle} alone and read by every HTTP verticle. A
 * volatile reference to an immutable value: readers never lock and always see a whole snapshot.
 */
public final class SnapshotHolder {

  private volatile RoutingSnapshot current;

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

  void publish(RoutingSnapshot snapshot) {
    current = Objects.requireNonNull(snapshot);
  }
}
