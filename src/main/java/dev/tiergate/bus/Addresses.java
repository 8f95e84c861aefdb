package dev.tiergate.bus;

/** Event-bus addresses of CONTRACT.md. */
public final class Addresses {

  /** One {@link CallOutcome} per finished request (publish). */
  public static final String OUTCOMES = "tiergate.outcomes";

  private Addresses() {
  }
}
