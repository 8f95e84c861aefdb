package dev.tiergate.bus;

/** Event-bus addresses of CONTRACT.md. */
public final class Addresses {

  /** One {@link CallOutcome} per finished request (publish). */
  public static final String OUTCOMES = "tiergate.outcomes";

  /**
   * Request/reply to {@code RouterVerticle}: reload the registry now. Empty body; the reply is the registry status
   * ({@code source}, {@code version}, {@code models}, {@code loadedAt}), or a failure when the database cannot be read.
   */
  public static final String REGISTRY_REFRESH = "tiergate.registry.refresh";

  private Addresses() {
  }
}
