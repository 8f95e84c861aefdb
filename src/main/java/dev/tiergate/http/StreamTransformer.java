package dev.tiergate.http;

import dev.tiergate.provider.Passthrough;
import dev.tiergate.provider.ProviderAdapter;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.provider.Usage;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientCodec;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Turns upstream frames into the bytes the client receives: unchanged ({@link PassthroughTransformer}) or translated
 * into the client's format ({@link TranslatingTransformer}). One per call; used on the call's event loop only.
 */
interface StreamTransformer {

  /**
   * The transformer for one streamed call to {@code target}: passthrough when no translation is needed.
   *
   * @param capture whether to keep the answer's text, for a continuation should the stream break off
   */
  static StreamTransformer of(ProviderAdapter adapter, ChatRequest request, Target target, String requestId,
                              boolean capture) {
    if (Passthrough.applies(request, target)) {
      return new PassthroughTransformer(adapter.newTap(request), capture);
    }
    ClientCodec codec = request.format().codec();
    return new TranslatingTransformer(adapter.newDecoder(request),
        codec.newStreamEncoder(request, target.model().key(), requestId), target.model().stripThinking(),
        codec.heartbeat(), capture ? "" : null, null);
  }

  /**
   * The transformer for {@code target} continuing an answer the client already receives: always translated, into an
   * encoder that carries on the client's stream.
   *
   * @param request the continuation request ({@link ChatRequest#continuing})
   * @param capture whether to keep the text, for yet another continuation
   */
  static StreamTransformer continuing(ProviderAdapter adapter, ChatRequest request, Target target, String requestId,
                                      Continuation continuation, boolean capture) {
    ClientCodec codec = request.format().codec();
    return new TranslatingTransformer(adapter.newDecoder(request),
        codec.resumeStreamEncoder(request, target.model().key(), requestId, continuation.from().at(),
            continuation.note()),
        target.model().stripThinking(), codec.heartbeat(), capture ? continuation.from().text() : null, continuation);
  }

  /**
   * Handles one upstream frame, passing any bytes for the client to {@code out}.
   *
   * @param contentStarted whether the client already received content (keep-alives are only relayed after that)
   * @return true when this frame completed the stream
   * @throws GatewayException when the frame is malformed or reports an upstream error
   */
  boolean onFrame(SseEvent frame, boolean contentStarted, Consumer<Buffer> out);

  /**
   * The upstream ended the body before a frame completed the stream.
   *
   * @return true (after passing any closing bytes to {@code out}) when the answer is complete nonetheless
   */
  boolean onUpstreamEnd(Consumer<Buffer> out);

  /** Usage and finish reason so far. */
  Usage usage();

  /** Characters of generated content relayed so far (text and tool-call arguments), for a token estimate. */
  long outputChars();

  /**
   * What the client received so far, for another model to continue: null when the text was not kept or the answer
   * holds more than text (a tool call), which no prefill can carry on.
   */
  Resume resumePoint();

  /** Whether reasoning blocks were removed from the answer. */
  default boolean reasoningStripped() {
    return false;
  }

  /** A content failure seen in the relayed text ({@code leaked_think}), null when none (or not looked at). */
  default String contentFailure() {
    return null;
  }
}
