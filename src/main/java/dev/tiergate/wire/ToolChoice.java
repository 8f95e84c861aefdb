package dev.tiergate.wire;

import java.util.Objects;

/**
 * Whether and which tool the model must call.
 *
 * @param mode AUTO (model decides), NONE (no tool), ANY (some tool), TOOL (the named one)
 * @param name the tool for {@link Mode#TOOL}, else null
 */
public record ToolChoice(Mode mode, String name) {

  /** How tools may be used. */
  public enum Mode { AUTO, NONE, ANY, TOOL }

  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);

  public ToolChoice {
    Objects.requireNonNull(mode, "mode");
    if (mode == Mode.TOOL) {
      Objects.requireNonNull(name, "name");
    }
  }
}
