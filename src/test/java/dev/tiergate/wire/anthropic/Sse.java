package dev.tiergate.wire.anthropic;

import dev.tiergate.provider.SseParser;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Feeds stream bodies through the real SSE parser into a decoder, split where a test says. */
final class Sse {

  private Sse() {
  }

  /** Decodes {@code body} fed in chunks cut at {@code splits} (byte offsets, ascending). */
  static List<StreamEvent> decode(byte[] body, StreamDecoder decoder, int... splits) {
    List<StreamEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(64 * 1024, frame -> decoder.decode(frame, events::add));
    int from = 0;
    for (int split : splits) {
      parser.feed(Buffer.buffer(Arrays.copyOfRange(body, from, split)));
      from = split;
    }
    parser.feed(Buffer.buffer(Arrays.copyOfRange(body, from, body.length)));
    return events;
  }

  static List<StreamEvent> decode(String body, int... splits) {
    return decode(body.getBytes(StandardCharsets.UTF_8), new AnthropicStreamDecoder(), splits);
  }

  /** Decodes {@code body} fed one byte at a time. */
  static List<StreamEvent> decodeByteByByte(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int[] splits = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      splits[i] = i;
    }
    return decode(bytes, new AnthropicStreamDecoder(), splits);
  }
}
