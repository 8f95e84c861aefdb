package dev.tiergate.http;

import dev.tiergate.routing.RoutingSnapshot;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.routing.Tier;
import dev.tiergate.wire.ollama.OllamaTags;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The read-only parts of Ollama's API that Ollama clients call before chatting: {@code GET /api/tags} (the models
 * they may name: registry keys and routing aliases) and {@code GET /api/version}.
 */
final class OllamaInfoHandler {

  /**
   * The Ollama API version the gateway's {@code /api/chat} corresponds to; clients check it to enable features such
   * as tool calling.
   */
  static final String OLLAMA_API_VERSION = "0.12.0";

  /** The gateway holds no model files; "modified" is when this process started serving. */
  private static final Instant STARTED = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  private OllamaInfoHandler() {
  }

  static Handler<RoutingContext> tags(SnapshotHolder snapshots) {
    return ctx -> {
      RoutingSnapshot snapshot = snapshots.current();
      List<String> names = new ArrayList<>(List.of("auto"));
      for (Tier tier : Tier.values()) {
        names.add("tier:" + tier.wireName());
      }
      names.addAll(new TreeSet<>(snapshot.models().keySet()));
      ctx.response().putHeader("content-type", "application/json")
          .end(OllamaTags.body(names, STARTED));
    };
  }

  static Handler<RoutingContext> version() {
    return ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("version", OLLAMA_API_VERSION).toBuffer());
  }
}
