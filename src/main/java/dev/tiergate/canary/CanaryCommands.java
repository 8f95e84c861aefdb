package dev.tiergate.canary;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The canary state machine as a function: the current state, a command and the gates in, the next state or a refusal
 * out. Stages follow the configured list (0 → 5 → 25 → 50 → 100); statuses are active, paused and rolled back.
 * Paused: the share stays where it is and nothing advances. Rolled back: stage 0 until someone resumes (to stage 0,
 * active) or sets a stage.
 */
public final class CanaryCommands {

  /** The commands of the admin API and the CLI. */
  public enum Action {
    ADVANCE, SET, PAUSE, RESUME, ROLLBACK;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Action parse(String value) {
      for (Action action : values()) {
        if (action.wireName().equalsIgnoreCase(value == null ? "" : value.trim())) {
          return action;
        }
      }
      throw new IllegalArgumentException("unknown canary command '" + value + "'");
    }
  }

  /**
   * The result of a command.
   *
   * @param next    the state to store, null when refused or when nothing changes
   * @param refusal why the command was refused, null when accepted
   */
  public record Result(CanaryState next, String refusal) {

    public boolean accepted() {
      return refusal == null;
    }
  }

  private CanaryCommands() {
  }

  /**
   * @param stage    the target stage of {@link Action#SET}, ignored otherwise
   * @param gates    the quality report at this moment; {@link Action#ADVANCE} needs every gate to pass
   * @param stages   the configured stage list, ascending
   */
  public static Result apply(CanaryState current, Action action, Integer stage, GateReport gates, List<Integer> stages,
                             String actor, Instant now) {
    return switch (action) {
      case ADVANCE -> advance(current, gates, stages, actor, now);
      case SET -> set(current, stage, stages, actor, now);
      case PAUSE -> current.status() == CanaryStatus.PAUSED ? refused("the canary is already paused")
          : accepted(current, current.stage(), CanaryStatus.PAUSED, actor, now);
      case RESUME -> current.status() == CanaryStatus.ACTIVE ? refused("the canary is already active")
          : accepted(current, current.status() == CanaryStatus.ROLLED_BACK ? 0 : current.stage(), CanaryStatus.ACTIVE,
              actor, now);
      case ROLLBACK -> current.status() == CanaryStatus.ROLLED_BACK && current.stage() == 0
          ? refused("the canary is already rolled back")
          : accepted(current, 0, CanaryStatus.ROLLED_BACK, actor, now);
    };
  }

  private static Result advance(CanaryState current, GateReport gates, List<Integer> stages, String actor,
                                Instant now) {
    if (current.status() != CanaryStatus.ACTIVE) {
      return refused("the canary is " + current.status().wireName() + ": resume it before advancing");
    }
    int index = stages.indexOf(current.stage());
    int next = -1;
    for (int candidate : stages) {
      if (candidate > current.stage()) {
        next = candidate;
        break;
      }
    }
    if (next < 0 || (index >= 0 && index == stages.size() - 1)) {
      return refused("the canary is at its last stage (" + current.stage() + ")");
    }
    if (gates == null || !gates.allPass()) {
      String blocking = gates == null ? "no quality report" : String.join(", ", gates.blocking().stream()
          .map(g -> g.name() + " " + g.verdict().name().toLowerCase(Locale.ROOT)).toList());
      return refused("advance refused: gates not passing (" + blocking + ")");
    }
    return accepted(current, next, CanaryStatus.ACTIVE, actor, now);
  }

  private static Result set(CanaryState current, Integer stage, List<Integer> stages, String actor, Instant now) {
    if (stage == null || !stages.contains(stage)) {
      return refused("stage must be one of " + stages);
    }
    return accepted(current, stage, CanaryStatus.ACTIVE, actor, now);
  }

  private static Result accepted(CanaryState current, int stage, CanaryStatus status, String actor, Instant now) {
    return new Result(new CanaryState(stage, status, current.version() + 1, current.thresholds(), now, actor), null);
  }

  private static Result refused(String why) {
    return new Result(null, why);
  }
}
