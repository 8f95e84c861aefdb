package dev.tiergate.canary;

import java.util.Locale;

/**
 * Where the canary rollout stands. {@code ACTIVE}: the stage's share goes to the local arm and may advance;
 * {@code PAUSED}: the share stays where it is and nothing advances; {@code ROLLED_BACK}: stage 0 until someone resumes
 * or sets a stage. The wire names are the values of {@code llm_canary_state.status}.
 */
public enum CanaryStatus {
  ACTIVE("active"),
  PAUSED("paused"),
  ROLLED_BACK("rolled_back");

  private final String wireName;

  CanaryStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name in JSON, the database and the CLI. */
  public String wireName() {
    return wireName;
  }

  /**
   * The status named {@code text} ({@code active}, {@code paused}, {@code rolled_back}; case-insensitive).
   *
   * @throws IllegalArgumentException for null or any other text
   */
  public static CanaryStatus parse(String text) {
    if (text != null) {
      String wanted = text.trim().toLowerCase(Locale.ROOT);
      for (CanaryStatus status : values()) {
        if (status.wireName.equals(wanted)) {
          return status;
        }
      }
    }
    throw new IllegalArgumentException("unknown canary status '" + text + "' (expected active, paused or rolled_back)");
  }
}
