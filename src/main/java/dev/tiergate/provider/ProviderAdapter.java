package dev.tiergate.provider;

import dev.tiergate.config.ProviderConfig;
import dev.tiergate.http.ChatRequest;
import dev.tiergate.http.GatewayException;
import dev.tiergate.routing.Target;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Speaks one provider wire family. Pure functions of their inputs: adapters hold no per-call state and never do I/O;
 * the relay does the sending and streaming.
 */
public interface ProviderAdapter {

  /**
   * Builds the upstream request for {@code target}.
   *
   * @param forwardHeaders client headers that passed {@code HeaderHygiene}; credentials are the adapter's to add
   */
  UpstreamRequest prepare(ChatRequest request, Target target, MultiMap forwardHeaders, String requestId);

  /** Maps an upstream non-2xx answer to the gateway's error, without leaking what the upstream echoed of a key. */
  GatewayException mapError(ProviderConfig provider, int status, MultiMap headers, Buffer body);

  /** A new tap for one streamed call. */
  StreamTap newTap(ChatRequest request);

  /**
   * Reads usage and finish reason from a complete non-streamed response.
   *
   * @throws GatewayException when the body is not a valid completion
   */
  Usage readCompletion(Buffer body);
}
