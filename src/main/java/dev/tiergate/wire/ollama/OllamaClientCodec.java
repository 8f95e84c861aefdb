package dev.tiergate.wire.ollama;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientCodec;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.ContinuationNote;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.StreamEncoder;
import dev.tiergate.wire.StreamPosition;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;

/**
 * Ollama's native chat API ({@code POST /api/chat}) as clients speak it: requests stream unless {@code "stream":false},
 * streams are NDJSON, errors are {@code {"error":"…"}} both before and during a stream.
 */
public final class OllamaClientCodec implements ClientCodec {

  private final Clock clock;

  public OllamaClientCodec() {
    this(Clock.systemUTC());
  }

  /** With the clock that stamps {@code created_at}. */
  public OllamaClientCodec(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ChatRequest parse(Buffer body) {
    return OllamaRequestReader.parse(body);
  }

  @Override
  public ProviderFamily nativeFamily() {
    return ProviderFamily.OLLAMA;
  }

  @Override
  public Buffer errorBody(GatewayException error) {
    return Buffer.buffer(OllamaStreamEncoder.bytes(error(error)));
  }

  /** Ollama reports a failure mid-stream as one more line holding only {@code error}. */
  @Override
  public Buffer errorFrame(GatewayException error) {
    return errorBody(error).appendByte((byte) '\n');
  }

  /** None: an NDJSON stream has no comment line, and Ollama clients fail on a blank one. */
  @Override
  public Buffer heartbeat() {
    return null;
  }

  @Override
  public String streamContentType() {
    return "application/x-ndjson";
  }

  @Override
  public StreamEncoder newStreamEncoder(ChatRequest request, String model, String requestId) {
    return new OllamaStreamEncoder(model, clock);
  }

  @Override
  public StreamEncoder resumeStreamEncoder(ChatRequest request, String model, String requestId, StreamPosition at,
                                           ContinuationNote note) {
    return new OllamaStreamEncoder(model, clock, note.json(model));
  }

  @Override
  public Buffer encodeCompletion(Completion completion, ChatRequest request, String model, String requestId) {
    ObjectNode answer = OllamaStreamEncoder.answer(model, clock, completion.text());
    if (!completion.toolCalls().isEmpty()) {
      ArrayNode calls = OllamaStreamEncoder.toolCalls(answer);
      for (Part.ToolCall call : completion.toolCalls()) {
        ObjectNode arguments = OllamaToolCalls.argumentsObject(call.arguments());
        if (arguments == null) {
          throw GatewayException.badGateway("upstream_malformed_response",
              "The upstream sent tool call arguments that are not a JSON object");
        }
        calls.add(OllamaToolCalls.toWire(call.name(), arguments));
      }
    }
    OllamaStreamEncoder.finish(answer, completion.finishReason(), completion.promptTokens(),
        completion.completionTokens());
    return Buffer.buffer(OllamaStreamEncoder.bytes(answer));
  }

  private static ObjectNode error(GatewayException error) {
    return JsonNodeFactory.instance.objectNode().put("error", error.getMessage());
  }
}
