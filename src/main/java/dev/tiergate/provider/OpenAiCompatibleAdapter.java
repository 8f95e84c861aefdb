package dev.tiergate.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import dev.tiergate.wire.openai.OpenAiCompletions;
import dev.tiergate.wire.openai.OpenAiRequestWriter;
import dev.tiergate.wire.openai.OpenAiStreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The "openai-compatible" family: OpenAI, OpenRouter, vLLM, LM Studio, LocalAI and Ollama's {@code /v1} API all take
 * the client's Chat Completions body with the model name swapped, and stream {@code chat.completion.chunk} events.
 */
public final class OpenAiCompatibleAdapter implements ProviderAdapter {

  private static final String USER_AGENT = "tiergate/0.1";

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
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(provider.baseUrl().getHost())
        .setPort(provider.port())
        .setSsl(provider.tls())
        .setURI(provider.basePath() + "/chat/completions")
        .setConnectTimeout(provider.timeouts().connectMs())
        .setHeaders(forwardHeaders)
        .putHeader("content-type", "application/json")
        .putHeader("accept", request.stream() ? "text/event-stream" : "application/json")
        .putHeader("accept-encoding", "identity")
        .putHeader("user-agent", USER_AGENT)
        .putHeader("x-request-id", requestId);
    provider.apiKey().ifPresent(key -> options.putHeader("authorization", "Bearer " + key.value()));
    return new UpstreamRequest(options, Buffer.buffer(write(body)));
  }

  @Override
  public GatewayException mapError(ProviderConfig provider, int status, MultiMap headers, Buffer body) {
    return UpstreamErrors.map(provider, status, headers, body);
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

  private static byte[] write(ObjectNode body) {
    try {
      return JsonSupport.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not encode the upstream request");
    }
  }
}
