package dev.tiergate.provider;

import io.vertx.core.buffer.Buffer;

/**
 * One Server-Sent Event as received.
 *
 * @param raw   the event's bytes exactly as the upstream sent them, terminator included (for passthrough)
 * @param event the {@code event:} field, null when absent
 * @param data  the {@code data:} lines joined by {@code \n}, null when the event had none (a comment)
 */
public record SseEvent(Buffer raw, String event, String data) {

  public boolean isComment() {
    return data == null && event == null;
  }
}
