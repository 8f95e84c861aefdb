package dev.tiergate.admin;

import dev.tiergate.bus.Addresses;
import dev.tiergate.canary.GateReport;
import dev.tiergate.config.AdminConfig;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.Secret;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.GatewayShared;
import dev.tiergate.provider.Breakers;
import dev.tiergate.provider.HealthBoard;
import dev.tiergate.provider.ProviderHealth;
import dev.tiergate.routing.Balancer;
import dev.tiergate.routing.RoutingSnapshot;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.wire.ClientFormat;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The admin port: {@code GET /admin/status}, {@code /admin/providers} (configuration and last health check),
 * {@code /admin/models}, {@code /admin/route} (why a sample request goes where it goes) and the Prometheus scrape
 * {@code GET /metrics}. Admin routes need the bearer {@code TIERGATE_ADMIN_TOKEN}; without a token they answer
 * loopback clients only. The scrape is open to anyone who can reach the admin port (bound to loopback by default).
 */
public final class AdminVerticle extends VerticleBase {

  private final AdminConfig config;
  private final SnapshotHolder snapshots;
  private final HealthBoard health;
  private final Balancer balancer;
  private final Breakers breakers;
  private final PrometheusMeterRegistry registry;
  private final IntConsumer onListening;
  private final long startedAt = System.currentTimeMillis();

  public AdminVerticle(AdminConfig config, GatewayShared shared, PrometheusMeterRegistry registry,
                       IntConsumer onListening) {
    this.config = config;
    this.snapshots = shared.snapshots();
    this.health = shared.health();
    this.balancer = shared.balancer();
    this.breakers = shared.breakers();
    this.registry = registry;
    this.onListening = onListening;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(this::scrape);
    router.route("/admin/*").handler(this::authorize);
    router.get("/admin/status").handler(this::status);
    router.get("/admin/providers").handler(this::providers);
    router.get("/admin/models").handler(this::models);
    router.get("/admin/registry").handler(this::registry);
    router.post("/admin/registry/refresh").handler(this::refreshRegistry);
    router.get("/admin/canary").handler(ctx -> AdminJson.send(ctx, canaryStatus()));
    router.get("/admin/canary/quality").handler(this::canaryQuality);
    router.get("/admin/canary/history").handler(ctx -> canaryCommand(ctx, new JsonObject().put("action", "history")
        .put("limit", intParam(ctx, "limit", 50))));
    for (String action : new String[] {"advance", "set", "pause", "resume", "rollback"}) {
      router.post("/admin/canary/" + action).handler(ctx -> ctx.request().body().onSuccess(body -> {
        JsonObject command;
        try {
          command = command(action, body);
        } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
          ctx.fail(GatewayException.badRequest("invalid_json", "The body must be a JSON object"));
          return;
        }
        canaryCommand(ctx, command);
      }).onFailure(ctx::fail));
    }
    UsageRoutes usage = new UsageRoutes(vertx, snapshots, balancer, Instant.ofEpochMilli(startedAt));
    router.get("/admin/usage").handler(usage::usage);
    router.post("/admin/estimate").handler(BodyHandler.create(false).setBodyLimit(UsageRoutes.MAX_ESTIMATE_BODY))
        .handler(usage::estimate);
    router.get("/admin/route").handler(ctx -> AdminJson.send(ctx,
        RouteExplainer.explain(ctx.request().params(), snapshots.current(), balancer)));
    router.route().last().handler(ctx -> ctx.fail(GatewayException.notFound("not_found", "No such admin endpoint")));
    router.route().failureHandler(AdminVerticle::failure);
    return vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
        .requestHandler(router)
        .listen()
        .onSuccess(server -> onListening.accept(server.actualPort()));
  }

  private void scrape(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
  }

  private void authorize(RoutingContext ctx) {
    if (config.token().isPresent()) {
      Secret token = config.token().get();
      String header = ctx.request().getHeader("authorization");
      boolean ok = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
          && token.matches(header.substring(7).trim());
      if (ok) {
        ctx.next();
      } else {
        ctx.fail(GatewayException.unauthorized("Admin API needs 'Authorization: Bearer <TIERGATE_ADMIN_TOKEN>'"));
      }
      return;
    }
    if (isLoopback(ctx.request().remoteAddress().hostAddress())) {
      ctx.next();
    } else {
      ctx.fail(GatewayException.forbidden("Without TIERGATE_ADMIN_TOKEN the admin API answers loopback clients only"));
    }
  }

  private void status(RoutingContext ctx) {
    RoutingSnapshot snapshot = snapshots.current();
    JsonObject body = new JsonObject()
        .put("status", "ok")
        .put("uptimeMs", System.currentTimeMillis() - startedAt)
        .put("snapshotVersion", snapshot.version())
        .put("defaultTier", snapshot.defaultTier().wireName())
        .put("models", snapshot.models().size())
        .put("registry", registryStatus(snapshot))
        .put("providers", providerList(snapshot));
    AdminJson.send(ctx, body);
  }

  /** The registry in force: where it came from, how old it is, and the database's state when one is configured. */
  private void registry(RoutingSnapshot snapshot, RoutingContext ctx) {
    JsonObject models = new JsonObject();
    new TreeMap<>(snapshot.models()).forEach((key, m) -> models.put(key, new JsonObject()
        .put("provider", m.provider()).put("upstreamModel", m.upstreamModel()).put("tier", m.tier().wireName())
        .put("fallbacks", new JsonArray(m.fallbacks()))));
    JsonObject tiers = new JsonObject();
    snapshot.tiers().forEach((tier, key) -> tiers.put(tier.wireName(), key));
    JsonObject local = new JsonObject();
    snapshot.routing().localModels().forEach((tier, key) -> local.put(tier.wireName(), key));
    AdminJson.send(ctx, registryStatus(snapshot).put("tiers", tiers).put("localModels", local).put("models", models));
  }

  private void registry(RoutingContext ctx) {
    registry(snapshots.current(), ctx);
  }

  /** Reads the registry again now; 503 at once when the database cannot be read. */
  private void refreshRegistry(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.REGISTRY_REFRESH, new JsonObject(),
            new DeliveryOptions().setSendTimeout(5_000))
        .onSuccess(reply -> AdminJson.send(ctx, reply.body().put("registry", registryStatus(snapshots.current()))))
        .onFailure(e -> ctx.fail(GatewayException.unavailable("registry_unavailable", "5",
            "The registry could not be refreshed: " + e.getMessage())));
  }

  private JsonObject canaryStatus() {
    var config = snapshots.current().routing().canary();
    return snapshots.canary().toJson().put("enabled", config.enabled()).put("stages", new JsonArray(config.stages()))
        .put("effectiveStage", config.stage());
  }

  private void canaryQuality(RoutingContext ctx) {
    vertx.eventBus().<GateReport>request(Addresses.CANARY_QUALITY, new JsonObject(),
            new DeliveryOptions().setSendTimeout(5_000))
        .onSuccess(reply -> AdminJson.send(ctx, reply.body().toJson()))
        .onFailure(e -> ctx.fail(GatewayException.unavailable("canary_unavailable", "5", e.getMessage())));
  }

  /** Sends a command to the router (the canary's single writer); a refusal is a 409 naming the reason. */
  private void canaryCommand(RoutingContext ctx, JsonObject command) {
    vertx.eventBus().<JsonObject>request(Addresses.CANARY_COMMANDS, command,
            new DeliveryOptions().setSendTimeout(10_000))
        .onSuccess(reply -> AdminJson.send(ctx, reply.body()))
        .onFailure(e -> {
          int code = e instanceof io.vertx.core.eventbus.ReplyException reply && reply.failureCode() > 0
              ? reply.failureCode() : 503;
          ctx.response().setStatusCode(code).putHeader("content-type", "application/json")
              .end(new JsonObject().put("error", new JsonObject().put("message", e.getMessage())
                  .put("type", code == 409 ? "conflict" : code == 400 ? "invalid_request_error" : "unavailable"))
                  .toBuffer());
        });
  }

  private static JsonObject command(String action, io.vertx.core.buffer.Buffer body) {
    JsonObject json = body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
    return new JsonObject().put("action", action).put("stage", json.getValue("stage") instanceof Number n
        ? n.intValue() : null).put("actor", json.getString("actor", "admin-api"))
        .put("reason", json.getString("reason", ""));
  }

  private static int intParam(RoutingContext ctx, String name, int fallback) {
    try {
      String value = ctx.request().getParam(name);
      return value == null ? fallback : Math.max(1, Math.min(1000, Integer.parseInt(value)));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private JsonObject registryStatus(RoutingSnapshot snapshot) {
    SnapshotHolder.RegistryHealth registry = snapshots.registry();
    JsonObject status = new JsonObject().put("source", snapshot.source())
        .put("loadedAt", snapshot.loadedAt().toString())
        .put("ageMs", Math.max(0, System.currentTimeMillis() - snapshot.loadedAt().toEpochMilli()))
        .put("snapshotVersion", snapshot.version());
    if (registry.databaseConfigured()) {
      status.put("database", new JsonObject().put("reachable", registry.databaseReachable())
          .put("lastError", registry.lastError()));
    }
    return status;
  }

  /** Every provider with its configuration (never its key) and its last health check. */
  private void providers(RoutingContext ctx) {
    AdminJson.send(ctx, new JsonObject().put("providers", providerList(snapshots.current())));
  }

  /** Every registry model, with whether its provider was up at the last check and, for Ollama, has the model. */
  private void models(RoutingContext ctx) {
    RoutingSnapshot snapshot = snapshots.current();
    JsonArray models = new JsonArray();
    for (ModelConfig model : new TreeMap<>(snapshot.models()).values()) {
      ProviderHealth check = health.of(model.provider());
      JsonObject entry = new JsonObject().put("model", model.key()).put("provider", model.provider())
          .put("upstreamModel", model.upstreamModel()).put("tier", model.tier().wireName())
          .put("local", snapshot.providers().get(model.provider()).local())
          .put("stripThinking", model.stripThinking()).put("prefill", model.prefill())
          .put("providerStatus", check.status().name().toLowerCase(Locale.ROOT))
          .put("contextTokens", model.contextTokens() > 0 ? model.contextTokens() : null)
          .put("price", new JsonObject().put("inputPer1k", model.inputPricePer1k())
              .put("outputPer1k", model.outputPricePer1k()));
      if (!check.models().isEmpty()) {
        entry.put("installed", check.models().contains(model.upstreamModel()));
      }
      models.add(entry);
    }
    AdminJson.send(ctx, new JsonObject().put("models", models));
  }

  private JsonArray providerList(RoutingSnapshot snapshot) {
    JsonArray providers = new JsonArray();
    for (ProviderConfig p : new TreeMap<>(snapshot.providers()).values()) {
      ProviderHealth check = health.of(p.name());
      providers.add(new JsonObject()
          .put("name", p.name()).put("family", p.family().wireName()).put("baseUrl", p.displayUrl())
          .put("local", p.local()).put("keyConfigured", p.apiKey().isPresent())
          .put("health", new JsonObject().put("status", check.status().name().toLowerCase(Locale.ROOT))
              .put("latencyMs", check.latencyMs()).put("checkedAt", check.checkedAt()).put("detail", check.detail())
              .put("models", new JsonArray(check.models())))
          .put("circuits", circuits(p.name()))
          .put("registryModels", new JsonArray(snapshot.models().values().stream()
              .filter(m -> m.provider().equals(p.name())).map(ModelConfig::key).sorted().toList())));
    }
    return providers;
  }

  /** The circuit state of each of the provider's models that has carried traffic ({@code model → state}). */
  private JsonObject circuits(String provider) {
    JsonObject circuits = new JsonObject();
    breakers.states().forEach((key, state) -> {
      if (key.startsWith(provider + "/")) {
        circuits.put(key.substring(provider.length() + 1), state);
      }
    });
    return circuits;
  }

  private static void failure(RoutingContext ctx) {
    GatewayException error = ctx.failure() instanceof GatewayException e ? e
        : ctx.statusCode() == 413 ? GatewayException.tooLarge(UsageRoutes.MAX_ESTIMATE_BODY)
        : GatewayException.internal("Internal admin error");
    ctx.response().setStatusCode(error.status()).putHeader("content-type", "application/json")
        .end(ClientFormat.OPENAI.errorBody(error));
  }

  private static boolean isLoopback(String address) {
    try {
      return address != null && InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
