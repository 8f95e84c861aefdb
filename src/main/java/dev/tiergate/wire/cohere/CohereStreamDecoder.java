package dev.tiergate.wire.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.wire.EventSink;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.StreamEvent;
import java.io.IOException;

/**
 * Decodes a Cohere Chat API v2 stream: SSE events whose data carries a {@code type} (message-start, content-delta,
 * tool-call-start / -delta / -end, message-end, …). Text comes from content-delta, tool calls from tool-call-start
 * (id and name, sometimes the first arguments) and tool-call-delta (more arguments); message-end carries the finish
 * reason and usage and is the terminal frame. The tool plan, citations and debug events are not part of the answer.
 */
public final class CohereStreamDecoder implements StreamDecoder {

  private static final String ERROR_CLASS = "upstream_stream_error";

  private int toolCalls;
  private boolean started;
  private boolean ended;

  @Override
  public void decode(SseEvent frame, EventSink sink) {
    String data = frame.data();
    if (data == null || data.isBlank() || data.equals("[DONE]") || ended) {
      return;
    }
    JsonNode event = parse(data);
    String type = event.path("type").asText(frame.event() == null ? "" : frame.event());
    JsonNode message = event.path("delta").path("message");
    switch (type) {
      case "message-start" -> start(sink);
      case "content-delta" -> {
        start(sink);
        String text = message.path("content").path("text").asText("");
        if (!text.isEmpty()) {
          sink.accept(new StreamEvent.TextDelta(text));
        }
      }
      case "tool-call-start" -> {
        start(sink);
        startToolCall(toolCall(message), sink);
      }
      case "tool-call-delta" -> {
        if (toolCalls == 0) {
          throw malformed();
        }
        String arguments = toolCall(message).path("function").path("arguments").asText("");
        if (!arguments.isEmpty()) {
          sink.accept(new StreamEvent.ToolCallDelta(toolCalls - 1, arguments));
        }
      }
      case "message-end" -> end(event.path("delta"), sink);
      case "error" -> throw CohereFinish.failed(event.path("message").asText("unknown error"), ERROR_CLASS);
      default -> {
        // content-start/-end, tool-plan-delta, tool-call-end, citation-start/-end, debug: nothing for the client.
      }
    }
  }

  @Override
  public boolean endOfInput(EventSink sink) {
    return ended;
  }

  private void start(EventSink sink) {
    if (!started) {
      started = true;
      sink.accept(StreamEvent.MESSAGE_START);
    }
  }

  /** Cohere sends one call per event as an object; an array is read as its first element. */
  private static JsonNode toolCall(JsonNode message) {
    JsonNode calls = message.path("tool_calls");
    return calls.isArray() ? calls.path(0) : calls;
  }

  private void startToolCall(JsonNode call, EventSink sink) {
    int index = toolCalls++;
    JsonNode function = call.path("function");
    sink.accept(new StreamEvent.ToolCallStart(index, call.path("id").asText("call_" + index),
        function.path("name").asText("")));
    String arguments = function.path("arguments").asText("");
    if (!arguments.isEmpty()) {
      sink.accept(new StreamEvent.ToolCallDelta(index, arguments));
    }
  }

  private void end(JsonNode delta, EventSink sink) {
    String error = delta.path("error").asText("");
    if (!error.isEmpty()) {
      throw CohereFinish.failed(error, ERROR_CLASS);
    }
    start(sink);
    String reason = delta.path("finish_reason").asText(null);
    FinishReason finish = reason == null ? null : CohereFinish.read(reason, toolCalls > 0, null, ERROR_CLASS);
    CohereUsage usage = CohereUsage.read(delta.path("usage"));
    if (usage.known()) {
      sink.accept(new StreamEvent.Usage(usage.promptTokens(), usage.completionTokens()));
    }
    if (finish != null) {
      sink.accept(new StreamEvent.Finish(finish));
    }
    ended = true;
    sink.accept(StreamEvent.END);
  }

  private static JsonNode parse(String data) {
    try {
      JsonNode node = JsonSupport.MAPPER.readTree(data);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // reported below
    }
    throw malformed();
  }

  private static GatewayException malformed() {
    return GatewayException.badGateway("upstream_malformed_stream", "The upstream sent a malformed stream event");
  }
}
