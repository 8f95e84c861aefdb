package dev.tiergate.wire;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role  who said it; tool results travel in {@link Role#TOOL} turns whatever the wire format calls them
 * @param parts text, images, tool calls (assistant) and tool results (tool), in order
 */
public record Turn(Role role, List<Part> parts) {

  /** The speaker of a turn. */
  public enum Role { USER, ASSISTANT, TOOL }

  public Turn {
    Objects.requireNonNull(role, "role");
    parts = List.copyOf(parts);
  }

  /** The turn's text parts joined, "" when it has none. */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Part.Text t) {
        text.append(t.text());
      }
    }
    return text.toString();
  }
}
