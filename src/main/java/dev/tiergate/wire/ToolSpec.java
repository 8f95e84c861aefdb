package dev.tiergate.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A tool the model may call.
 *
 * @param name        the tool's name
 * @param description what it does, null when not given
 * @param parameters  JSON Schema of its arguments (an object schema); never null
 */
public record ToolSpec(String name, String description, ObjectNode parameters) {

  public ToolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parameters, "parameters");
  }
}
