package dev.tiergate.wire;

/**
 * Where a client's stream stands, so that another model's answer can carry on in it: the message id the client saw
 * (null when it saw the gateway's own) and, for a format with content blocks (Anthropic), the block still open and
 * the next free block index.
 *
 * @param messageId  the id of the message the client is assembling, null when the gateway chose it
 * @param openBlock  the index of the content block not yet closed, -1 when none is open
 * @param openIsText whether that open block is a text block (more text may go into it)
 * @param nextBlock  the index the next content block takes
 */
public record StreamPosition(String messageId, int openBlock, boolean openIsText, int nextBlock) {

  /** Nothing known: no id, no open block. */
  public static final StreamPosition UNKNOWN = new StreamPosition(null, -1, false, 0);
}
