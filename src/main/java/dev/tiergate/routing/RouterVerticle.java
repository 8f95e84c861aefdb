package dev.tiergate.routing;

import dev.tiergate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;

/**
 * Single writer of the routing state. Owns the {@link RoutingSnapshot} that every HTTP verticle reads through the
 * shared {@link SnapshotHolder}. For now the snapshot is built once from the configuration and the sub-agent × phase
 * table (read off the event loop); the registry, the canary and their bus addresses ({@code tiergate.canary.commands},
 * {@code tiergate.canary.events}) plug in here.
 */
public final class RouterVerticle extends VerticleBase {

  private final GatewayConfig config;
  private final SnapshotHolder holder;

  public RouterVerticle(GatewayConfig config, SnapshotHolder holder) {
    this.config = config;
    this.holder = holder;
  }

  @Override
  public Future<?> start() {
    String file = config.routing().phaseRoutingFile();
    return vertx.executeBlocking(() -> file == null ? PhaseRouting.EMPTY : PhaseRouting.load(Path.of(file)))
        .map(phases -> {
          holder.publish(RoutingSnapshot.fromConfig(1, config, phases));
          return phases;
        });
  }
}
