package dev.tiergate.provider;

import io.vertx.core.buffer.Buffer;

/**
 * Reads a passthrough stream without changing it: usage, finish reason, end marker, upstream error events. One per
 * call; used on the call's event loop only.
 */
public interface StreamTap {

  /**
   * Inspects one upstream event.
   *
   * @throws dev.tiergate.http.GatewayException when the event is malformed or is an upstream error report
   */
  TapAction inspect(SseEvent event);

  /**
   * The upstream ended the body without its end marker: the bytes that complete the client's stream when the answer
   * is nonetheless complete (possibly none), or null when the stream was cut.
   */
  Buffer endOfInput();

  /** Token usage and finish reason seen so far. */
  Usage usage();

  /** Characters of generated text and tool-call arguments relayed so far (for a token estimate). */
  long outputChars();
}
