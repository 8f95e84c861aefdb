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

  /**
   * Request/reply to {@code RouterVerticle}: {@code {"action": "advance|set|pause|resume|rollback|history",
   * "stage": N, "actor": "…", "reason": "…"}}; the reply is the new state (or the history), a refusal fails with 409.
   */
  public static final String CANARY_COMMANDS = "tiergate.canary.commands";

  /** Every canary state change (rollbacks included), published as JSON: from, to, action, actor, reason, gates. */
  public static final String CANARY_EVENTS = "tiergate.canary.events";

  /** Request/reply to {@code MetricsVerticle}: the current gate report (local codec). */
  public static final String CANARY_QUALITY = "tiergate.canary.quality";

  /**
   * Request/reply to {@code MetricsVerticle}: {@code {"since": "ISO instant", "by": "provider|model|tier|route|key",
   * "source": "memory|database"|null}}; the reply is the usage report as JSON, a database failure fails with 503.
   */
  public static final String USAGE_QUERY = "tiergate.usage.query";

  private Addresses() {
  }
}
