package dev.tiergate.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental Server-Sent Events parser (WHATWG rules: lines end with CRLF, LF or CR; a blank line ends an event;
 * {@code :} starts a comment; one leading space after the colon is dropped). Feed it bytes as they arrive: frames may
 * be split anywhere, even inside a UTF-8 character, because text is decoded only from whole lines. Memory is bounded
 * by {@code maxEventBytes}. Not thread-safe: one parser per stream, used on its event loop.
 */
public final class SseParser implements FrameParser {

  private final int maxEventBytes;
  private final Consumer<SseEvent> sink;
  private Buffer pending = Buffer.buffer();
  private int scan;
  private int lineStart;
  private boolean skipLf;
  private boolean lfOwed;
  private StringBuilder data;
  private String event;

  public SseParser(int maxEventBytes, Consumer<SseEvent> sink) {
    this.maxEventBytes = maxEventBytes;
    this.sink = sink;
  }

  /**
   * Consumes {@code chunk}, calling the sink for each event it completes.
   *
   * @throws SseFormatException when one event grows past the limit
   */
  @Override
  public void feed(Buffer chunk) {
    pending.appendBuffer(chunk);
    int eventStart = 0;
    int length = pending.length();
    while (scan < length) {
      byte b = pending.getByte(scan);
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          scan++;
          lineStart = scan;
          if (lfOwed) {
            // The LF of a CRLF blank line whose CR ended the previous chunk: pass it on as a blank event so that no
            // byte is lost and buffered() does not count it as an unfinished event.
            lfOwed = false;
            eventStart = dispatchBlank(eventStart);
          }
          continue;
        }
        lfOwed = false;
      }
      if (b != '\n' && b != '\r') {
        scan++;
        continue;
      }
      int lineEnd = scan;
      scan++;
      skipLf = b == '\r';
      if (lineEnd == lineStart) {
        eventStart = dispatch(eventStart);
      } else {
        field(lineStart, lineEnd);
      }
      lineStart = scan;
    }
    compact(eventStart);
  }

  /** Bytes of an unfinished event held right now. */
  @Override
  public int buffered() {
    return pending.length();
  }

  private int dispatch(int eventStart) {
    int end = scan;
    if (skipLf && end < pending.length() && pending.getByte(end) == '\n') {
      end++;
      scan = end;
      skipLf = false;
    }
    lfOwed = skipLf;
    SseEvent parsed = new SseEvent(pending.getBuffer(eventStart, end), event, data == null ? null : data.toString());
    data = null;
    event = null;
    sink.accept(parsed);
    return end;
  }

  private int dispatchBlank(int eventStart) {
    sink.accept(new SseEvent(pending.getBuffer(eventStart, scan), null, null));
    return scan;
  }

  private void field(int start, int end) {
    if (pending.getByte(start) == ':') {
      return;
    }
    int colon = start;
    while (colon < end && pending.getByte(colon) != ':') {
      colon++;
    }
    String name = pending.getString(start, colon, "US-ASCII");
    int valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && pending.getByte(valueStart) == ' ') {
      valueStart++;
    }
    switch (name) {
      case "data" -> {
        String value = new String(pending.getBytes(valueStart, end), StandardCharsets.UTF_8);
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
      case "event" -> event = new String(pending.getBytes(valueStart, end), StandardCharsets.UTF_8);
      default -> {
        // id and retry are not used by LLM streams; unknown fields are ignored per the SSE spec.
      }
    }
  }

  private void compact(int eventStart) {
    if (eventStart == 0) {
      if (pending.length() > maxEventBytes) {
        throw new SseFormatException("an upstream event exceeded " + maxEventBytes + " bytes");
      }
      return;
    }
    pending = eventStart == pending.length() ? Buffer.buffer() : pending.getBuffer(eventStart, pending.length());
    scan -= eventStart;
    lineStart -= eventStart;
    if (pending.length() > maxEventBytes) {
      throw new SseFormatException("an upstream event exceeded " + maxEventBytes + " bytes");
    }
  }
}
