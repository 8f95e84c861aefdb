package dev.tiergate.wire;

import io.vertx.core.buffer.Buffer;

/**
 * Writes {@link StreamEvent}s as one client format's stream. It buffers only what the format forces it to (a tool
 * call whose format wants whole arguments, a final frame that must carry usage); text goes out as it comes. One
 * instance per call; used on the call's event loop only.
 */
public interface StreamEncoder extends EventSink {

  /** The bytes encoded since the last call, null when there are none. */
  Buffer take();

  /** Where the stream written so far stands, for another model's answer to carry on in it. */
  default StreamPosition position() {
    return StreamPosition.UNKNOWN;
  }
}
