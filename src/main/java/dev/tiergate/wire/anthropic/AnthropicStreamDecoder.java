package dev.tiergate.wire.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.Redactor;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.wire.EventSink;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.StreamEvent;
import dev.tiergate.wire.StreamPosition;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes an Anthropic Messages stream: {@code message_start}, content blocks ({@code content_block_start},
 * {@code content_block_delta}, {@code content_block_stop}), {@code message_delta} and {@code message_stop}, with
 * {@code ping}s and {@code error}s anywhere. Text and {@code tool_use} blocks become events; thinking blocks, server
 * tool blocks and event types added later are skipped, as Anthropic's versioning policy asks of clients.
 *
 * <p>Usage in {@code message_delta} is cumulative, so it replaces what {@code message_start} reported. The prompt count
 * is {@code input_tokens} plus the cache read and cache write counts, which Anthropic reports apart (OpenAI's
 * {@code prompt_tokens} includes cached tokens).
 */
public final class AnthropicStreamDecoder implements StreamDecoder {

  /** Content block index to the tool call's position among this answer's tool calls. */
  private final Map<Integer, Integer> toolCalls = new HashMap<>();
  private long promptTokens = -1;
  private boolean started;
  private boolean finished;
  private boolean ended;
  private String messageId;
  private int openBlock = -1;
  private boolean openIsText;
  private int nextBlock;

  @Override
  public void decode(SseEvent frame, EventSink sink) {
    String data = frame.data();
    if (ended || data == null || data.isBlank()) {
      return;
    }
    JsonNode event = parse(data);
    String type = event.path("type").asText(frame.event() == null ? "" : frame.event());
    switch (type) {
      case "message_start" -> {
        start(sink);
        messageId = event.path("message").path("id").asText(null);
        usage(event.path("message").path("usage"), sink);
      }
      case "content_block_start" -> {
        track(event);
        blockStart(event, sink);
      }
      case "content_block_stop" -> {
        if (event.path("index").asInt(-2) == openBlock) {
          openBlock = -1;
        }
      }
      case "content_block_delta" -> blockDelta(event, sink);
      case "message_delta" -> messageDelta(event, sink);
      case "message_stop" -> stop(sink);
      case "error" -> {
        JsonNode error = event.path("error");
        String message = error.path("message").asText(error.path("type").asText("unknown error"));
        throw GatewayException.badGateway("upstream_stream_error",
            "The upstream reported an error mid-stream: " + Redactor.clip(message));
      }
      default -> {
        // ping and event types added later carry nothing for the client.
      }
    }
  }

  /** Anthropic ends every complete stream with {@code message_stop}; without it the answer was cut. */
  @Override
  public boolean endOfInput(EventSink sink) {
    return ended;
  }

  @Override
  public StreamPosition position() {
    return new StreamPosition(messageId, openBlock, openIsText, nextBlock);
  }

  /** Keeps the block structure the client has seen (thinking and server tool blocks included). */
  private void track(JsonNode event) {
    int index = event.path("index").asInt(nextBlock);
    openBlock = index;
    openIsText = "text".equals(event.path("content_block").path("type").asText());
    nextBlock = Math.max(nextBlock, index + 1);
  }

  private void start(EventSink sink) {
    if (!started) {
      started = true;
      sink.accept(StreamEvent.MESSAGE_START);
    }
  }

  private void blockStart(JsonNode event, EventSink sink) {
    start(sink);
    JsonNode block = event.path("content_block");
    switch (block.path("type").asText()) {
      case "text" -> text(block.path("text").asText(""), sink);
      case "tool_use" -> {
        int index = toolCalls.size();
        toolCalls.put(event.path("index").asInt(), index);
        sink.accept(new StreamEvent.ToolCallStart(index, block.path("id").asText("toolu_" + index),
            block.path("name").asText("")));
        JsonNode input = block.get("input");
        if (input != null && input.isObject() && !input.isEmpty()) {
          sink.accept(new StreamEvent.ToolCallDelta(index, input.toString()));
        }
      }
      default -> {
      }
    }
  }

  private void blockDelta(JsonNode event, EventSink sink) {
    start(sink);
    JsonNode delta = event.path("delta");
    switch (delta.path("type").asText()) {
      case "text_delta" -> text(delta.path("text").asText(""), sink);
      case "input_json_delta" -> {
        // Deltas of blocks that are not tool_use (server tool calls) have no tool call to belong to.
        Integer index = toolCalls.get(event.path("index").asInt());
        String fragment = delta.path("partial_json").asText("");
        if (index != null && !fragment.isEmpty()) {
          sink.accept(new StreamEvent.ToolCallDelta(index, fragment));
        }
      }
      default -> {
        // thinking_delta, signature_delta, citations_delta.
      }
    }
  }

  private void messageDelta(JsonNode event, EventSink sink) {
    start(sink);
    JsonNode reason = event.path("delta").get("stop_reason");
    if (reason != null && reason.isTextual() && !finished) {
      finished = true;
      sink.accept(new StreamEvent.Finish(AnthropicStopReason.read(reason.asText())));
    }
    usage(event.path("usage"), sink);
  }

  private void stop(EventSink sink) {
    start(sink);
    if (!finished) {
      finished = true;
      sink.accept(new StreamEvent.Finish(toolCalls.isEmpty() ? FinishReason.END_TURN : FinishReason.TOOL_USE));
    }
    ended = true;
    sink.accept(StreamEvent.END);
  }

  private void usage(JsonNode usage, EventSink sink) {
    if (!usage.isObject()) {
      return;
    }
    if (usage.path("input_tokens").isNumber()) {
      promptTokens = promptTokens(usage);
    }
    long output = usage.path("output_tokens").isNumber() ? usage.get("output_tokens").asLong() : -1;
    if (promptTokens >= 0 || output >= 0) {
      sink.accept(new StreamEvent.Usage(promptTokens, output));
    }
  }

  /** Anthropic's whole prompt: uncached input plus the tokens read from and written to the prompt cache. */
  static long promptTokens(JsonNode usage) {
    return usage.path("input_tokens").asLong(0) + usage.path("cache_creation_input_tokens").asLong(0)
        + usage.path("cache_read_input_tokens").asLong(0);
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

  private static void text(String text, EventSink sink) {
    if (!text.isEmpty()) {
      sink.accept(new StreamEvent.TextDelta(text));
    }
  }
}
