package dev.tiergate.wire.anthropic;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientCodec;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.ContinuationNote;
import dev.tiergate.wire.StreamEncoder;
import dev.tiergate.wire.StreamPosition;
import io.vertx.core.buffer.Buffer;

/** Clients speaking the Anthropic Messages API ({@code POST /v1/messages}). */
public final class AnthropicClientCodec implements ClientCodec {

  /** Anthropic's own keep-alive: its SDKs skip {@code ping} events wherever they come. */
  private static final Buffer HEARTBEAT = Buffer.buffer("event: ping\ndata: {\"type\":\"ping\"}\n\n");

  @Override
  public ChatRequest parse(Buffer body) {
    return AnthropicRequestReader.parse(body);
  }

  @Override
  public ProviderFamily nativeFamily() {
    return ProviderFamily.ANTHROPIC;
  }

  @Override
  public Buffer errorBody(GatewayException error) {
    return Buffer.buffer(errorJson(error).toString());
  }

  /** Anthropic reports a failure inside a stream as an {@code error} event; nothing follows it. */
  @Override
  public Buffer errorFrame(GatewayException error) {
    return AnthropicStreamEncoder.frame(errorJson(error));
  }

  @Override
  public Buffer heartbeat() {
    return HEARTBEAT.copy();
  }

  @Override
  public String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }

  @Override
  public StreamEncoder newStreamEncoder(ChatRequest request, String model, String requestId) {
    return new AnthropicStreamEncoder("msg_" + requestId, model);
  }

  @Override
  public StreamEncoder resumeStreamEncoder(ChatRequest request, String model, String requestId, StreamPosition at,
                                           ContinuationNote note) {
    String id = at.messageId() != null ? at.messageId() : "msg_" + requestId;
    return new AnthropicStreamEncoder(id, model, at, note.json(model));
  }

  @Override
  public Buffer encodeCompletion(Completion completion, ChatRequest request, String model, String requestId) {
    return AnthropicCompletions.write(completion, "msg_" + requestId, model);
  }

  private static ObjectNode errorJson(GatewayException error) {
    ObjectNode root = JsonNodeFactory.instance.objectNode().put("type", "error");
    root.putObject("error").put("type", errorType(error.status())).put("message", error.getMessage());
    return root;
  }

  /**
   * Anthropic's error type for an HTTP status (its "Errors" page): other 4xx are {@code invalid_request_error} as
   * Anthropic itself does; a gateway 502 (an upstream failure) is {@code api_error}; 503 reads as overloaded.
   */
  static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
    };
  }
}
