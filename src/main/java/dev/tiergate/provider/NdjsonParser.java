package dev.tiergate.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental NDJSON reader: each non-blank line (ended by LF, CRLF tolerated) becomes one frame whose {@code data} is
 * the line's text and whose {@code raw} is its bytes with the newline. Lines may be split anywhere, even inside a UTF-8
 * character: text is decoded from whole lines only. Memory is bounded by {@code maxLineBytes}.
 */
public final class NdjsonParser implements FrameParser {

  private final int maxLineBytes;
  private final Consumer<SseEvent> sink;
  private Buffer pending = Buffer.buffer();
  private int scan;

  public NdjsonParser(int maxLineBytes, Consumer<SseEvent> sink) {
    this.maxLineBytes = maxLineBytes;
    this.sink = sink;
  }

  @Override
  public void feed(Buffer chunk) {
    pending.appendBuffer(chunk);
    int lineStart = 0;
    int length = pending.length();
    while (scan < length) {
      if (pending.getByte(scan) == '\n') {
        emit(lineStart, scan + 1);
        lineStart = scan + 1;
      }
      scan++;
    }
    if (lineStart > 0) {
      pending = lineStart == length ? Buffer.buffer() : pending.getBuffer(lineStart, length);
      scan -= lineStart;
    }
    if (pending.length() > maxLineBytes) {
      throw new SseFormatException("A stream line exceeded " + maxLineBytes + " bytes");
    }
  }

  @Override
  public int buffered() {
    return pending.length();
  }

  private void emit(int start, int end) {
    int textEnd = end - 1;
    if (textEnd > start && pending.getByte(textEnd - 1) == '\r') {
      textEnd--;
    }
    String text = pending.getString(start, textEnd, StandardCharsets.UTF_8.name());
    if (!text.isBlank()) {
      sink.accept(new SseEvent(pending.getBuffer(start, end), null, text));
    }
  }
}
