package dev.tiergate.support;

import dev.tiergate.provider.Framing;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded stream summed up for comparison: the text, each tool call whole, the last usage report, the finish reason
 * and whether the stream ended — what two formats must agree on after a translation.
 */
public record Decoded(String text, List<ToolCall> toolCalls, long promptTokens, long completionTokens,
                      FinishReason finishReason, boolean ended, List<StreamEvent> events) {

  /** One tool call, its argument fragments joined. */
  public record ToolCall(String id, String name, String arguments) {
  }

  /** Feeds {@code bytes} to a parser of {@code framing} in pieces of the given sizes (cycled) and decodes them. */
  public static Decoded decode(Framing framing, StreamDecoder decoder, byte[] bytes, int... sizes) {
    List<StreamEvent> events = new ArrayList<>();
    var parser = framing.newParser(1 << 20, frame -> decoder.decode(frame, events::add));
    int offset = 0;
    int i = 0;
    while (offset < bytes.length) {
      int size = sizes.length == 0 ? bytes.length : Math.max(1, sizes[i++ % sizes.length]);
      int end = Math.min(bytes.length, offset + size);
      parser.feed(Buffer.buffer().appendBytes(bytes, offset, end - offset));
      offset = end;
    }
    if (!events.contains(StreamEvent.END)) {
      decoder.endOfInput(events::add);
    }
    return of(events);
  }

  public static Decoded decode(Framing framing, StreamDecoder decoder, List<String> frames, int... sizes) {
    return decode(framing, decoder, String.join("", frames).getBytes(StandardCharsets.UTF_8), sizes);
  }

  /** Sums up an event list. */
  public static Decoded of(List<StreamEvent> events) {
    StringBuilder text = new StringBuilder();
    Map<Integer, String[]> calls = new LinkedHashMap<>();
    long prompt = -1;
    long completion = -1;
    FinishReason finish = null;
    boolean ended = false;
    for (StreamEvent event : events) {
      switch (event) {
        case StreamEvent.TextDelta delta -> text.append(delta.text());
        case StreamEvent.ToolCallStart start -> calls.put(start.index(), new String[] {start.id(), start.name(), ""});
        case StreamEvent.ToolCallDelta delta -> calls.get(delta.index())[2] += delta.arguments();
        case StreamEvent.Usage usage -> {
          prompt = usage.promptTokens() >= 0 ? usage.promptTokens() : prompt;
          completion = usage.completionTokens() >= 0 ? usage.completionTokens() : completion;
        }
        case StreamEvent.Finish f -> finish = f.reason();
        case StreamEvent.End end -> ended = true;
        case StreamEvent.MessageStart start -> {
        }
      }
    }
    List<ToolCall> toolCalls = calls.values().stream().map(c -> new ToolCall(c[0], c[1], c[2])).toList();
    return new Decoded(text.toString(), toolCalls, prompt, completion, finish, ended, List.copyOf(events));
  }
}
