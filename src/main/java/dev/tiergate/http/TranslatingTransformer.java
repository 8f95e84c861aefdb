package dev.tiergate.http;

import dev.tiergate.provider.SseEvent;
import dev.tiergate.provider.Usage;
import dev.tiergate.wire.EventSink;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.StreamEncoder;
import dev.tiergate.wire.StreamTally;
import dev.tiergate.wire.ThinkStripper;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Provider format in, client format out, frame by frame: decoder → (think stripper) → tally → encoder. Nothing is
 * collected beyond what the encoder's format forces it to hold.
 */
final class TranslatingTransformer implements StreamTransformer {

  private final StreamDecoder decoder;
  private final StreamEncoder encoder;
  private final StreamTally tally;
  private final ThinkStripper stripper;
  private final EventSink pipeline;
  private final Buffer heartbeat;

  /**
   * @param heartbeat    the client format's keep-alive, relayed for upstream keep-alives once content started; null
   *                     for none
   * @param captureSeed  the text the client already has, to keep the answer's text after it; null to keep none
   * @param continuation set when this call continues another model's broken answer, null otherwise
   */
  TranslatingTransformer(StreamDecoder decoder, StreamEncoder encoder, boolean stripThinking, Buffer heartbeat,
                         String captureSeed, Continuation continuation) {
    this.decoder = decoder;
    this.encoder = encoder;
    this.tally = new StreamTally(encoder);
    if (captureSeed != null) {
      tally.captureText(captureSeed);
    }
    this.stripper = stripThinking ? new ThinkStripper(tally) : null;
    EventSink stripped = stripper != null ? stripper : tally;
    this.pipeline = continuation != null ? continuation.front(stripped) : stripped;
    this.heartbeat = heartbeat;
  }

  @Override
  public boolean onFrame(SseEvent frame, boolean contentStarted, Consumer<Buffer> out) {
    if (frame.isComment()) {
      if (contentStarted && heartbeat != null) {
        out.accept(heartbeat.copy());
      }
      return false;
    }
    decoder.decode(frame, pipeline);
    drain(out);
    return tally.ended();
  }

  @Override
  public boolean onUpstreamEnd(Consumer<Buffer> out) {
    boolean complete = decoder.endOfInput(pipeline);
    if (complete) {
      drain(out);
    }
    return complete;
  }

  @Override
  public Resume resumePoint() {
    String text = tally.capturedText();
    return text == null || tally.toolCalls() > 0 ? null : new Resume(text, encoder.position());
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
  public String contentFailure() {
    return tally.leakedThink() ? dev.tiergate.wire.ContentCheck.LEAKED_THINK : null;
  }

  @Override
  public boolean reasoningStripped() {
    return stripper != null && stripper.stripped();
  }

  private void drain(Consumer<Buffer> out) {
    Buffer bytes = encoder.take();
    if (bytes != null) {
      out.accept(bytes);
    }
  }
}
