package dev.tiergate.provider;

import dev.tiergate.config.ProviderConfig;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.cohere.CohereCompletions;
import dev.tiergate.wire.cohere.CohereRequestWriter;
import dev.tiergate.wire.cohere.CohereStreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The "cohere" family: Cohere's Chat API v2 ({@code POST /v2/chat}, streams as SSE when {@code stream} is true). No
 * client speaks Cohere, so every call is translated.
 */
public final class CohereAdapter implements ProviderAdapter {

  @Override
  public Framing framing() {
    return Framing.SSE;
  }

  @Override
  public UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId) {
    ProviderConfig provider = target.provider();
    UpstreamRequest prepared = UpstreamRequest.postJson(provider, "/v2/chat", forwardHeaders,
        request.stream() ? "text/event-stream" : "application/json", requestId,
        CohereRequestWriter.write(request.conversation(), target.model().upstreamModel()));
    authorize(prepared, provider);
    return prepared;
  }

  @Override
  public String healthPath() {
    return "/v1/models";
  }

  @Override
  public StreamDecoder newDecoder(ChatRequest request) {
    return new CohereStreamDecoder();
  }

  @Override
  public Completion readCompletion(Buffer body) {
    return CohereCompletions.read(body);
  }
}
