package dev.tiergate.wire;

/**
 * The gateway's internal stream vocabulary: every provider stream is decoded into these events, every client stream
 * is encoded from them. Order guarantees decoders keep: {@link MessageStart} first; a tool call's {@link ToolCallStart}
 * before its {@link ToolCallDelta}s; {@link Finish} at most once; {@link End} last, once, only for a complete stream.
 * Errors are not events: a decoder throws {@code GatewayException} and the relay ends the stream in the client's
 * format.
 */
public sealed interface StreamEvent {

  /** The assistant message begins. */
  record MessageStart() implements StreamEvent {
  }

  /** Text of the answer, in order; never empty. */
  record TextDelta(String text) implements StreamEvent {
  }

  /**
   * A tool call begins.
   *
   * @param index the call's position among this answer's tool calls, from 0
   */
  record ToolCallStart(int index, String id, String name) implements StreamEvent {
  }

  /** A fragment of a tool call's JSON arguments; the fragments of one index concatenate to the whole. */
  record ToolCallDelta(int index, String arguments) implements StreamEvent {
  }

  /**
   * Token counts as totals so far (never increments: a later report replaces an earlier one); -1 when that count is
   * unknown, so a report of only one side keeps the other.
   */
  record Usage(long promptTokens, long completionTokens) implements StreamEvent {
  }

  /** Why the answer ended. */
  record Finish(FinishReason reason) implements StreamEvent {
  }

  /** The stream is complete. */
  record End() implements StreamEvent {
  }

  MessageStart MESSAGE_START = new MessageStart();
  End END = new End();
}
