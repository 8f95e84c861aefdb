package dev.tiergate;

import dev.tiergate.admin.AdminVerticle;
import dev.tiergate.bus.CallOutcome;
import dev.tiergate.bus.LocalRecordCodec;
import dev.tiergate.canary.GateReport;
import dev.tiergate.canary.MetricsVerticle;
import dev.tiergate.config.GatewayConfig;
import dev.tiergate.http.GatewayShared;
import dev.tiergate.http.HttpServerVerticle;
import dev.tiergate.http.Observation;
import dev.tiergate.security.KeyLimiter;
import dev.tiergate.security.LoadShedder;
import dev.tiergate.http.RetryBudget;
import dev.tiergate.provider.Breakers;
import dev.tiergate.provider.HealthBoard;
import dev.tiergate.provider.HealthVerticle;
import dev.tiergate.routing.Balancer;
import dev.tiergate.routing.LatencyBoard;
import dev.tiergate.routing.RouterVerticle;
import dev.tiergate.routing.SnapshotHolder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deploys the gateway's verticles on a Vert.x instance: the router first (so a snapshot exists), then metrics, provider
 * health checks, the HTTP verticles (one per event loop unless configured) and the admin verticle. Used by
 * {@code Main} and by tests.
 */
public final class GatewayApp {

  /** The running gateway's ports (useful when configured as 0). */
  public record Running(int httpPort, int adminPort) {
  }

  private GatewayApp() {
  }

  /**
   * @param env the environment: provider keys named by registry rows are read from it
   */
  public static Future<Running> deploy(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry registry,
                                       Map<String, String> env) {
    vertx.eventBus().registerDefaultCodec(CallOutcome.class, new LocalRecordCodec<>(CallOutcome.class));
    vertx.eventBus().registerDefaultCodec(GateReport.class, new LocalRecordCodec<>(GateReport.class));
    var resilience = config.routing().resilience();
    LatencyBoard latency = new LatencyBoard();
    GatewayShared shared = new GatewayShared(new SnapshotHolder(), new HealthBoard(), latency, new Balancer(latency),
        new RetryBudget(resilience.retryBudgetRatio(), resilience.retryBudgetMin()),
        new Breakers(vertx, new Breakers.BreakerConfig(resilience.breakerMaxFailures(), resilience.breakerResetMs(),
            resilience.breakerWindowMs()), registry), Observation.of(config.observability(), secrets(config), registry),
        new LoadShedder(config.http().limits().maxInFlight(), config.http().limits().maxConnections()),
        new KeyLimiter(System::nanoTime));
    SnapshotHolder snapshots = shared.snapshots();
    HealthBoard health = shared.health();
    int instances = config.http().instances() > 0 ? config.http().instances()
        : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    int[] ports = new int[2];
    return vertx.deployVerticle(new RouterVerticle(config, snapshots, env))
        .compose(id -> vertx.deployVerticle(new MetricsVerticle(registry, config.database(), snapshots,
            config.observability())))
        .compose(id -> vertx.deployVerticle(new HealthVerticle(snapshots, config.health(),
            config.routing().airgap(), health)))
        .compose(id -> vertx.deployVerticle(() -> new HttpServerVerticle(config, shared, port -> ports[0] = port),
            new DeploymentOptions().setInstances(instances)))
        .compose(id -> vertx.deployVerticle(new AdminVerticle(config.admin(), shared, registry,
            port -> ports[1] = port)))
        .map(id -> new Running(ports[0], ports[1]));
  }

  /** Every secret value the configuration holds, for redaction where text from clients is shown. */
  private static List<String> secrets(GatewayConfig config) {
    List<String> secrets = new ArrayList<>();
    config.clientKeys().forEach(key -> secrets.add(key.value()));
    config.providers().values().forEach(p -> p.apiKey().ifPresent(key -> secrets.add(key.value())));
    config.admin().token().ifPresent(token -> secrets.add(token.value()));
    config.database().flatMap(db -> db.password()).ifPresent(password -> secrets.add(password.value()));
    return secrets.stream().filter(s -> s.length() >= 6).distinct().toList();
  }
}
