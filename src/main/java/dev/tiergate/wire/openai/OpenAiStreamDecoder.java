package dev.tiergate.wire.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.Redactor;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.wire.EventSink;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.StreamEvent;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Decodes OpenAI {@code chat.completion.chunk} streams (and every OpenAI-compatible server's) for translation: the
 * first choice's content and tool-call deltas, its finish reason, and the usage chunk.
 */
public final class OpenAiStreamDecoder implements StreamDecoder {

  private final Set<Integer> startedCalls = new HashSet<>();
  private boolean started;
  private boolean finished;
  private boolean ended;

  @Override
  public void decode(SseEvent frame, EventSink sink) {
    String data = frame.data();
    if (data == null || ended) {
      return;
    }
    if (data.equals("[DONE]")) {
      ended = true;
      start(sink);
      sink.accept(StreamEvent.END);
      return;
    }
    JsonNode chunk = parse(data);
    JsonNode error = chunk.get("error");
    if (error != null && !error.isNull()) {
      String message = error.isTextual() ? error.asText() : error.path("message").asText("unknown error");
      throw GatewayException.badGateway("upstream_stream_error",
          "The upstream reported an error mid-stream: " + Redactor.clip(message));
    }
    start(sink);
    JsonNode choices = chunk.path("choices");
    for (JsonNode choice : choices) {
      if (choice.path("index").asInt(0) == 0) {
        readChoice(choice, sink);
      }
    }
    JsonNode usage = chunk.get("usage");
    if (usage != null && usage.isObject()) {
      sink.accept(new StreamEvent.Usage(usage.path("prompt_tokens").asLong(-1),
          usage.path("completion_tokens").asLong(-1)));
    }
  }

  @Override
  public boolean endOfInput(EventSink sink) {
    // Some OpenAI-compatible servers end cleanly without [DONE]; a finish reason proves the answer is complete.
    if (ended || !finished) {
      return ended;
    }
    ended = true;
    sink.accept(StreamEvent.END);
    return true;
  }

  private void start(EventSink sink) {
    if (!started) {
      started = true;
      sink.accept(StreamEvent.MESSAGE_START);
    }
  }

  private void readChoice(JsonNode choice, EventSink sink) {
    JsonNode delta = choice.path("delta");
    JsonNode content = delta.get("content");
    if (content != null && content.isTextual() && !content.asText().isEmpty()) {
      sink.accept(new StreamEvent.TextDelta(content.asText()));
    }
    JsonNode calls = delta.get("tool_calls");
    if (calls != null && calls.isArray()) {
      for (JsonNode call : calls) {
        readToolCall(call, sink);
      }
    }
    JsonNode reason = choice.get("finish_reason");
    if (reason != null && reason.isTextual() && !finished) {
      finished = true;
      sink.accept(new StreamEvent.Finish(OpenAiFinish.read(reason.asText())));
    }
  }

  private void readToolCall(JsonNode call, EventSink sink) {
    int index = call.path("index").asInt(0);
    JsonNode function = call.path("function");
    if (startedCalls.add(index)) {
      sink.accept(new StreamEvent.ToolCallStart(index, call.path("id").asText("call_" + index),
          function.path("name").asText("")));
    }
    String arguments = function.path("arguments").asText("");
    if (!arguments.isEmpty()) {
      sink.accept(new StreamEvent.ToolCallDelta(index, arguments));
    }
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
    throw GatewayException.badGateway("upstream_malformed_stream", "The upstream sent a malformed stream event");
  }
}
