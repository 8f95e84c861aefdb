package dev.tiergate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.ollama.OllamaCompletions;
import dev.tiergate.wire.ollama.OllamaRequestWriter;
import dev.tiergate.wire.ollama.OllamaStreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The "ollama" family: Ollama's native {@code POST /api/chat} (base URL such as {@code http://localhost:11434}),
 * streaming NDJSON. A key is sent only when configured (Ollama behind an authenticating proxy, or Ollama's cloud).
 */
public final class OllamaAdapter implements ProviderAdapter {

  @Override
  public Framing framing() {
    return Framing.NDJSON;
  }

  @Override
  public UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId) {
    ProviderConfig provider = target.provider();
    String model = target.model().upstreamModel();
    ObjectNode body = Passthrough.applies(request, target)
        ? request.body().put("model", model)
        : OllamaRequestWriter.write(request.conversation(), model);
    // Ollama streams when "stream" is absent, so the flag always goes up explicitly.
    body.put("stream", request.stream());
    UpstreamRequest prepared = UpstreamRequest.postJson(provider, "/api/chat", forwardHeaders,
        request.stream() ? "application/x-ndjson" : "application/json", requestId, body);
    authorize(prepared, provider);
    return prepared;
  }

  @Override
  public String healthPath() {
    return "/api/tags";
  }

  @Override
  public StreamDecoder newDecoder(ChatRequest request) {
    return new OllamaStreamDecoder();
  }

  @Override
  public Completion readCompletion(Buffer body) {
    return OllamaCompletions.read(body);
  }
}
