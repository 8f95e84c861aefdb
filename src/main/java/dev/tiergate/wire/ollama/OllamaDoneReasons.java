package dev.tiergate.wire.ollama;

import dev.tiergate.wire.FinishReason;

/**
 * Ollama's {@code done_reason}: {@code stop} or {@code length} for an answer ({@code load} and {@code unload} answer a
 * request without messages). It has no reason of its own for tool calls: an answer that calls tools ends with
 * {@code stop}.
 */
final class OllamaDoneReasons {

  private OllamaDoneReasons() {
  }

  /** The gateway's reason; {@code stop} (or none) is TOOL_USE when the answer called tools. */
  static FinishReason read(String doneReason, boolean calledTools) {
    if (doneReason == null || doneReason.isEmpty() || doneReason.equals("stop")) {
      return calledTools ? FinishReason.TOOL_USE : FinishReason.END_TURN;
    }
    return doneReason.equals("length") ? FinishReason.MAX_TOKENS : FinishReason.OTHER;
  }

  /** Ollama's reason: only the output limit has a name of its own; everything else is {@code stop}. */
  static String write(FinishReason reason) {
    return reason == FinishReason.MAX_TOKENS ? "length" : "stop";
  }
}
