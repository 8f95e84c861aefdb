package dev.tiergate.admin;

import dev.tiergate.bus.Addresses;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.RouteHintsReader;
import dev.tiergate.routing.Balancer;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.usage.UsageQuery;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientFormat;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Locale;

/**
 * The admin's money routes: {@code GET /admin/usage?since=…&by=…&source=…} (totals from the metrics verticle, in
 * memory or from {@code model_usage_log}) and {@code POST /admin/estimate?format=openai|anthropic|ollama&scope=all}
 * (tokens and cost of a request on each candidate model, before anything is sent).
 */
final class UsageRoutes {

  /** Largest request body {@code POST /admin/estimate} reads. */
  static final long MAX_ESTIMATE_BODY = 4L * 1024 * 1024;

  private final Vertx vertx;
  private final SnapshotHolder snapshots;
  private final Balancer balancer;
  private final Instant startedAt;

  UsageRoutes(Vertx vertx, SnapshotHolder snapshots, Balancer balancer, Instant startedAt) {
    this.vertx = vertx;
    this.snapshots = snapshots;
    this.balancer = balancer;
    this.startedAt = startedAt;
  }

  void usage(RoutingContext ctx) {
    var params = ctx.request().params();
    UsageQuery query = UsageQuery.parse(params.get("since"), params.get("by"), params.get("source"), Instant.now(),
        startedAt);
    JsonObject ask = new JsonObject().put("since", query.since().toString()).put("by", query.by().name())
        .put("source", query.source() == null ? null : query.source().name());
    vertx.eventBus().<JsonObject>request(Addresses.USAGE_QUERY, ask, new DeliveryOptions().setSendTimeout(10_000))
        .onSuccess(reply -> AdminJson.send(ctx, reply.body()))
        .onFailure(e -> ctx.fail(e instanceof ReplyException reply && reply.failureCode() == 400
            ? GatewayException.badRequest("no_database", e.getMessage())
            : GatewayException.unavailable("usage_unavailable", "5", e.getMessage())));
  }

  void estimate(RoutingContext ctx) {
    ClientFormat format = format(ctx.request().getParam("format"));
    boolean all = "all".equals(ctx.request().getParam("scope"));
    if (ctx.body().buffer() == null) {
      throw GatewayException.badRequest("invalid_json", "The body must be a chat request in the given format");
    }
    ChatRequest request = format.codec().parse(ctx.body().buffer());
    var hints = RouteHintsReader.read(request, ctx.request().headers(), null);
    AdminJson.send(ctx, CostEstimator.estimate(request, hints, snapshots.current(), balancer, all));
  }

  private static ClientFormat format(String name) {
    if (name == null || name.isBlank()) {
      return ClientFormat.OPENAI;
    }
    for (ClientFormat format : ClientFormat.values()) {
      if (format.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw GatewayException.badRequest("invalid_format", "'format' must be openai, anthropic or ollama");
  }
}
