package dev.tiergate.wire.openai;

import dev.tiergate.wire.FinishReason;

/** OpenAI's {@code finish_reason} values, both ways. */
public final class OpenAiFinish {

  private OpenAiFinish() {
  }

  public static FinishReason read(String reason) {
    return switch (reason) {
      case "stop" -> FinishReason.END_TURN;
      case "length" -> FinishReason.MAX_TOKENS;
      case "tool_calls", "function_call" -> FinishReason.TOOL_USE;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /** OpenAI has no separate reason for a stop sequence: it says "stop" for both. */
  public static String write(FinishReason reason) {
    return switch (reason) {
      case MAX_TOKENS -> "length";
      case TOOL_USE -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
      case END_TURN, STOP_SEQUENCE, OTHER -> "stop";
    };
  }
}
