package dev.tiergate.http;

import dev.tiergate.provider.SseEvent;
import dev.tiergate.provider.StreamTap;
import dev.tiergate.provider.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/** Same format in and out: each frame's bytes go to the client untouched; the tap only reads them. */
final class PassthroughTransformer implements StreamTransformer {

  private final StreamTap tap;

  PassthroughTransformer(StreamTap tap, boolean capture) {
    this.tap = tap;
    if (capture) {
      tap.captureText();
    }
  }

  @Override
  public boolean onFrame(SseEvent frame, boolean contentStarted, Consumer<Buffer> out) {
    switch (tap.inspect(frame)) {
      case FORWARD -> out.accept(frame.raw());
      case KEEPALIVE -> {
        if (contentStarted) {
          out.accept(frame.raw());
        }
      }
      case DONE -> {
        out.accept(frame.raw());
        return true;
      }
      case DROP -> {
      }
    }
    return false;
  }

  @Override
  public boolean onUpstreamEnd(Consumer<Buffer> out) {
    Buffer closing = tap.endOfInput();
    if (closing == null) {
      return false;
    }
    if (closing.length() > 0) {
      out.accept(closing);
    }
    return true;
  }

  @Override
  public Resume resumePoint() {
    String text = tap.capturedText();
    return text == null ? null : new Resume(text, tap.position());
  }

  @Override
  public Usage usage() {
    return tap.usage();
  }

  @Override
  public long outputChars() {
    return tap.outputChars();
  }
}
