package dev.tiergate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TestDatabase;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client keys in {@code tiergate_client_keys} (real PostgreSQL): only hashes are stored, a new row is usable and a
 * revoked one refused within two seconds (notified like the registry), allowed tiers and providers apply, and with
 * {@code clientKeys.required} the gateway stays closed while no key is loaded.
 */
class ClientKeyTableTest {

  private static final String KEY = "ck-table-SECRET-0001";

  private Vertx vertx;
  private TestDatabase db;
  private FakeUpstream fake;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabase.create();
    Migrations.migrate(db.config());
    fake = await(FakeUpstream.start(vertx));
    fake.answer(Scenarios.completion("keyed"));
    db.pointProvidersAt("http://127.0.0.1:" + fake.port());
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
    db.close();
  }

  @Test
  void rowsAreUsableAndRevocableWithinTwoSeconds() throws Exception {
    startGateway(new JsonObject().put("required", true));
    assertEquals(401, chat("gpt-4o", KEY).status(), "required: closed while no key exists");
    db.execute("INSERT INTO tiergate_client_keys (key_id, name, key_sha256) VALUES ('team-a', 'Team A',"
        + " encode(sha256(convert_to(?, 'UTF8')), 'hex'))", KEY);
    await(untilStatus("gpt-4o", KEY, 200));
    assertTrue(db.query("SELECT 1 FROM tiergate_client_keys WHERE key_sha256 = ? OR name = ?", KEY, KEY).isEmpty(),
        "the key itself is stored nowhere");
    assertEquals(401, chat("gpt-4o", "' OR '1'='1").status());
    db.execute("UPDATE tiergate_client_keys SET status = 'revoked' WHERE key_id = 'team-a'");
    long revoked = System.nanoTime();
    await(untilStatus("gpt-4o", KEY, 401));
    assertTrue((System.nanoTime() - revoked) / 1_000_000 < 2_000, "revocation applies within two seconds");
  }

  @Test
  void allowedTiersAndProvidersApply() throws Exception {
    startGateway(new JsonObject().put("required", true));
    db.execute("INSERT INTO tiergate_client_keys (key_id, name, key_sha256, allowed_tiers, allowed_providers)"
        + " VALUES ('haiku-only', 'Cheap', encode(sha256(convert_to(?, 'UTF8')), 'hex'), '{haiku}', '{openai}')", KEY);
    await(untilStatus("gpt-4o-mini", KEY, 200));
    Http.Response opus = chat("tier:opus", KEY);
    assertEquals(403, opus.status(), opus.text());
    Http.Response anthropic = chat("claude-haiku-3-5-20241022", KEY);
    assertEquals(403, anthropic.status(), "a haiku model of a provider the key excludes: " + anthropic.text());
    Http.Response usage = await(new Http(vertx, adminPort).get("/admin/usage?by=key&source=memory"));
    assertTrue(usage.text().contains("haiku-only"), "usage is counted under the row's key id: " + usage.text());
  }

  private int adminPort;

  private void startGateway(JsonObject clientKeys) throws Exception {
    TestGateway gateway = await(TestGateway.to(fake).env("DATABASE_URL", db.url())
        .env("TIERGATE_DB_SCHEMA", db.config().schema()).env("TIERGATE_ALLOW_PRIVATE_UPSTREAMS", "*")
        .clientKeys(clientKeys).start(vertx));
    http = new Http(vertx, gateway.port());
    adminPort = gateway.adminPort();
    Http admin = new Http(vertx, gateway.adminPort());
    await(until(() -> admin.get("/admin/registry").map(r -> "database".equals(r.json().getString("source")))));
  }

  private Http.Response chat(String model, String key) throws Exception {
    return await(http.post("/v1/chat/completions", Http.chat(model, false), "authorization", "Bearer " + key));
  }

  private Future<Void> untilStatus(String model, String key, int status) {
    return until(() -> http.post("/v1/chat/completions", Http.chat(model, false), "authorization", "Bearer " + key)
        .map(r -> r.status() == status));
  }

  private Future<Void> until(java.util.function.Supplier<Future<Boolean>> check) {
    return check.get().otherwise(false).compose(ok -> ok ? Future.<Void>succeededFuture()
        : Future.<Void>future(p -> vertx.setTimer(25, id -> p.complete())).compose(v -> until(check)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
