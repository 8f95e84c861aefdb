package dev.tiergate.wire.anthropic;

import dev.tiergate.wire.FinishReason;

/** Anthropic's {@code stop_reason} values, both ways. */
final class AnthropicStopReason {

  private AnthropicStopReason() {
  }

  /**
   * {@code pause_turn} (a server tool loop paused) and reasons added later read as OTHER; running out of context
   * window reads as MAX_TOKENS, the nearest neighbour: the answer was cut, not finished.
   */
  static FinishReason read(String reason) {
    return switch (reason) {
      case "end_turn" -> FinishReason.END_TURN;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.MAX_TOKENS;
      case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
      case "tool_use" -> FinishReason.TOOL_USE;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /** A content filter is Anthropic's {@code refusal}; OTHER has no counterpart and becomes {@code end_turn}. */
  static String write(FinishReason reason) {
    return switch (reason) {
      case END_TURN, OTHER -> "end_turn";
      case MAX_TOKENS -> "max_tokens";
      case STOP_SEQUENCE -> "stop_sequence";
      case TOOL_USE -> "tool_use";
      case CONTENT_FILTER -> "refusal";
    };
  }

  /** The reason to report when the provider gave none: tool calls mean the model waits for their results. */
  static String writeOrDefault(FinishReason reason, boolean toolCalls) {
    if (reason != null) {
      return write(reason);
    }
    return toolCalls ? "tool_use" : "end_turn";
  }
}
