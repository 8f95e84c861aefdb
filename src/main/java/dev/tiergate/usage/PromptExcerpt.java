package dev.tiergate.usage;

import dev.tiergate.provider.Redactor;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.Turn;

/**
 * The access log's debug view of a prompt: the start of the last user message, with anything shaped like a key or a
 * bearer token redacted. Only built when {@code observability.accessLogPrompts} is on.
 */
public final class PromptExcerpt {

  private PromptExcerpt() {
  }

  public static String of(Conversation conversation) {
    for (Turn turn : conversation.turns().reversed()) {
      if (turn.role() != Turn.Role.USER) {
        continue;
      }
      StringBuilder text = new StringBuilder();
      for (Part part : turn.parts()) {
        if (part instanceof Part.Text t) {
          text.append(t.text()).append(' ');
        }
      }
      return Redactor.clip(text.toString().strip());
    }
    return "";
  }
}
