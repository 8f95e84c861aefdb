package dev.tiergate.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.provider.Redactor;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.wire.EventSink;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.StreamEvent;

/**
 * Decodes a Gemini {@code streamGenerateContent?alt=sse} stream. Each {@code data:} payload is a whole
 * {@code GenerateContentResponse} holding the next piece of the first candidate; function calls arrive whole, and
 * {@code usageMetadata} carries running totals. There is no terminal frame: the stream is complete when a finish
 * reason was seen before the body ended.
 */
public final class GeminiStreamDecoder implements StreamDecoder {

  private int toolCalls;
  private boolean started;
  private boolean finished;
  private boolean ended;
  private long promptTokens = -1;
  private long completionTokens = -1;

  @Override
  public void decode(SseEvent frame, EventSink sink) {
    String data = frame.data();
    if (data == null || data.isBlank() || ended) {
      return;
    }
    JsonNode root = GeminiResponse.parse(data);
    if (root == null) {
      throw GatewayException.badGateway("upstream_malformed_stream", "The upstream sent a malformed stream event");
    }
    String error = GeminiResponse.error(root);
    if (error != null) {
      throw GatewayException.badGateway("upstream_stream_error",
          "The upstream reported an error mid-stream: " + Redactor.clip(error));
    }
    GeminiResponse response = GeminiResponse.read(root);
    if (!started) {
      started = true;
      sink.accept(StreamEvent.MESSAGE_START);
    }
    for (GeminiResponse.Piece piece : response.pieces()) {
      switch (piece) {
        case GeminiResponse.Text text -> sink.accept(new StreamEvent.TextDelta(text.text()));
        case GeminiResponse.Call call -> {
          int index = toolCalls++;
          sink.accept(new StreamEvent.ToolCallStart(index, call.id() != null ? call.id() : "call_" + index,
              call.name()));
          sink.accept(new StreamEvent.ToolCallDelta(index, call.arguments()));
        }
      }
    }
    readUsage(response, sink);
    if (finished) {
      return;
    }
    if (response.blockReason() != null) {
      finish(FinishReason.CONTENT_FILTER, sink);
    } else if (response.finishReason() != null) {
      finish(GeminiResponse.finish(response.finishReason(), toolCalls > 0), sink);
    }
  }

  @Override
  public boolean endOfInput(EventSink sink) {
    if (ended) {
      return true;
    }
    if (!finished) {
      return false;
    }
    ended = true;
    sink.accept(StreamEvent.END);
    return true;
  }

  /** Every payload repeats the totals so far; only a change is passed on. */
  private void readUsage(GeminiResponse response, EventSink sink) {
    if (!response.hasUsage()) {
      return;
    }
    long prompt = response.promptTokens() >= 0 ? response.promptTokens() : promptTokens;
    long completion = response.completionTokens() >= 0 ? response.completionTokens() : completionTokens;
    if (prompt != promptTokens || completion != completionTokens) {
      promptTokens = prompt;
      completionTokens = completion;
      sink.accept(new StreamEvent.Usage(prompt, completion));
    }
  }

  private void finish(FinishReason reason, EventSink sink) {
    finished = true;
    sink.accept(new StreamEvent.Finish(reason));
  }
}
