package dev.tiergate.http;

import dev.tiergate.bus.Addresses;
import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.GatewayConfig;
import dev.tiergate.config.ListenerLimits;
import dev.tiergate.provider.HealthBoard;
import dev.tiergate.provider.Upstreams;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.wire.ClientFormat;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.IntConsumer;

/**
 * The public API, one instance per event loop. Owns its listener, its upstream clients (so a call's client and upstream
 * connections share one event loop) and the relay. Reads routing snapshots from the {@link SnapshotHolder}; publishes
 * one {@link CallOutcome} per request on {@link Addresses#OUTCOMES}.
 */
public final class HttpServerVerticle extends VerticleBase {

  private final GatewayConfig config;
  private final SnapshotHolder snapshots;
  private final HealthBoard health;
  private final GatewayShared shared;
  private final IntConsumer onListening;
  private Upstreams upstreams;

  public HttpServerVerticle(GatewayConfig config, GatewayShared shared, IntConsumer onListening) {
    this.config = config;
    this.snapshots = shared.snapshots();
    this.health = shared.health();
    this.shared = shared;
    this.onListening = onListening;
  }

  @Override
  public Future<?> start() {
    upstreams = new Upstreams(vertx);
    ErrorResponder errors = new ErrorResponder(config.http().maxBodyBytes());
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    // Auth first, for every path (unknown ones included): no spelling of a path gets past it unauthenticated.
    router.route().handler(new ClientAuth(snapshots));
    router.post("/v1/chat/completions").handler(chat(ClientFormat.OPENAI, errors));
    router.post("/v1/messages").handler(chat(ClientFormat.ANTHROPIC, errors));
    router.post("/api/chat").handler(chat(ClientFormat.OLLAMA, errors));
    router.get("/v1/models").handler(new ModelsHandler(snapshots));
    router.get("/api/tags").handler(OllamaInfoHandler.tags(snapshots));
    router.get("/api/version").handler(OllamaInfoHandler.version());
    router.get("/healthz").handler(ctx -> json(ctx, new JsonObject().put("status", "ok")));
    router.get("/readyz").handler(ctx -> {
      String status = readiness();
      ctx.response().setStatusCode(status.equals("ready") ? 200 : 503);
      json(ctx, new JsonObject().put("status", status));
    });
    router.route().failureHandler(errors::handle);
    // Unmatched paths (404) and methods (405) never reach a route's failure handler.
    router.errorHandler(404, errors::handle);
    router.errorHandler(405, errors::handle);
    ListenerLimits limits = config.http().limits();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        // With h2c detection on, a connection is not handed over (nor guarded) until its first bytes arrive.
        .setHttp2ClearTextEnabled(config.http().h2c())
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setMaxInitialLineLength(limits.maxRequestLineBytes());
    config.http().tls().ifPresent(tls -> Tls.serve(options, tls));
    ConnectionGuard guard = new ConnectionGuard(vertx, limits, shared.shedder());
    return vertx.createHttpServer(options)
        .connectionHandler(guard::opened)
        .requestHandler(request -> {
          guard.requestStarted(request);
          if (RequestIds.escapesValid(request.path())) {
            router.handle(request);
          } else {
            // The router would fail normalizing it, with a plain-text answer and a stack trace per request.
            errors.send(request.response(), ClientFormat.OPENAI, GatewayException.badRequest("invalid_path",
                "The request path has an invalid percent-escape"), "-");
          }
        })
        .listen()
        .onSuccess(server -> onListening.accept(server.actualPort()));
  }

  /**
   * {@code ready}, or why not: {@code starting}, {@code database_unreachable} (the gateway serves from its last
   * good registry, or conf/, meanwhile), {@code no_provider_up}.
   */
  private String readiness() {
    if (!snapshots.ready()) {
      return "starting";
    }
    SnapshotHolder.RegistryHealth registry = snapshots.registry();
    if (registry.databaseConfigured() && !registry.databaseReachable()) {
      return "database_unreachable";
    }
    return health.serviceable() ? "ready" : "no_provider_up";
  }

  private CompletionHandler chat(ClientFormat format, ErrorResponder errors) {
    var resilience = config.routing().resilience();
    CallServices services = new CallServices(upstreams, config.streaming(), errors,
        outcome -> vertx.eventBus().publish(Addresses.OUTCOMES, outcome),
        new RetryPolicy(resilience.maxAttemptsPerTarget(), resilience.baseDelayMs(), resilience.maxDelayMs(),
            resilience.retryAfterCapMs()),
        shared.retryBudget(), shared.breakers(), shared.latency(), resilience.chainDeadlineMs(),
        shared.observation());
    return new CompletionHandler(vertx, format, shared.balancer(), snapshots, services, config.http().maxBodyBytes(),
        config.http().limits(), shared.shedder(), shared.limiter());
  }

  @Override
  public Future<?> stop() {
    return upstreams == null ? Future.succeededFuture() : upstreams.close();
  }

  private static void json(io.vertx.ext.web.RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
