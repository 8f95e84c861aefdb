package dev.tiergate.bus;

/** Event-bus addresses of CONTRACT.md. */
public final class Addresses {

  /** One {@link CallOutcome} per finished request (publish). */
  public static final String OUTCOMES = "tiergate.outcomes";
  /** Request/reply completion API for other Vert.x services. */
  public static final String COMPLETIONS = "tiergate.completions";
  /** Every canary stage change. */
  public static final String CANARY_EVENTS = "tiergate.canary.events";
  /** Canary commands to the router. */
  public static final String CANARY_COMMANDS = "tiergate.canary.commands";

  private Addresses() {
  }
}
