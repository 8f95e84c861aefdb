package dev.tiergate.wire.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.Redactor;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.wire.EventSink;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.StreamEvent;
import java.io.IOException;

/**
 * Reads Ollama's {@code /api/chat} NDJSON stream: each line is
 * {@code {"message":{"content","tool_calls","thinking"},"done":false}}, tool calls arriving whole (arguments as a JSON
 * object); the last line has {@code "done":true}, the done reason and the token counts; a failure is a line
 * {@code {"error":"…"}}. Thinking text has no place in the gateway's events and is dropped.
 */
public final class OllamaStreamDecoder implements StreamDecoder {

  private boolean started;
  private boolean done;
  private int toolCalls;

  @Override
  public void decode(SseEvent frame, EventSink sink) {
    if (done || frame.data() == null) {
      return;
    }
    JsonNode line = parse(frame.data());
    JsonNode error = line.get("error");
    if (error != null && !error.isNull()) {
      String message = error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
      throw GatewayException.badGateway("upstream_stream_error",
          "The upstream reported an error mid-stream: " + Redactor.clip(message));
    }
    if (!started) {
      started = true;
      sink.accept(StreamEvent.MESSAGE_START);
    }
    JsonNode message = line.path("message");
    String content = message.path("content").asText("");
    if (!content.isEmpty()) {
      sink.accept(new StreamEvent.TextDelta(content));
    }
    for (JsonNode call : message.path("tool_calls")) {
      int index = toolCalls++;
      Part.ToolCall toolCall = OllamaToolCalls.fromWire(call, index);
      if (toolCall == null) {
        throw malformed();
      }
      sink.accept(new StreamEvent.ToolCallStart(index, toolCall.id(), toolCall.name()));
      sink.accept(new StreamEvent.ToolCallDelta(index, toolCall.arguments()));
    }
    if (line.path("done").asBoolean(false)) {
      done = true;
      long prompt = line.path("prompt_eval_count").asLong(-1);
      long completion = line.path("eval_count").asLong(-1);
      if (prompt >= 0 || completion >= 0) {
        sink.accept(new StreamEvent.Usage(prompt, completion));
      }
      sink.accept(new StreamEvent.Finish(OllamaDoneReasons.read(line.path("done_reason").asText(null),
          toolCalls > 0)));
      sink.accept(StreamEvent.END);
    }
  }

  /** Ollama's last line is the only sign of a complete answer: without it the stream was cut. */
  @Override
  public boolean endOfInput(EventSink sink) {
    return done;
  }

  private static JsonNode parse(String data) {
    try {
      JsonNode node = JsonSupport.MAPPER.readTree(data);
      if (node == null || !node.isObject()) {
        throw malformed();
      }
      return node;
    } catch (IOException e) {
      throw malformed();
    }
  }

  private static GatewayException malformed() {
    return GatewayException.badGateway("upstream_malformed_stream", "The upstream sent a malformed stream event");
  }
}
