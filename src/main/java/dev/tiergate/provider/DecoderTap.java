package dev.tiergate.provider;

import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.StreamPosition;
import dev.tiergate.wire.StreamTally;
import io.vertx.core.buffer.Buffer;

/**
 * A passthrough tap built from a family's {@link StreamDecoder}: the decoder reads each frame (catching malformed
 * frames and error events), the frame's bytes go to the client unchanged.
 */
public final class DecoderTap implements StreamTap {

  private final StreamDecoder decoder;
  private final StreamTally tally = new StreamTally(event -> { });

  public DecoderTap(StreamDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public TapAction inspect(SseEvent event) {
    if (event.isComment()) {
      return TapAction.KEEPALIVE;
    }
    decoder.decode(event, tally);
    return tally.ended() ? TapAction.DONE : TapAction.FORWARD;
  }

  @Override
  public Buffer endOfInput() {
    // Nothing can be synthesized in a format whose last frame carries data, so a complete answer adds no bytes.
    return decoder.endOfInput(tally) ? Buffer.buffer() : null;
  }

  @Override
  public Usage usage() {
    return tally.usage();
  }

  @Override
  public long outputChars() {
    return tally.outputChars();
  }

  @Override
  public void captureText() {
    tally.captureText("");
  }

  @Override
  public String capturedText() {
    return tally.toolCalls() > 0 ? null : tally.capturedText();
  }

  @Override
  public StreamPosition position() {
    return decoder.position();
  }
}
