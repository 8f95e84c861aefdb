package dev.tiergate.http;

import dev.tiergate.config.ModelConfig;
import dev.tiergate.routing.RoutingSnapshot;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.routing.Tier;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.TreeMap;

/** {@code GET /v1/models}: registry models and routing aliases, in OpenAI's list format. */
final class ModelsHandler implements Handler<RoutingContext> {

  private final SnapshotHolder snapshots;

  ModelsHandler(SnapshotHolder snapshots) {
    this.snapshots = snapshots;
  }

  @Override
  public void handle(RoutingContext ctx) {
    RoutingSnapshot snapshot = snapshots.current();
    JsonArray data = new JsonArray().add(model("auto", "tiergate"));
    for (Tier tier : Tier.values()) {
      data.add(model("tier:" + tier.wireName(), "tiergate"));
    }
    for (ModelConfig model : new TreeMap<>(snapshot.models()).values()) {
      data.add(model(model.key(), model.provider()).put("tier", model.tier().wireName()));
    }
    ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("object", "list").put("data", data).toBuffer());
  }

  private static JsonObject model(String id, String owner) {
    return new JsonObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", owner);
  }
}
