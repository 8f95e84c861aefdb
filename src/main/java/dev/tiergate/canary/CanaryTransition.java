package dev.tiergate.canary;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the canary audit trail ({@code llm_canary_transitions}): a change of stage or status, who made it, why,
 * and the gate figures at that moment.
 *
 * @param id     assigned by the store; 0 for a transition not yet stored
 * @param at     assigned by the store when it records the transition
 * @param action what was done: {@code advance}, {@code set}, {@code pause}, {@code resume}, {@code rollback}, …
 * @param actor  who did it (an admin, the CLI, {@code auto-rollback}, …)
 * @param reason free text; may be null
 * @param gates  the gate figures when it happened; copied in and out, empty when none were given
 */
public record CanaryTransition(long id, Instant at, int fromStage, int toStage, CanaryStatus fromStatus,
                              CanaryStatus toStatus, String action, String actor, String reason, JsonObject gates) {

  public CanaryTransition {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(fromStatus, "fromStatus");
    Objects.requireNonNull(toStatus, "toStatus");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(actor, "actor");
    gates = gates == null ? new JsonObject() : gates.copy();
  }

  /** A transition from {@code from} to {@code to}, not yet stored: the store assigns {@code id} and {@code at}. */
  public static CanaryTransition between(CanaryState from, CanaryState to, String action, String actor, String reason,
                                         JsonObject gates) {
    return new CanaryTransition(0, to.updatedAt(), from.stage(), to.stage(), from.status(), to.status(), action, actor,
        reason, gates);
  }

  /** A copy; the transition itself stays unchanged. */
  @Override
  public JsonObject gates() {
    return gates.copy();
  }

  /** This transition as the store recorded it. */
  CanaryTransition stored(long storedId, Instant storedAt) {
    return new CanaryTransition(storedId, storedAt, fromStage, toStage, fromStatus, toStatus, action, actor, reason,
        gates);
  }

  /**
   * {@code {"id", "at", "fromStage", "toStage", "fromStatus", "toStatus", "action", "actor", "reason", "gates"}}, as
   * {@code GET /admin/canary/history} shows it.
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("at", at.toString())
        .put("fromStage", fromStage)
        .put("toStage", toStage)
        .put("fromStatus", fromStatus.wireName())
        .put("toStatus", toStatus.wireName())
        .put("action", action)
        .put("actor", actor)
        .put("reason", reason)
        .put("gates", gates.copy());
  }
}
