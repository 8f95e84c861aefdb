package dev.tiergate.security;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide ceilings: chat requests in flight and open client connections. Past a ceiling new work is refused at
 * once (503 with {@code Retry-After}, or the connection closed) instead of queueing without bound; as work finishes
 * the counts fall and service returns by itself. Shared by every event loop.
 *
 * @see dev.tiergate.config.HttpConfig
 */
public final class LoadShedder {

  private final int maxInFlight;
  private final int maxConnections;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();

  /**
   * @param maxInFlight    chat requests in flight; 0 = no ceiling
   * @param maxConnections open client connections; 0 = no ceiling
   */
  public LoadShedder(int maxInFlight, int maxConnections) {
    this.maxInFlight = maxInFlight;
    this.maxConnections = maxConnections;
  }

  /** Takes a request slot; false (nothing taken) when the gateway is at its ceiling. */
  public boolean enter() {
    if (inFlight.incrementAndGet() > maxInFlight && maxInFlight > 0) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a slot taken by {@link #enter()}. */
  public void exit() {
    inFlight.decrementAndGet();
  }

  /** Counts a new connection; false (not counted) when it must be closed at once. */
  public boolean connected() {
    if (connections.incrementAndGet() > maxConnections && maxConnections > 0) {
      connections.decrementAndGet();
      return false;
    }
    return true;
  }

  public void disconnected() {
    connections.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int connections() {
    return connections.get();
  }
}
