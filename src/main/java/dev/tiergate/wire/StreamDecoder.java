package dev.tiergate.wire;

import dev.tiergate.provider.SseEvent;

/**
 * Reads one provider's stream into {@link StreamEvent}s, frame by frame as they arrive (an SSE event, or one NDJSON
 * line carried in {@link SseEvent#data()}). One instance per call; used on the call's event loop only.
 */
public interface StreamDecoder {

  /**
   * Decodes one upstream frame. Comments and frames that carry nothing for the client produce no event.
   *
   * @throws dev.tiergate.http.GatewayException when the frame is malformed or reports an upstream error
   */
  void decode(SseEvent frame, EventSink sink);

  /**
   * The upstream ended the body without its terminal frame. Returns true (after emitting any missing
   * {@link StreamEvent.Finish} and the {@link StreamEvent.End}) when the answer is complete nonetheless — a format
   * whose streams simply end (Gemini), or a finish reason already seen — and false when the stream was cut.
   */
  boolean endOfInput(EventSink sink);

  /**
   * Where the upstream's stream stands, as its own frames tell: what a client that received those frames unchanged
   * has seen (for a continuation after a passthrough).
   */
  default StreamPosition position() {
    return StreamPosition.UNKNOWN;
  }
}
