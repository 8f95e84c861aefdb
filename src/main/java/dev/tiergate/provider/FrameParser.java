package dev.tiergate.provider;

import io.vertx.core.buffer.Buffer;

/** An incremental, bounded reader of a framed stream body (SSE events or NDJSON lines). */
public interface FrameParser {

  /**
   * Consumes {@code chunk}, passing each frame it completes to the parser's sink.
   *
   * @throws SseFormatException when one frame grows past the limit
   */
  void feed(Buffer chunk);

  /** Bytes held of an incomplete frame. */
  int buffered();
}
