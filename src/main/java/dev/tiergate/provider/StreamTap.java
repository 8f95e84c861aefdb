package dev.tiergate.provider;

import dev.tiergate.wire.StreamPosition;
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

  /** Keeps the answer's text from now on, for {@link #capturedText()}: asked when the answer may need continuing. */
  void captureText();

  /**
   * The answer's text relayed so far, when another model could continue it: null when not capturing, or when the
   * answer holds more than text (a tool call, a refusal), which no prefill can carry on.
   */
  String capturedText();

  /** Where the relayed stream stands, as the client saw it. */
  default StreamPosition position() {
    return StreamPosition.UNKNOWN;
  }
}
