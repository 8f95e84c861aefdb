package dev.tiergate.provider;

import dev.tiergate.http.GatewayException;

/**
 * Reads a passthrough stream without changing it: usage, finish reason, end marker, upstream error events. One per
 * call; used on the call's event loop only.
 */
public interface StreamTap {

  /**
   * Inspects one upstream event.
   *
   * @throws GatewayException when the event is malformed or is an upstream error report
   */
  TapAction inspect(SseEvent event);

  /** Token usage and finish reason seen so far. */
  Usage usage();
}
