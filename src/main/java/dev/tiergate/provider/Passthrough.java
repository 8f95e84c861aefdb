package dev.tiergate.provider;

import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;

/** When a call needs no translation: the provider speaks the client's format and nothing must be rewritten. */
public final class Passthrough {

  private Passthrough() {
  }

  /**
   * True when the request and its answer can pass unchanged between the client and {@code target}: never for a
   * continuation, whose request holds text the client did not send and whose stream carries on the client's.
   */
  public static boolean applies(ChatRequest request, Target target) {
    return request.format().codec().nativeFamily() == target.provider().family() && !target.model().stripThinking()
        && !request.continuation();
  }
}
