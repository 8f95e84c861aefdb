package dev.tiergate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.Secret;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TcpProxy;
import dev.tiergate.support.TestDatabase;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry in PostgreSQL driving a running gateway: SQL changes route within two seconds with no admin call, the
 * refresh endpoint, and a database outage (a TCP proxy that cuts every connection) that never fails a completion.
 * Every provider row is pointed at the fake upstream on loopback (allowed by {@code TIERGATE_ALLOW_PRIVATE_UPSTREAMS});
 * each test has its own schema.
 */
class RegistryEndToEndTest {

  private Vertx vertx;
  private TestDatabase db;
  private FakeUpstream fake;
  private TcpProxy proxy;
  private TestGateway gateway;
  private Http http;
  private Http admin;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabase.create();
    Migrations.migrate(db.config());
    fake = await(FakeUpstream.start(vertx));
    fake.answer(Scenarios.completion("from the registry"));
    db.pointProvidersAt("http://127.0.0.1:" + fake.port());
    proxy = await(TcpProxy.start(vertx, db.config().host(), db.config().port()));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
    db.close();
  }

  @Test
  void sqlChangesRouteWithinTwoSecondsAndTheRefreshEndpointAtOnce() throws Exception {
    startGateway();
    assertEquals("claude-sonnet-4-20250514", routedModel("tier:sonnet"));
    long changed = System.nanoTime();
    // Two statements: the one-default-per-tier index is checked row by row, in whatever order the rows lie on disk.
    db.execute("UPDATE llm_models SET is_tier_default = false WHERE leo_tier = 'sonnet' AND NOT is_local");
    db.execute("UPDATE llm_models SET is_tier_default = true WHERE model_key = 'gpt-4o'");
    await(until(() -> admin.get("/admin/route?model=tier:sonnet"),
        r -> "gpt-4o".equals(r.json().getJsonArray("chain").getJsonObject(0).getString("model"))));
    long tookMs = (System.nanoTime() - changed) / 1_000_000;
    assertTrue(tookMs < 2_000, "the change took " + tookMs + " ms to route");
    Http.Response answer = await(http.post("/v1/chat/completions", Http.chat("tier:sonnet", false)));
    assertEquals(200, answer.status(), answer.text());
    assertEquals("gpt-4o", answer.headers().get("x-tiergate-model"));
    assertEquals("gpt-4o", fake.lastRequest().body().getString("model"));
    // The usage row arrives in the next batch, priced from the registry.
    await(until(() -> http.get("/healthz"), r -> !db.query("SELECT cost_usd FROM model_usage_log WHERE model_key ="
        + " 'gpt-4o' AND prompt_tokens = 9 AND cost_usd > 0").isEmpty()));
    assertEquals(1, db.query("SELECT 1 FROM llm_canary_metrics WHERE arm = 'cloud' AND model_key = 'gpt-4o'").size());

    db.execute("INSERT INTO llm_models (model_key, provider_key, leo_tier, is_local) VALUES"
        + " ('llama3.1:8b', 'ollama', 'haiku', true)");
    db.execute("UPDATE llm_models SET status = 'inactive' WHERE model_key = 'command-r'");
    await(until(() -> http.get("/v1/models"), r -> r.text().contains("llama3.1:8b")
        && !r.text().contains("\"command-r\"")));
    assertEquals(404, await(http.post("/v1/chat/completions", Http.chat("command-r", false))).status());

    Http.Response refreshed = await(admin.post("/admin/registry/refresh", ""));
    assertEquals(200, refreshed.status(), refreshed.text());
    assertEquals("database", refreshed.json().getString("source"));
  }

  @Test
  void anOutageNeverFailsACompletionAndThePoolRecovers() throws Exception {
    startGateway();
    proxy.cut();
    for (int i = 0; i < 3; i++) {
      // gpt-4o: an OpenAI-format model, which is what the fake speaks.
      Http.Response answer = await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false)));
      assertEquals(200, answer.status(), "completions serve from the last good registry");
    }
    long asked = System.nanoTime();
    Http.Response refused = await(admin.post("/admin/registry/refresh", ""));
    assertEquals(503, refused.status(), refused.text());
    assertTrue((System.nanoTime() - asked) / 1_000_000 < 5_000, "the refresh did not fail fast");
    assertEquals("database_unreachable", await(http.get("/readyz")).json().getString("status"));
    // Their usage rows could not be written: dropped and counted, the requests did not wait.
    await(until(() -> admin.get("/metrics"), r -> r.text().lines()
        .anyMatch(l -> l.startsWith("tiergate_usage_dropped_total") && !l.endsWith(" 0.0"))));
    proxy.restore();
    await(until(() -> admin.post("/admin/registry/refresh", ""), r -> r.status() == 200));
    assertEquals(200, await(http.get("/readyz")).status());
    // Rows flow again once the database is back.
    await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false)));
    await(until(() -> http.get("/healthz"), r -> !db.query("SELECT 1 FROM model_usage_log").isEmpty()));
  }

  @Test
  void anUnreachableDatabaseAtStartUpServesTheConfRegistry() throws Exception {
    proxy.cut();
    gateway = await(TestGateway.to(fake).env("DATABASE_URL", databaseUrl())
        .env("TIERGATE_DB_SCHEMA", db.config().schema()).env("TIERGATE_ALLOW_PRIVATE_UPSTREAMS", "*").start(vertx));
    http = new Http(vertx, gateway.port());
    admin = new Http(vertx, gateway.adminPort());
    JsonObject registry = await(admin.get("/admin/registry")).json();
    assertEquals("conf", registry.getString("source"));
    assertEquals(503, await(http.get("/readyz")).status());
    assertEquals(200, await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false))).status());
    proxy.restore();
    // The change listener reconnects by itself and reads the registry once it is back: no restart, no admin call.
    await(until(() -> admin.get("/admin/registry"), r -> "database".equals(r.json().getString("source"))));
  }

  private void startGateway() throws Exception {
    gateway = await(TestGateway.to(fake).env("DATABASE_URL", databaseUrl())
        .env("TIERGATE_DB_SCHEMA", db.config().schema()).env("TIERGATE_ALLOW_PRIVATE_UPSTREAMS", "*").start(vertx));
    http = new Http(vertx, gateway.port());
    admin = new Http(vertx, gateway.adminPort());
    await(until(() -> admin.get("/admin/registry"), r -> "database".equals(r.json().getString("source"))));
  }

  private String routedModel(String model) throws Exception {
    return await(admin.get("/admin/route?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8))).json()
        .getJsonArray("chain").getJsonObject(0).getString("model");
  }

  /** The database through the proxy, with the test server's credentials. */
  private String databaseUrl() {
    String password = db.config().password().map(Secret::value)
        .map(p -> ":" + URLEncoder.encode(p, StandardCharsets.UTF_8)).orElse("");
    return "postgres://" + URLEncoder.encode(db.config().user(), StandardCharsets.UTF_8) + password + "@127.0.0.1:"
        + proxy.port() + "/" + db.config().database();
  }

  /** Repeats {@code call} every 50 ms until its answer satisfies {@code done} (bounded by the await timeout). */
  private Future<Http.Response> until(java.util.function.Supplier<Future<Http.Response>> call,
                                      Predicate<Http.Response> done) {
    Promise<Http.Response> result = Promise.promise();
    poll(call, done, result);
    return result.future();
  }

  private void poll(java.util.function.Supplier<Future<Http.Response>> call, Predicate<Http.Response> done,
                    Promise<Http.Response> result) {
    call.get().onComplete(ar -> {
      if (ar.succeeded() && done.test(ar.result())) {
        result.tryComplete(ar.result());
      } else {
        vertx.setTimer(50, id -> poll(call, done, result));
      }
    });
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
