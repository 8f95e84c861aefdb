package dev.tiergate.usage;

import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ToolSpec;
import dev.tiergate.wire.Turn;

/**
 * The gateway's token estimate where a provider reports none (a stream cut before its usage, a provider without
 * usage, a cost estimate before sending): about four characters of English text per token, plus the few tokens each
 * message costs for its role and framing. It is an estimate, and every figure built from it says so.
 */
public final class TokenEstimate {

  /** Characters per token of typical English text and code, the usual rule of thumb for BPE tokenizers. */
  private static final int CHARS_PER_TOKEN = 4;
  private static final int PER_MESSAGE = 4;
  private static final int PRIMING = 3;

  private TokenEstimate() {
  }

  /** Tokens of {@code chars} characters of generated text. */
  public static long ofChars(long chars) {
    return chars <= 0 ? 0 : (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  /** Tokens of a whole prompt: system text, every turn's parts and the tool definitions. */
  public static long prompt(Conversation conversation) {
    long chars = conversation.system() == null ? 0 : conversation.system().length();
    long messages = conversation.system() == null ? 0 : 1;
    for (Turn turn : conversation.turns()) {
      messages++;
      for (Part part : turn.parts()) {
        chars += chars(part);
      }
    }
    for (ToolSpec tool : conversation.tools()) {
      chars += tool.name().length() + (tool.description() == null ? 0 : tool.description().length())
          + (tool.parameters() == null ? 0 : tool.parameters().toString().length());
    }
    return ofChars(chars) + messages * PER_MESSAGE + PRIMING;
  }

  /** Characters of generated content in a list of parts (text and tool-call arguments). */
  public static long chars(Iterable<Part> parts) {
    long chars = 0;
    for (Part part : parts) {
      chars += chars(part);
    }
    return chars;
  }

  private static long chars(Part part) {
    return switch (part) {
      case Part.Text text -> text.text().length();
      case Part.ToolCall call -> call.name().length() + (call.arguments() == null ? 0 : call.arguments().length());
      case Part.ToolResult result -> result.content() == null ? 0 : result.content().length();
      // Providers bill images by size; a fixed share keeps the estimate honest about their presence.
      case Part.Image image -> 85 * CHARS_PER_TOKEN;
    };
  }
}
