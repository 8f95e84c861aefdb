package dev.tiergate.provider;

import java.util.Locale;
import java.util.function.Consumer;

/** How a provider frames its stream. */
public enum Framing {
  /** Server-Sent Events ({@code text/event-stream}): OpenAI, Anthropic, Gemini, Cohere. */
  SSE {
    @Override
    public FrameParser newParser(int maxFrameBytes, Consumer<SseEvent> sink) {
      return new SseParser(maxFrameBytes, sink);
    }

    @Override
    public boolean accepts(String contentType) {
      return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }
  },
  /** One JSON object per line: Ollama's native API ({@code application/x-ndjson}). */
  NDJSON {
    @Override
    public FrameParser newParser(int maxFrameBytes, Consumer<SseEvent> sink) {
      return new NdjsonParser(maxFrameBytes, sink);
    }

    @Override
    public boolean accepts(String contentType) {
      // Ollama says application/x-ndjson; some proxies in front of it rewrite that to application/json.
      String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
      return type.startsWith("application/x-ndjson") || type.startsWith("application/json")
          || type.startsWith("application/ndjson");
    }
  };

  /** A new parser for one stream, handing each complete frame to {@code sink}. */
  public abstract FrameParser newParser(int maxFrameBytes, Consumer<SseEvent> sink);

  /** Whether a streamed answer with this content type is in this framing. */
  public abstract boolean accepts(String contentType);
}
