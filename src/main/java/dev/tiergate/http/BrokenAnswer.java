package dev.tiergate.http;

import dev.tiergate.provider.Usage;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ContinuationNote;

/**
 * What a call keeps once its answer broke off after content reached the client: the failure the client must hear
 * of, the model it broke on, and what the client has of the answer, for a continuation. Only an attempt that itself
 * relayed content changes it: a continuation that fails before its first content leaves the cause as it was, so an
 * error frame never names a fallback's refusal. Used on the call's event loop only.
 */
final class BrokenAnswer {

  private GatewayException cause;
  private Target target;
  private Resume resume;
  private Usage usage;

  /**
   * The attempt on {@code target} relayed content through {@code relay}, then failed with {@code error}.
   *
   * @param soFar the tokens of the answer so far, reported or estimated
   */
  void brokeOff(GatewayException error, StreamRelay relay, Target target, Usage soFar) {
    resume = relay.resumePoint();
    usage = soFar;
    this.target = target;
    cause = error.withMessage(error.getMessage() + " (after about " + soFar.completionTokens()
        + " tokens of the answer had reached the client)");
  }

  /** An attempt failed before its own content: the first cause stands. */
  void failedBeforeContent(GatewayException error) {
    if (cause == null) {
      cause = error;
    }
  }

  boolean isBroken() {
    return cause != null;
  }

  /** The failure to end the client's stream with. */
  GatewayException cause() {
    return cause;
  }

  /** The target whose stream broke (what the outcome names when the answer ends broken); null before any content. */
  Target target() {
    return target;
  }

  /** How a fallback would continue the answer; null when it cannot be continued (not kept, or not plain text). */
  Continuation continuation() {
    return resume == null ? null : Continuation.of(resume, usage, new ContinuationNote(target.model().key(),
        cause.errorClass()));
  }
}
