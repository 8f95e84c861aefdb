package dev.tiergate.wire.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamEncoder;
import dev.tiergate.wire.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes events as Ollama's {@code /api/chat} NDJSON stream: one line per text delta, one per tool call, and a final
 * {@code "done":true} line with the done reason and token counts. Ollama sends a tool call whole, its arguments a JSON
 * object, so a call's argument fragments are held until the call is complete (the next call starts, or the answer
 * finishes). Durations, which only Ollama itself can measure, are left out. Ollama has no message header, so carrying
 * on another model's stream only adds a {@code tiergate} object (the continuation note) to the last line.
 */
public final class OllamaStreamEncoder implements StreamEncoder {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String model;
  private final Clock clock;
  private final ObjectNode note;
  private final Map<Integer, PendingCall> calls = new LinkedHashMap<>();
  private Buffer out;
  private FinishReason finishReason;
  private long promptTokens = -1;
  private long completionTokens = -1;

  /** A tool call whose arguments are still arriving. */
  private record PendingCall(String name, StringBuilder arguments) {
  }

  public OllamaStreamEncoder(String model, Clock clock) {
    this(model, clock, null);
  }

  /** @param note the {@code tiergate} object of the last line, null for none */
  public OllamaStreamEncoder(String model, Clock clock, ObjectNode note) {
    this.model = model;
    this.clock = clock;
    this.note = note;
  }

  @Override
  public void accept(StreamEvent event) {
    switch (event) {
      case StreamEvent.TextDelta text -> line(answer(model, clock, text.text()).put("done", false));
      case StreamEvent.ToolCallStart start -> {
        flushCalls();
        calls.put(start.index(), new PendingCall(start.name(), new StringBuilder()));
      }
      case StreamEvent.ToolCallDelta delta -> {
        PendingCall call = calls.get(delta.index());
        if (call != null) {
          call.arguments().append(delta.arguments());
        }
      }
      case StreamEvent.Usage usage -> {
        promptTokens = usage.promptTokens() >= 0 ? usage.promptTokens() : promptTokens;
        completionTokens = usage.completionTokens() >= 0 ? usage.completionTokens() : completionTokens;
      }
      case StreamEvent.Finish finish -> {
        flushCalls();
        finishReason = finish.reason();
      }
      case StreamEvent.End end -> {
        flushCalls();
        ObjectNode last = answer(model, clock, "");
        finish(last, finishReason, promptTokens, completionTokens);
        if (note != null) {
          last.set("tiergate", note);
        }
        line(last);
      }
      case StreamEvent.MessageStart start -> {
        // Ollama has no message header: the first line already carries content.
      }
    }
  }

  @Override
  public Buffer take() {
    Buffer taken = out;
    out = null;
    return taken;
  }

  private void flushCalls() {
    Iterator<PendingCall> pending = calls.values().iterator();
    while (pending.hasNext()) {
      PendingCall call = pending.next();
      pending.remove();
      ObjectNode arguments = OllamaToolCalls.argumentsObject(call.arguments().isEmpty() ? "{}"
          : call.arguments().toString());
      if (arguments == null) {
        throw GatewayException.badGateway("upstream_malformed_stream",
            "The upstream sent tool call arguments that are not a JSON object");
      }
      ObjectNode line = answer(model, clock, "");
      toolCalls(line).add(OllamaToolCalls.toWire(call.name(), arguments));
      line(line.put("done", false));
    }
  }

  private void line(ObjectNode json) {
    if (out == null) {
      out = Buffer.buffer();
    }
    out.appendBytes(bytes(json)).appendByte((byte) '\n');
  }

  /** {@code {"model","created_at","message":{"role":"assistant","content"}}}: how every answer line begins. */
  static ObjectNode answer(String model, Clock clock, String content) {
    ObjectNode answer = JSON.objectNode().put("model", model).put("created_at", clock.instant().toString());
    answer.putObject("message").put("role", "assistant").put("content", content);
    return answer;
  }

  /** Adds what Ollama's last line carries: done reason, done, and the token counts that are known. */
  static void finish(ObjectNode answer, FinishReason reason, long promptTokens, long completionTokens) {
    answer.put("done_reason", OllamaDoneReasons.write(reason)).put("done", true);
    if (promptTokens >= 0) {
      answer.put("prompt_eval_count", promptTokens);
    }
    if (completionTokens >= 0) {
      answer.put("eval_count", completionTokens);
    }
  }

  /** A new {@code message.tool_calls} array in an answer line. */
  static ArrayNode toolCalls(ObjectNode answer) {
    return ((ObjectNode) answer.get("message")).putArray("tool_calls");
  }

  static byte[] bytes(ObjectNode json) {
    try {
      return JsonSupport.MAPPER.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode an Ollama answer");
    }
  }
}
