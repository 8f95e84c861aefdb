package dev.tiergate.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes an admin answer: 200, {@code application/json}. */
final class AdminJson {

  private AdminJson() {
  }

  static void send(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
