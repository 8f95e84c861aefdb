package dev.tiergate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.openai.OpenAiCompletions;
import dev.tiergate.wire.openai.OpenAiRequestWriter;
import dev.tiergate.wire.openai.OpenAiStreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The "openai-compatible" family: OpenAI, OpenRouter, vLLM, LM Studio, LocalAI and Ollama's {@code /v1} API all take
 * the client's Chat Completions body with the model name swapped, and stream {@code chat.completion.chunk} events.
 */
public final class OpenAiCompatibleAdapter implements ProviderAdapter {

  @Override
  public Framing framing() {
    return Framing.SSE;
  }

  @Override
  public UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId) {
    ProviderConfig provider = target.provider();
    ObjectNode body;
    if (Passthrough.applies(request, target)) {
      body = request.body();
      body.put("model", target.model().upstreamModel());
      if (request.stream() && provider.streamUsage()) {
        // Ask for usage on our own account; OpenAiStreamTap hides the chunk from clients that did not ask.
        body.putObject("stream_options").put("include_usage", true);
      } else if (request.stream() && !request.clientWantsUsage()) {
        body.remove("stream_options");
      }
    } else {
      body = OpenAiRequestWriter.write(request.conversation(), target.model().upstreamModel(), provider.streamUsage());
    }
    UpstreamRequest prepared = UpstreamRequest.postJson(provider, "/chat/completions", forwardHeaders,
        request.stream() ? "text/event-stream" : "application/json", requestId, body);
    authorize(prepared, provider);
    return prepared;
  }

  @Override
  public String healthPath() {
    return "/models";
  }

  @Override
  public StreamDecoder newDecoder(ChatRequest request) {
    return new OpenAiStreamDecoder();
  }

  @Override
  public StreamTap newTap(ChatRequest request) {
    return new OpenAiStreamTap(request.clientWantsUsage());
  }

  @Override
  public Completion readCompletion(Buffer body) {
    return OpenAiCompletions.read(body);
  }
}
