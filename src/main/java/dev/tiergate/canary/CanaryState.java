package dev.tiergate.canary;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * The persisted canary state: one row ({@code llm_canary_state}), changed only through {@link CanaryStore#apply}.
 *
 * @param stage      percentage of eligible traffic sent to the local arm (0–100)
 * @param version    optimistic-concurrency version; the store sets it (expected + 1) on every change
 * @param thresholds gate thresholds stored with the state ({@code maxErrorRate}, {@code maxLatencyRatio},
 *                   {@code maxConsecutiveFailures}, {@code minSamples}); copied in and out, never shared
 * @param updatedAt  when the store last wrote the state (the store stamps it)
 * @param updatedBy  who made the last change (an admin, the CLI, {@code auto-rollback}, …)
 */
public record CanaryState(int stage, CanaryStatus status, long version, JsonObject thresholds, Instant updatedAt,
                          String updatedBy) {

  /** The state of a fresh schema: stage 0, active, version 1, the default thresholds. */
  public static final CanaryState INITIAL = new CanaryState(0, CanaryStatus.ACTIVE, 1, defaultThresholds(),
      Instant.EPOCH, "system");

  public CanaryState {
    if (stage < 0 || stage > 100) {
      throw new IllegalArgumentException("canary stage must be from 0 to 100, is " + stage);
    }
    Objects.requireNonNull(status, "status");
    if (version < 1) {
      throw new IllegalArgumentException("canary version must be at least 1, is " + version);
    }
    thresholds = Objects.requireNonNull(thresholds, "thresholds").copy();
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(updatedBy, "updatedBy");
  }

  /** The default gate thresholds, the same as the column default of {@code llm_canary_state.thresholds}. */
  public static JsonObject defaultThresholds() {
    return new JsonObject().put("maxErrorRate", 0.05).put("maxLatencyRatio", 2.0).put("maxConsecutiveFailures", 3)
        .put("minSamples", 10);
  }

  /** A copy; the state itself stays unchanged. */
  @Override
  public JsonObject thresholds() {
    return thresholds.copy();
  }

  /** This state with another stage and status, as proposed by {@code actor}; the store sets version and time. */
  public CanaryState moveTo(int newStage, CanaryStatus newStatus, String actor) {
    return new CanaryState(newStage, newStatus, version, thresholds, updatedAt, actor);
  }

  /** {@code {"stage", "status", "version", "thresholds", "updatedAt", "updatedBy"}}, as the admin API shows it. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("stage", stage)
        .put("status", status.wireName())
        .put("version", version)
        .put("thresholds", thresholds.copy())
        .put("updatedAt", updatedAt.toString())
        .put("updatedBy", updatedBy);
  }
}
