package dev.tiergate.wire.anthropic;

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
import java.util.HashMap;
import java.util.Map;

/**
 * Writes events as an Anthropic Messages stream: {@code message_start} first, one content block per run of text and
 * per tool call ({@code content_block_start}, deltas, {@code content_block_stop}), then {@code message_delta} and
 * {@code message_stop}. The {@code message_delta} waits for the end of the stream so that it carries usage reported
 * after the finish reason (OpenAI sends its usage chunk last). A stop sequence is reported without the sequence itself,
 * which no other format tells.
 *
 * <p>A resumed encoder carries on a stream another model began: no {@code message_start}, text goes on in the open
 * text block (or a new one at the next free index), and {@code message_delta} carries a {@code tiergate} object
 * telling of the continuation and naming the model that finished.
 */
final class AnthropicStreamEncoder implements StreamEncoder {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String id;
  private final String model;
  /** Tool call index to the content block that carries it. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private final ObjectNode note;
  private Buffer out;
  private boolean started;
  private boolean ended;
  private int nextBlock;
  private int openBlock = -1;
  private boolean openIsText;
  private FinishReason finish;
  private long promptTokens = -1;
  private long completionTokens = -1;

  AnthropicStreamEncoder(String id, String model) {
    this.id = id;
    this.model = model;
    this.note = null;
  }

  /** An encoder that carries on a stream standing at {@code at}; {@code note} goes into {@code message_delta}. */
  AnthropicStreamEncoder(String id, String model, StreamPosition at, ObjectNode note) {
    this.id = id;
    this.model = model;
    this.note = note;
    this.started = true;
    this.openBlock = at.openBlock();
    this.openIsText = at.openIsText();
    this.nextBlock = Math.max(at.nextBlock(), at.openBlock() + 1);
  }

  @Override
  public StreamPosition position() {
    return new StreamPosition(id, openBlock, openIsText, nextBlock);
  }

  @Override
  public void accept(StreamEvent event) {
    if (ended) {
      return;
    }
    if (!started) {
      started = true;
      messageStart();
    }
    switch (event) {
      case StreamEvent.TextDelta text -> text(text.text());
      case StreamEvent.ToolCallStart start -> toolStart(start);
      case StreamEvent.ToolCallDelta delta -> toolDelta(delta);
      case StreamEvent.Usage usage -> {
        promptTokens = usage.promptTokens() >= 0 ? usage.promptTokens() : promptTokens;
        completionTokens = usage.completionTokens() >= 0 ? usage.completionTokens() : completionTokens;
      }
      case StreamEvent.Finish done -> {
        finish = finish == null ? done.reason() : finish;
        closeBlock();
      }
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

  private void messageStart() {
    ObjectNode message = JSON.objectNode().put("id", id).put("type", "message").put("role", "assistant")
        .put("model", model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", AnthropicCompletions.usage(promptTokens, completionTokens));
    ObjectNode event = JSON.objectNode().put("type", "message_start");
    event.set("message", message);
    write(event);
  }

  private void text(String text) {
    if (openBlock < 0 || !openIsText) {
      closeBlock();
      openBlock(true, JSON.objectNode().put("type", "text").put("text", ""));
    }
    ObjectNode event = JSON.objectNode().put("type", "content_block_delta").put("index", openBlock);
    event.putObject("delta").put("type", "text_delta").put("text", text);
    write(event);
  }

  private void toolStart(StreamEvent.ToolCallStart start) {
    closeBlock();
    toolBlocks.put(start.index(), nextBlock);
    ObjectNode block = JSON.objectNode().put("type", "tool_use").put("id", start.id()).put("name", start.name());
    block.putObject("input");
    openBlock(false, block);
  }

  private void toolDelta(StreamEvent.ToolCallDelta delta) {
    Integer block = toolBlocks.get(delta.index());
    if (block == null) {
      // Decoders announce every call before its arguments; a stray fragment has no block to go to.
      return;
    }
    // A fragment for a call whose block was closed (interleaved calls) still names that block's index, which is
    // how Anthropic's SDKs assemble content.
    ObjectNode event = JSON.objectNode().put("type", "content_block_delta").put("index", block);
    event.putObject("delta").put("type", "input_json_delta").put("partial_json", delta.arguments());
    write(event);
  }

  private void openBlock(boolean text, ObjectNode block) {
    openBlock = nextBlock++;
    openIsText = text;
    ObjectNode event = JSON.objectNode().put("type", "content_block_start").put("index", openBlock);
    event.set("content_block", block);
    write(event);
  }

  private void closeBlock() {
    if (openBlock >= 0) {
      write(JSON.objectNode().put("type", "content_block_stop").put("index", openBlock));
      openBlock = -1;
    }
  }

  private void end() {
    ended = true;
    closeBlock();
    ObjectNode event = JSON.objectNode().put("type", "message_delta");
    event.putObject("delta").put("stop_reason", AnthropicStopReason.writeOrDefault(finish, !toolBlocks.isEmpty()))
        .putNull("stop_sequence");
    ObjectNode usage = event.putObject("usage");
    if (promptTokens >= 0) {
      usage.put("input_tokens", promptTokens);
    }
    usage.put("output_tokens", Math.max(completionTokens, 0));
    if (note != null) {
      event.set("tiergate", note);
    }
    write(event);
    write(JSON.objectNode().put("type", "message_stop"));
  }

  private void write(ObjectNode event) {
    append(frame(event));
  }

  private void append(Buffer bytes) {
    if (out == null) {
      out = bytes;
    } else {
      out.appendBuffer(bytes);
    }
  }

  /** One SSE event named after its {@code type}, as Anthropic sends them. */
  static Buffer frame(ObjectNode event) {
    try {
      return Buffer.buffer("event: " + event.get("type").asText() + "\ndata: ")
          .appendBytes(JsonSupport.MAPPER.writeValueAsBytes(event)).appendString("\n\n");
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode a stream event");
    }
  }
}
