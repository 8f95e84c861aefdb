package dev.tiergate.usage;

import dev.tiergate.provider.Redactor;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.Turn;
import java.util.List;

/**
 * The access log's debug view of a prompt: the start of the last user message, with anything shaped like a key or a
 * bearer token redacted. Only built when {@code observability.accessLogPrompts} is on.
 */
public final class PromptExcerpt {

  private PromptExcerpt() {
  }

  /**
   * @param secrets values known to be secret (provider keys, client keys, the admin token), removed wherever they
   *                appear, whatever their shape
   */
  public static String of(Conversation conversation, List<String> secrets) {
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
      String excerpt = text.toString().strip();
      for (String secret : secrets) {
        excerpt = excerpt.replace(secret, "[redacted]");
      }
      return Redactor.clip(excerpt);
    }
    return "";
  }
}
