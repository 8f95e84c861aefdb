package dev.tiergate.wire;

/**
 * Why the model stopped, in the gateway's terms. Each format maps its own reasons in and out; a reason a format cannot
 * express maps to its nearest neighbour (documented at each mapping).
 */
public enum FinishReason {
  /** The model finished its answer. */
  END_TURN,
  /** The output limit was reached. */
  MAX_TOKENS,
  /** A stop sequence was generated. */
  STOP_SEQUENCE,
  /** The model is waiting for tool results. */
  TOOL_USE,
  /** A safety or content filter stopped the answer. */
  CONTENT_FILTER,
  /** Anything else the provider reported. */
  OTHER
}
