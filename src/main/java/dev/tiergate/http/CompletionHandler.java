package dev.tiergate.http;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.routing.Balancer;
import dev.tiergate.routing.RouteDecision;
import dev.tiergate.routing.RouteHints;
import dev.tiergate.routing.RoutePlanner;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientFormat;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * A chat endpoint in one client format ({@code POST /v1/chat/completions}, {@code /v1/messages}, {@code /api/chat}):
 * parse, plan from the current snapshot, hand the call to a {@link ProxyCall}.
 */
final class CompletionHandler implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final ClientFormat format;
  private final Balancer balancer;
  private final SnapshotHolder snapshots;
  private final CallServices services;
  private final long maxBodyBytes;

  CompletionHandler(Vertx vertx, ClientFormat format, Balancer balancer, SnapshotHolder snapshots,
                    CallServices services, long maxBodyBytes) {
    this.vertx = vertx;
    this.format = format;
    this.balancer = balancer;
    this.snapshots = snapshots;
    this.services = services;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    RequestBody.read(ctx.request(), maxBodyBytes)
        .onSuccess(body -> {
          try {
            proxy(ctx, body);
          } catch (GatewayException e) {
            reject(ctx, e);
          }
        })
        .onFailure(failure -> reject(ctx, failure));
  }

  /** A request refused before any upstream was tried still yields its one outcome; labels stay bounded ("none"). */
  private void reject(RoutingContext ctx, Throwable failure) {
    if (failure instanceof GatewayException error && !ctx.response().closed()) {
      double durationMs = (System.nanoTime() - RequestIds.startNanos(ctx)) / 1e6;
      services.outcomes().accept(new CallOutcome(RequestIds.of(ctx), clientKeyId(ctx), format.wireName(), "none",
          "none", "none", "none", "none", error.status(), false, false, 0, -1, durationMs, durationMs, -1, -1, false,
          false, ctx.response().bytesWritten(), null, error.errorClass(), false, null, null));
    }
    ctx.fail(failure);
  }

  private void proxy(RoutingContext ctx, Buffer body) {
    HttpServerRequest http = ctx.request();
    ChatRequest request = format.codec().parse(body);
    RouteHints hints = RouteHintsReader.read(request, http.headers(), ClientAuth.keyId(ctx));
    RouteDecision decision = RoutePlanner.plan(hints, snapshots.current(), balancer, true);
    new ProxyCall(vertx, ctx.response(), request, decision, services, HeaderHygiene.forwardable(http.headers()),
        RequestIds.of(ctx), clientKeyId(ctx), RequestIds.startNanos(ctx)).start();
  }

  private static String clientKeyId(RoutingContext ctx) {
    String id = ClientAuth.keyId(ctx);
    return id == null ? CallOutcome.ANONYMOUS : id;
  }
}
