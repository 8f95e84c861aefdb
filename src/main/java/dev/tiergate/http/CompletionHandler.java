package dev.tiergate.http;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.ListenerLimits;
import dev.tiergate.routing.Balancer;
import dev.tiergate.routing.RouteDecision;
import dev.tiergate.routing.RouteHints;
import dev.tiergate.routing.RoutePlanner;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.security.ClientKey;
import dev.tiergate.security.KeyLimiter;
import dev.tiergate.security.LoadShedder;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientFormat;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * A chat endpoint in one client format ({@code POST /v1/chat/completions}, {@code /v1/messages}, {@code /api/chat}):
 * admit (the in-flight ceiling, before the body is read), read the body within its deadline, parse, plan from the
 * current snapshot, apply the client key's policy and limits, hand the call to a {@link ProxyCall}. Every admitted
 * request ends in exactly one {@link CallOutcome}, which also gives back its in-flight slot and key slot.
 */
final class CompletionHandler implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final ClientFormat format;
  private final Balancer balancer;
  private final SnapshotHolder snapshots;
  private final CallServices services;
  private final long maxBodyBytes;
  private final ListenerLimits limits;
  private final LoadShedder shedder;
  private final KeyLimiter limiter;

  CompletionHandler(Vertx vertx, ClientFormat format, Balancer balancer, SnapshotHolder snapshots,
                    CallServices services, long maxBodyBytes, ListenerLimits limits, LoadShedder shedder,
                    KeyLimiter limiter) {
    this.vertx = vertx;
    this.format = format;
    this.balancer = balancer;
    this.snapshots = snapshots;
    this.services = services;
    this.maxBodyBytes = maxBodyBytes;
    this.limits = limits;
    this.shedder = shedder;
    this.limiter = limiter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!shedder.enter()) {
      reject(ctx, GatewayException.overloaded(), services.outcomes());
      return;
    }
    Consumer<CallOutcome> done = outcome -> {
      shedder.exit();
      services.outcomes().accept(outcome);
    };
    long deadline = vertx.setTimer(limits.bodyTimeoutMs(), id -> bodyTooSlow(ctx));
    RequestBody.read(ctx.request(), maxBodyBytes)
        .onComplete(ar -> vertx.cancelTimer(deadline))
        .onSuccess(body -> {
          if (ctx.response().ended() || ctx.response().closed()) {
            return;
          }
          try {
            proxy(ctx, body, done);
          } catch (GatewayException e) {
            reject(ctx, e, done);
          }
        })
        .onFailure(failure -> reject(ctx, failure, done));
  }

  /** The body did not arrive in time (slow POST): 408, then the connection is closed (see ErrorResponder). */
  private void bodyTooSlow(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.request().connection().close();
      return;
    }
    ctx.fail(GatewayException.requestTimeout("The request body did not arrive within " + limits.bodyTimeoutMs()
        + " ms"));
  }

  /** A request refused before any upstream was tried still yields its one outcome; labels stay bounded ("none"). */
  private void reject(RoutingContext ctx, Throwable failure, Consumer<CallOutcome> done) {
    GatewayException error = failure instanceof GatewayException e ? e : null;
    double durationMs = (System.nanoTime() - RequestIds.startNanos(ctx)) / 1e6;
    done.accept(new CallOutcome(RequestIds.of(ctx), clientKeyId(ctx), format.wireName(), "none", "none", "none",
        "none", "none", error != null ? error.status() : 499, false, false, 0, -1, durationMs, durationMs, -1, -1,
        false, false, false, ctx.response().bytesWritten(), null, error != null ? error.errorClass() : "client_closed",
        false, null, null));
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.fail(failure);
    }
  }

  private void proxy(RoutingContext ctx, Buffer body, Consumer<CallOutcome> done) {
    HttpServerRequest http = ctx.request();
    ChatRequest request = format.codec().parse(body);
    ClientKey key = ClientAuth.key(ctx);
    RouteHints hints = RouteHintsReader.read(request, http.headers(), ClientAuth.keyId(ctx));
    RouteDecision decision = KeyPolicy.restrict(key, RoutePlanner.plan(hints, snapshots.current(), balancer, true));
    Consumer<CallOutcome> finished = done;
    if (key != null && key.limits().any()) {
      // Admitted after planning: a request the policy refuses costs the key nothing.
      KeyLimiter.Refusal refusal = limiter.admit(key, request.stream());
      if (refusal != null) {
        throw GatewayException.keyLimited(refusal.code(), refusal.retryAfterSeconds(), refusal.message());
      }
      boolean stream = request.stream();
      finished = outcome -> {
        limiter.finished(key, stream, Math.max(0, outcome.promptTokens()) + Math.max(0, outcome.completionTokens()));
        done.accept(outcome);
      };
    }
    new ProxyCall(vertx, ctx.response(), request, decision, services, HeaderHygiene.forwardable(http.headers()),
        RequestIds.of(ctx), clientKeyId(ctx), RequestIds.startNanos(ctx), finished).start();
  }

  private static String clientKeyId(RoutingContext ctx) {
    String id = ClientAuth.keyId(ctx);
    return id == null ? CallOutcome.ANONYMOUS : id;
  }
}
