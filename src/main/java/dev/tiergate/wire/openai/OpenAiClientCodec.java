package dev.tiergate.wire.openai;

import dev.tiergate.config.ProviderFamily;
import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientCodec;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.ContinuationNote;
import dev.tiergate.wire.StreamEncoder;
import dev.tiergate.wire.StreamPosition;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Clients speaking OpenAI Chat Completions ({@code POST /v1/chat/completions}). */
public final class OpenAiClientCodec implements ClientCodec {

  private static final Buffer HEARTBEAT = Buffer.buffer(": keep-alive\n\n");

  @Override
  public ChatRequest parse(Buffer body) {
    return OpenAiRequestReader.parse(body);
  }

  @Override
  public ProviderFamily nativeFamily() {
    return ProviderFamily.OPENAI_COMPATIBLE;
  }

  @Override
  public Buffer errorBody(GatewayException error) {
    return errorJson(error).toBuffer();
  }

  /**
   * OpenAI clients (the official SDKs) treat a {@code data:} event carrying an {@code error} object as a failed
   * stream; no {@code [DONE]} follows it.
   */
  @Override
  public Buffer errorFrame(GatewayException error) {
    return Buffer.buffer("data: ").appendBuffer(errorJson(error).toBuffer()).appendString("\n\n");
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
    return new OpenAiStreamEncoder("chatcmpl-" + requestId, model, System.currentTimeMillis() / 1000,
        request.clientWantsUsage());
  }

  @Override
  public StreamEncoder resumeStreamEncoder(ChatRequest request, String model, String requestId, StreamPosition at,
                                           ContinuationNote note) {
    String id = at.messageId() != null ? at.messageId() : "chatcmpl-" + requestId;
    return new OpenAiStreamEncoder(id, model, System.currentTimeMillis() / 1000, request.clientWantsUsage(), true,
        note.json(model));
  }

  @Override
  public Buffer encodeCompletion(Completion completion, ChatRequest request, String model, String requestId) {
    return OpenAiCompletions.write(completion, "chatcmpl-" + requestId, model, System.currentTimeMillis() / 1000);
  }

  private static JsonObject errorJson(GatewayException error) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", error.getMessage())
        .put("type", error.type())
        .put("param", null)
        .put("code", error.code()));
  }
}
