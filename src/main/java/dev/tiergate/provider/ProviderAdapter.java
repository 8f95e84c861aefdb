package dev.tiergate.provider;

import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.StreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Speaks one provider wire family. Pure functions of their inputs: adapters hold no per-call state and never do I/O;
 * the relay does the sending and streaming.
 *
 * <p>When the client speaks the family's own format ({@link Passthrough#applies}) the request body goes up with only
 * the model swapped, and the answer comes back byte for byte through a {@link StreamTap}; otherwise the request is
 * written from the {@link dev.tiergate.wire.Conversation} and the answer decoded into events or a {@link Completion}.
 */
public interface ProviderAdapter {

  /** How this family frames its streams. */
  Framing framing();

  /**
   * Builds the upstream request for {@code target}.
   *
   * @param forwardHeaders client headers that passed {@code HeaderHygiene}; credentials are the adapter's to add
   */
  UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId);

  /**
   * Adds the provider's credentials (from config, never a client's) to a request for it: a bearer key unless the
   * family says otherwise.
   */
  default void authorize(UpstreamRequest request, ProviderConfig provider) {
    provider.apiKey().ifPresent(key -> request.header("authorization", "Bearer " + key.value()));
  }

  /** The path (under the base URL) of a cheap GET that lists the provider's models: the health check. */
  String healthPath();

  /** The health check request: an authorized GET of {@link #healthPath()}. */
  default UpstreamRequest healthCheck(ProviderConfig provider) {
    UpstreamRequest request = UpstreamRequest.get(provider, healthPath());
    authorize(request, provider);
    return request;
  }

  /** Maps an upstream non-2xx answer to the gateway's error, without leaking what the upstream echoed of a key. */
  default GatewayException mapError(ProviderConfig provider, int status, MultiMap headers, Buffer body) {
    return UpstreamErrors.map(provider, status, headers, body);
  }

  /** A new decoder for one streamed call that is translated. */
  StreamDecoder newDecoder(ChatRequest request);

  /** A new tap for one streamed call that passes through. */
  default StreamTap newTap(ChatRequest request) {
    return new DecoderTap(newDecoder(request));
  }

  /**
   * Reads a complete non-streamed answer.
   *
   * @throws GatewayException when the body is not a valid answer of this family
   */
  Completion readCompletion(Buffer body);
}
