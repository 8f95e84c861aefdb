package dev.tiergate.wire;

import dev.tiergate.config.ProviderFamily;
import dev.tiergate.http.GatewayException;
import io.vertx.core.buffer.Buffer;

/**
 * Everything about one client wire format: reading its requests, writing answers, streams and errors in it. Stateless;
 * per-call state lives in the {@link StreamEncoder}s it creates.
 */
public interface ClientCodec {

  /**
   * Reads and validates a request body.
   *
   * @throws GatewayException (400) naming the offending field
   */
  ChatRequest parse(Buffer body);

  /** The provider family that speaks this format natively: requests and streams pass through to it unchanged. */
  ProviderFamily nativeFamily();

  /** The error body for a response that has not started. */
  Buffer errorBody(GatewayException error);

  /** The frame that ends a stream which already sent content, in the format's own error convention. */
  Buffer errorFrame(GatewayException error);

  /** A keep-alive the format's clients ignore, or null when the format has none. */
  Buffer heartbeat();

  /** Content type of a streamed answer. */
  String streamContentType();

  /**
   * A new encoder for one streamed answer.
   *
   * @param model     the model named in the answer (the registry key of the model that serves it)
   * @param requestId the gateway's request id, from which message ids are derived
   */
  StreamEncoder newStreamEncoder(ChatRequest request, String model, String requestId);

  /**
   * A new encoder that carries on a stream the client already receives: no message header, text goes on at
   * {@code at}, and the last frame tells of the continuation (where the format has room for it).
   *
   * @param model the model that finishes the answer, named from now on
   */
  StreamEncoder resumeStreamEncoder(ChatRequest request, String model, String requestId, StreamPosition at,
                                    ContinuationNote note);

  /** A whole answer in this format. */
  Buffer encodeCompletion(Completion completion, ChatRequest request, String model, String requestId);
}
