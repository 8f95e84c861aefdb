package dev.tiergate.http;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.provider.Usage;
import dev.tiergate.routing.RouteDecision;
import dev.tiergate.routing.Target;
import dev.tiergate.usage.PromptExcerpt;
import dev.tiergate.usage.TokenEstimate;
import dev.tiergate.wire.ChatRequest;

/**
 * What one call counts on its way for its {@link CallOutcome}: when the first upstream request went out and the
 * first content came back, the gateway's own processing time, tokens (the provider's report, else an estimate from
 * the characters relayed), reasoning stripped and content failures. Used on the call's event loop only.
 */
final class CallTally {

  private final long startNanos;
  private long firstIssueNanos = -1;
  private long firstContentNanos = -1;
  private long processingNanos;
  private long outputChars;
  private Usage usage = Usage.UNKNOWN;
  private boolean reasoningStripped;
  private String contentFailure;
  /** Whether the counts of a broken call that a continuation adds to its own were estimated. */
  private boolean brokenEstimated;

  CallTally(long startNanos) {
    this.startNanos = startNanos;
  }

  /** An upstream request is about to go out; the first one ends the gateway's share before the upstream. */
  void issuing() {
    if (firstIssueNanos < 0) {
      firstIssueNanos = System.nanoTime();
    }
  }

  /** The first content goes to the client now; returns the time to it in milliseconds. */
  double contentStarts() {
    firstContentNanos = System.nanoTime();
    return (firstContentNanos - startNanos) / 1e6;
  }

  /**
   * Token counts of the answer relayed so far, the provider's report where it gave one and an estimate otherwise: what
   * a broken call adds to its continuation's usage, and what an error frame says reached the client.
   */
  Usage soFar(StreamRelay relay, ChatRequest request) {
    Usage seen = relay.usage();
    brokenEstimated |= seen.promptTokens() < 0 || seen.completionTokens() < 0;
    return seen.withTokens(seen.promptTokens() >= 0 ? seen.promptTokens() : TokenEstimate.prompt(request.promptView()),
        seen.completionTokens() >= 0 ? seen.completionTokens() : TokenEstimate.ofChars(relay.outputChars()));
  }

  /** A whole answer, read, translated and written in {@code processingNanos}. */
  void answered(WholeAnswer answer, long processingNanos) {
    usage = answer.usage();
    reasoningStripped = answer.reasoningStripped();
    contentFailure = answer.contentFailure();
    outputChars = answer.outputChars();
    this.processingNanos += processingNanos;
  }

  /**
   * Keeps what a relay counted before it goes: usage (a continuation's already sums both calls), characters relayed
   * (summed over the relays of a continued answer), the gateway's processing time.
   */
  void relayed(StreamRelay relay, boolean complete) {
    usage = relay.usage();
    reasoningStripped |= relay.reasoningStripped();
    outputChars += relay.outputChars();
    processingNanos += relay.processingNanos();
    if (complete) {
      contentFailure = relay.contentFailure();
    }
  }

  /**
   * The outcome of the call as it ends now.
   *
   * @param target the target that served or was tried last
   * @param partial whether content reached the client before the call failed
   * @param continued whether a fallback continued the answer after another model's stream broke off
   */
  CallOutcome outcome(String requestId, String clientKeyId, ChatRequest request, RouteDecision decision,
                      Target target, CallChain chain, int status, String errorClass, boolean partial,
                      boolean continued, long bytesOut, Observation observation) {
    long now = System.nanoTime();
    double ttftMs = firstContentNanos < 0 ? -1 : (firstContentNanos - startNanos) / 1e6;
    double overheadMs = ((firstIssueNanos < 0 ? now : firstIssueNanos) - startNanos + processingNanos) / 1e6;
    Usage counted = usage;
    boolean estimated = continued && brokenEstimated;
    if (firstContentNanos >= 0 && (counted.promptTokens() < 0 || counted.completionTokens() < 0)) {
      // Content reached the client but the provider's count did not (a cut stream, a provider without usage).
      estimated = true;
      counted = counted.withTokens(counted.promptTokens() >= 0 ? counted.promptTokens()
              : TokenEstimate.prompt(request.promptView()),
          counted.completionTokens() >= 0 ? counted.completionTokens() : TokenEstimate.ofChars(outputChars));
    }
    return new CallOutcome(requestId, clientKeyId, request.format().wireName(), target.route(),
        decision.primary().route(), decision.tier().wireName(), target.provider().name(), target.model().key(),
        status, request.stream(), chain.onFallback(), chain.retries(), ttftMs, (now - startNanos) / 1e6, overheadMs,
        counted.promptTokens(), counted.completionTokens(), estimated, partial, continued, bytesOut,
        counted.finishReason(),
        errorClass, reasoningStripped, contentFailure,
        observation.promptExcerpts() ? PromptExcerpt.of(request.promptView(), observation.secrets()) : null);
  }
}
