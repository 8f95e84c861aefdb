package dev.tiergate.wire.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamEncoder;
import dev.tiergate.wire.StreamEvent;
import dev.tiergate.wire.StreamPosition;
import io.vertx.core.buffer.Buffer;

/**
 * Writes events as an OpenAI {@code chat.completion.chunk} stream: a role chunk first, one chunk per text or tool-call
 * delta, the finish chunk, the usage chunk when the client asked for it ({@code stream_options.include_usage}), and
 * {@code [DONE]}. A resumed encoder carries on a stream another model began: no role chunk, the same id, and a
 * {@code tiergate} object in its last chunk telling of the continuation.
 */
final class OpenAiStreamEncoder implements StreamEncoder {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String id;
  private final String model;
  private final long created;
  private final boolean includeUsage;
  private final ObjectNode note;
  private Buffer out;
  private boolean started;
  private boolean finished;
  private boolean toolCalls;
  private long promptTokens = -1;
  private long completionTokens = -1;

  OpenAiStreamEncoder(String id, String model, long created, boolean includeUsage) {
    this(id, model, created, includeUsage, false, null);
  }

  /**
   * @param resumed whether the client already received the role chunk
   * @param note    the {@code tiergate} object of the last chunk, null for none
   */
  OpenAiStreamEncoder(String id, String model, long created, boolean includeUsage, boolean resumed, ObjectNode note) {
    this.id = id;
    this.model = model;
    this.created = created;
    this.includeUsage = includeUsage;
    this.started = resumed;
    this.note = note;
  }

  @Override
  public StreamPosition position() {
    return new StreamPosition(id, -1, false, 0);
  }

  @Override
  public void accept(StreamEvent event) {
    if (!started) {
      started = true;
      ObjectNode delta = JSON.objectNode().put("role", "assistant").put("content", "");
      write(chunk(delta, null));
    }
    switch (event) {
      case StreamEvent.TextDelta text -> write(chunk(JSON.objectNode().put("content", text.text()), null));
      case StreamEvent.ToolCallStart start -> {
        toolCalls = true;
        ObjectNode call = JSON.objectNode().put("index", start.index()).put("id", start.id()).put("type", "function");
        call.putObject("function").put("name", start.name()).put("arguments", "");
        write(chunk(toolCallDelta(call), null));
      }
      case StreamEvent.ToolCallDelta delta -> {
        ObjectNode call = JSON.objectNode().put("index", delta.index());
        call.putObject("function").put("arguments", delta.arguments());
        write(chunk(toolCallDelta(call), null));
      }
      case StreamEvent.Usage usage -> {
        promptTokens = usage.promptTokens() >= 0 ? usage.promptTokens() : promptTokens;
        completionTokens = usage.completionTokens() >= 0 ? usage.completionTokens() : completionTokens;
      }
      case StreamEvent.Finish finish -> finish(finish.reason());
      case StreamEvent.End end -> end();
      case StreamEvent.MessageStart start -> {
      }
    }
  }

  @Override
  public Buffer take() {
    Buffer taken = out;
    out = null;
    return taken;
  }

  private void finish(FinishReason reason) {
    if (!finished) {
      finished = true;
      ObjectNode chunk = chunk(JSON.objectNode(), OpenAiFinish.write(reason));
      if (note != null && !includeUsage) {
        chunk.set("tiergate", note);
      }
      write(chunk);
    }
  }

  private void end() {
    finish(toolCalls ? FinishReason.TOOL_USE : FinishReason.END_TURN);
    if (includeUsage) {
      ObjectNode chunk = header();
      chunk.putArray("choices");
      chunk.set("usage", OpenAiCompletions.usage(promptTokens, completionTokens));
      if (note != null) {
        chunk.set("tiergate", note);
      }
      write(chunk);
    }
    append(Buffer.buffer("data: [DONE]\n\n"));
  }

  private static ObjectNode toolCallDelta(ObjectNode call) {
    ObjectNode delta = JSON.objectNode();
    delta.putArray("tool_calls").add(call);
    return delta;
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = header();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return chunk;
  }

  private ObjectNode header() {
    return JSON.objectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model);
  }

  private void write(ObjectNode chunk) {
    try {
      append(Buffer.buffer("data: ").appendBytes(JsonSupport.MAPPER.writeValueAsBytes(chunk)).appendString("\n\n"));
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode a stream chunk");
    }
  }

  private void append(Buffer bytes) {
    if (out == null) {
      out = bytes;
    } else {
      out.appendBuffer(bytes);
    }
  }
}
