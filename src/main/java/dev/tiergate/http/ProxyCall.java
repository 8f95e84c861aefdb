package dev.tiergate.http;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.ProviderTimeouts;
import dev.tiergate.config.StreamingConfig;
import dev.tiergate.provider.ProviderAdapter;
import dev.tiergate.provider.UpstreamRequest;
import dev.tiergate.provider.Upstreams;
import dev.tiergate.routing.RouteDecision;
import dev.tiergate.routing.Target;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientCodec;
import dev.tiergate.wire.ClientFormat;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Consumer;

/**
 * One client request on its way through the chain of targets. Owns the call's state machine: attempts, retries and
 * fallback before content reached the client; after it, continuation of a broken stream by a prefill-capable fallback
 * (the text so far goes up as a trailing assistant message and the remainder carries on in the same response);
 * first-byte / heartbeat / maximum-duration timers, cancellation when the client goes away, and the single
 * {@link CallOutcome}. Runs on one event loop; never blocks.
 */
final class ProxyCall implements StreamRelay.Listener {

  private static final int ERROR_BODY_LIMIT = 64 * 1024;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final ChatRequest request;
  private final RouteDecision decision;
  private final Upstreams upstreams;
  private final StreamingConfig streaming;
  private final ErrorResponder errors;
  private final CallServices services;
  private final CallChain chain;
  private final ClientFormat format;
  private final ClientCodec codec;
  private final Consumer<CallOutcome> outcomes;
  private final MultiMap forwardHeaders;
  private final String requestId;
  private final String clientKeyId;
  private final CallTally tally;

  private int attempt = -1;
  private long retryTimer = -1;
  /** The attempt whose callbacks still count; -1 once it failed, so late callbacks of a dead attempt are ignored. */
  private int live = -1;
  private Target target;
  private HttpClientRequest upstreamRequest;
  private StreamRelay relay;
  private long firstByteTimer = -1;
  private long heartbeatTimer = -1;
  private long maxTimer = -1;
  private long maxEndsMs;
  private boolean headersSent;
  private boolean contentStarted;
  private boolean finished;
  /** Whether the current attempt's relay sent content (for a continuation: whether the fallback's text began). */
  private boolean attemptContent;
  private final BrokenAnswer broken = new BrokenAnswer();
  /** Set while the current attempt continues a broken answer. */
  private Continuation continuation;
  private boolean continued;

  ProxyCall(Vertx vertx, HttpServerResponse response, ChatRequest request, RouteDecision decision,
            CallServices services, MultiMap forwardHeaders, String requestId, String clientKeyId, long startNanos,
            Consumer<CallOutcome> outcomes) {
    this.vertx = vertx;
    this.response = response;
    this.request = request;
    this.decision = decision;
    this.services = services;
    this.upstreams = services.upstreams();
    this.streaming = services.streaming();
    this.errors = services.errors();
    this.format = request.format();
    this.codec = format.codec();
    this.outcomes = outcomes;
    this.chain = new CallChain(decision.chain(), services, System.currentTimeMillis());
    this.target = decision.primary();
    this.forwardHeaders = forwardHeaders;
    this.requestId = requestId;
    this.clientKeyId = clientKeyId;
    this.tally = new CallTally(startNanos);
  }

  void start() {
    response.closeHandler(v -> clientGone());
    long maxStreamMs = decision.primary().provider().timeouts().maxStreamMs();
    maxEndsMs = System.currentTimeMillis() + maxStreamMs;
    maxTimer = vertx.setTimer(maxStreamMs, id -> onMaxDuration());
    if (request.stream() && codec.heartbeat() != null) {
      heartbeatTimer = vertx.setPeriodic(streaming.heartbeatMs(), id -> heartbeat());
    }
    tryFrom(0, null);
  }

  /** Attempts the first target from {@code index} whose circuit admits it; fails with {@code last} when none does. */
  private void tryFrom(int index, GatewayException last) {
    if (!chain.admit(index)) {
      fail(last != null ? last : GatewayException.unavailable("circuits_open",
          Long.toString(Math.max(1, services.breakers().config().resetTimeoutMs() / 1000)),
          "Every target that may serve this request is failing; its circuit is open"));
      return;
    }
    target = chain.target();
    long now = System.currentTimeMillis();
    issue(request, chain.attemptTimeoutMs(target.provider().timeouts().firstByteMs(), now));
  }

  /**
   * Asks the next prefill-capable target to finish the broken answer, inside what is left of the call's maximum
   * duration; ends the stream with the original failure when no target can.
   */
  private void continueOrFail() {
    Continuation next = broken.continuation();
    long leftMs = maxEndsMs - System.currentTimeMillis();
    if (next == null || leftMs <= 0 || !chain.admitContinuation(chain.index() + 1)) {
      failBroken();
      return;
    }
    target = chain.target();
    continuation = next;
    ChatRequest continuing;
    try {
      continuing = request.continuing(next.prefill());
    } catch (GatewayException e) {
      failBroken();
      return;
    }
    if (codec.heartbeat() != null) {
      cancelTimer(heartbeatTimer);
      heartbeatTimer = vertx.setPeriodic(streaming.heartbeatMs(), id -> heartbeat());
    }
    issue(continuing, Math.max(1, Math.min(target.provider().timeouts().firstByteMs(), leftMs)));
  }

  /** Sends {@code outgoing} to the current target as a new attempt, with its first-byte timer. */
  private void issue(ChatRequest outgoing, long firstByteMs) {
    attempt++;
    int seq = attempt;
    live = seq;
    attemptContent = false;
    ProviderTimeouts timeouts = target.provider().timeouts();
    ProviderAdapter adapter = upstreams.adapter(target.provider().family());
    UpstreamRequest prepared;
    try {
      MultiMap headers = HeaderHygiene.forFamily(forwardHeaders, target.provider().family());
      prepared = adapter.prepare(outgoing, target, headers, requestId);
    } catch (GatewayException e) {
      onAttemptFailure(seq, e);
      return;
    }
    tally.issuing();
    firstByteTimer = vertx.setTimer(firstByteMs, id -> onAttemptFailure(seq, GatewayException.timeout(
        "upstream_timeout", "The upstream sent no content within " + firstByteMs + " ms")));
    upstreams.request(target.provider(), prepared.options())
        .compose(req -> send(seq, req, prepared.body()))
        .onSuccess(resp -> onResponse(seq, adapter, outgoing, resp))
        .onFailure(failure -> onAttemptFailure(seq, UpstreamFailures.classify(failure, timeouts)));
  }

  private Future<HttpClientResponse> send(int seq, HttpClientRequest req, Buffer body) {
    if (finished || seq != live) {
      req.reset();
      return Future.failedFuture(UpstreamFailures.CANCELLED);
    }
    upstreamRequest = req;
    return req.send(body);
  }

  private void onResponse(int seq, ProviderAdapter adapter, ChatRequest outgoing, HttpClientResponse resp) {
    if (finished || seq != live) {
      resp.request().reset();
      return;
    }
    resp.pause();
    int status = resp.statusCode();
    if (status >= 200 && status <= 299) {
      chain.succeeded();
    }
    if (status < 200 || status > 299) {
      BoundedBody.read(resp, ERROR_BODY_LIMIT).onComplete(ar -> {
        keepConnection(seq, ar.succeeded());
        onAttemptFailure(seq, adapter.mapError(target.provider(), status, resp.headers(), ar.result()));
      });
    } else if (!request.stream()) {
      cancelTimer(firstByteTimer);
      BoundedBody.read(resp, streaming.maxResponseBytes())
          .onSuccess(body -> onCompletion(seq, adapter, body))
          .onFailure(failure -> onAttemptFailure(seq, UpstreamFailures.classifyBody(failure)));
    } else if (!adapter.framing().accepts(resp.getHeader("content-type"))) {
      BoundedBody.read(resp, ERROR_BODY_LIMIT).onComplete(ar -> {
        keepConnection(seq, ar.succeeded());
        onAttemptFailure(seq, GatewayException.badGateway("upstream_not_streaming",
            "The upstream answered a stream request without a stream (" + adapter.framing() + " expected)"));
      });
    } else {
      boolean capture = chain.canContinue();
      StreamTransformer transformer = continuation == null
          ? StreamTransformer.of(adapter, request, target, requestId, capture)
          : StreamTransformer.continuing(adapter, outgoing, target, requestId, continuation, capture);
      relay = new StreamRelay(vertx, resp, response, adapter.framing(), transformer, streaming.maxEventBytes(),
          target.provider().timeouts().idleMs(), this, services.observation().chunkGaps(target.route()));
      relay.start();
    }
  }

  /** An upstream answer read to its end leaves a reusable connection: do not reset it when the attempt fails. */
  private void keepConnection(int seq, boolean answerComplete) {
    if (answerComplete && seq == live) {
      upstreamRequest = null;
    }
  }

  private void onCompletion(int seq, ProviderAdapter adapter, Buffer body) {
    if (finished || seq != live) {
      return;
    }
    long received = System.nanoTime();
    WholeAnswer answer;
    try {
      answer = WholeAnswer.of(adapter, body, request, target, requestId);
    } catch (GatewayException e) {
      onAttemptFailure(seq, e);
      return;
    }
    upstreamRequest = null;
    services.latency().record(target.model().key(), tally.contentStarts());
    commitHeaders("application/json");
    response.end(answer.body());
    tally.answered(answer, System.nanoTime() - received);
    finish(200, null);
  }

  @Override
  public void onFirstContent() {
    cancelTimer(firstByteTimer);
    cancelTimer(heartbeatTimer);
    attemptContent = true;
    continued |= continuation != null;
    if (!contentStarted) {
      contentStarted = true;
      services.latency().record(target.model().key(), tally.contentStarts());
    }
    if (!headersSent) {
      commitStreamHeaders();
    }
  }

  @Override
  public void onStreamEnd() {
    if (finished) {
      return;
    }
    if (!headersSent) {
      commitStreamHeaders();
    }
    tally.relayed(relay, true);
    upstreamRequest = null;
    response.end();
    finish(200, null);
  }

  @Override
  public void onStreamFailure(GatewayException error) {
    onAttemptFailure(live, error);
  }

  private void onAttemptFailure(int seq, GatewayException error) {
    if (finished || seq != live) {
      return;
    }
    live = -1;
    cancelTimer(firstByteTimer);
    if (contentStarted) {
      onBrokenAnswer(error);
      return;
    }
    abortUpstream();
    RetryPolicy.Decision next = chain.decide(error, System.currentTimeMillis());
    switch (next.kind()) {
      case RETRY_SAME -> retryTimer = vertx.setTimer(Math.max(1, next.delayMs()), id -> {
        retryTimer = -1;
        if (!finished) {
          tryFrom(chain.index(), error);
        }
      });
      case FALLBACK -> {
        if (chain.hasNext()) {
          tryFrom(chain.index() + 1, error);
        } else {
          fail(error);
        }
      }
      case FAIL -> fail(error);
    }
  }

  /** An attempt failed after content reached the client: continue the answer elsewhere, or end it with the cause. */
  private void onBrokenAnswer(GatewayException error) {
    if (attemptContent && relay != null) {
      broken.brokeOff(error, relay, target, tally.soFar(relay, request));
    } else {
      broken.failedBeforeContent(error);
    }
    abortUpstream();
    chain.failed(error);
    continueOrFail();
  }

  /** Ends the stream with what broke it, on the outcome of the target it broke on (not a fallback that refused). */
  private void failBroken() {
    if (broken.target() != null) {
      target = broken.target();
    }
    fail(broken.cause());
  }

  private void fail(GatewayException error) {
    if (headersSent) {
      response.end(format.errorFrame(error));
      finish(200, error.errorClass());
    } else {
      errors.send(response, format, error, requestId);
      finish(error.status(), error.errorClass());
    }
  }

  /** Keeps a waiting client's connection alive: before the first content, and while a continuation has not begun. */
  private void heartbeat() {
    if (finished || attemptContent) {
      cancelTimer(heartbeatTimer);
      return;
    }
    if (!headersSent) {
      commitStreamHeaders();
    }
    if (!response.writeQueueFull()) {
      response.write(codec.heartbeat());
    }
  }

  private void onMaxDuration() {
    if (finished) {
      return;
    }
    abortUpstream();
    if (broken.isBroken() && !attemptContent) {
      // A continuation that had not begun when time ran out: the answer is broken by what broke it, not by the clock.
      failBroken();
      return;
    }
    fail(GatewayException.timeout("upstream_max_duration", "The call exceeded the maximum duration of "
        + decision.primary().provider().timeouts().maxStreamMs() + " ms"));
  }

  /** The client went away: cancel the upstream at once, whatever phase the call is in. */
  private void clientGone() {
    if (finished) {
      return;
    }
    abortUpstream();
    finish(499, "client_closed");
  }

  private void abortUpstream() {
    if (relay != null) {
      relay.stop();
      tally.relayed(relay, false);
      relay = null;
    }
    HttpClientRequest request = upstreamRequest;
    upstreamRequest = null;
    if (request != null) {
      request.reset();
    }
  }

  private void commitStreamHeaders() {
    commitHeaders(codec.streamContentType());
    response.setChunked(true)
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
  }

  private void commitHeaders(String contentType) {
    headersSent = true;
    response.setStatusCode(200).putHeader("content-type", contentType);
    RouteHeaders.write(response, decision, target, chain.onFallback());
  }

  private void finish(int status, String errorClass) {
    finished = true;
    cancelTimer(firstByteTimer);
    cancelTimer(heartbeatTimer);
    cancelTimer(maxTimer);
    cancelTimer(retryTimer);
    chain.close();
    outcomes.accept(tally.outcome(requestId, clientKeyId, request, decision, target, chain, status, errorClass,
        contentStarted && errorClass != null, continued, response.bytesWritten(), services.observation()));
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }
}
