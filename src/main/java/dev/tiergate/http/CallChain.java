package dev.tiergate.http;

import dev.tiergate.provider.Breakers;
import dev.tiergate.routing.Target;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where one call stands along its chain of targets: which target, how many attempts on it, the circuit breaker's
 * view of the current attempt, the retry budget it holds, and the call's one deadline. Decides, after a failure,
 * between retrying the same target, falling back to the next and giving up. Used on the call's event loop only.
 */
final class CallChain {

  private final List<Target> targets;
  private final CallServices services;
  private final long deadlineMs;
  private int index = -1;
  private int attemptsOnTarget;
  private int retries;
  private Breakers.Attempt attempt;
  private boolean holdingRetry;

  CallChain(List<Target> targets, CallServices services, long nowMs) {
    this.targets = targets;
    this.services = services;
    this.deadlineMs = nowMs + services.chainDeadlineMs();
    services.retryBudget().requestStarted();
  }

  Target target() {
    return targets.get(index);
  }

  /** Whether the current target is a fallback (not the chain's first). */
  boolean onFallback() {
    return index > 0;
  }

  boolean hasNext() {
    return index + 1 < targets.size();
  }

  /**
   * Starts an attempt on the first target from {@code from} whose circuit lets it through (skipping open ones
   * without a connection attempt).
   *
   * @return false when every remaining target's circuit refused
   */
  boolean admit(int from) {
    return admit(from, false);
  }

  /**
   * Like {@link #admit}, among the targets whose model continues a trailing assistant message (prefill) only: the
   * next attempt finishes an answer another target's stream broke off.
   */
  boolean admitContinuation(int from) {
    return admit(from, true);
  }

  /** Whether a target after the current one could continue a broken answer: then the answer's text is worth keeping. */
  boolean canContinue() {
    for (int i = index + 1; i < targets.size(); i++) {
      if (targets.get(i).model().prefill()) {
        return true;
      }
    }
    return false;
  }

  private boolean admit(int from, boolean prefillOnly) {
    releaseRetry();
    for (int i = from; i < targets.size(); i++) {
      Target candidate = targets.get(i);
      if (prefillOnly && !candidate.model().prefill()) {
        continue;
      }
      Breakers.Attempt admitted = services.breakers().begin(candidate.provider().name(), candidate.model().key());
      if (admitted.admitted()) {
        if (i != index) {
          attemptsOnTarget = 0;
        } else {
          retries++;
        }
        index = i;
        attemptsOnTarget++;
        attempt = admitted;
        return true;
      }
    }
    return false;
  }

  /** Attempts repeated on the same target so far (moving to a fallback is not a retry). */
  int retries() {
    return retries;
  }

  /** Index of the current target, to retry it or move past it. */
  int index() {
    return index;
  }

  /** The first-byte timeout of the next attempt: the provider's, but never past the call's deadline. */
  long attemptTimeoutMs(long firstByteMs, long nowMs) {
    return Math.max(1, Math.min(firstByteMs, deadlineMs - nowMs));
  }

  /** The upstream answered: the breaker learns the target works. */
  void succeeded() {
    if (attempt != null) {
      attempt.succeeded();
    }
  }

  /**
   * The call gives up on the current target after this failure: the breaker counts it only when it was the
   * upstream's fault (5xx, 429, connection failure, stall, bad credentials), never for the client's own errors or a
   * cancelled call; an upstream that refused the request as invalid did answer, so it counts as working.
   */
  void failed(GatewayException error) {
    if (attempt == null) {
      return;
    }
    if ("upstream_rejected".equals(error.errorClass())) {
      attempt.succeeded();
    } else if ((error.retryable() || "upstream_auth".equals(error.errorClass()))
        && error != UpstreamFailures.CANCELLED) {
      attempt.failed();
    } else {
      attempt.abandoned();
    }
  }

  /**
   * What to do after a failed attempt (before the answer started). A retry of the same target needs room in the
   * shared retry budget (held until the next attempt starts); without it the call falls back instead. The breaker
   * hears of the failure only when the call leaves the target: a blip that a retry absorbs (a pooled connection the
   * upstream had closed, one 503) does not open a circuit.
   */
  RetryPolicy.Decision decide(GatewayException error, long nowMs) {
    RetryPolicy.Decision decision = services.retryPolicy().next(error, attemptsOnTarget, nowMs, deadlineMs,
        ThreadLocalRandom.current());
    if (decision.kind() == RetryPolicy.Decision.Kind.RETRY_SAME && services.retryBudget().tryAcquireRetry()) {
      holdingRetry = true;
      attempt.abandoned();
      return decision;
    }
    failed(error);
    return decision.kind() == RetryPolicy.Decision.Kind.RETRY_SAME
        ? RetryPolicy.Decision.fallback("retry_budget_exhausted") : decision;
  }

  /** The call is over: nothing more will be reported for it. */
  void close() {
    if (attempt != null) {
      attempt.abandoned();
    }
    releaseRetry();
    services.retryBudget().requestEnded();
  }

  private void releaseRetry() {
    if (holdingRetry) {
      holdingRetry = false;
      services.retryBudget().releaseRetry();
    }
  }
}
