package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigException;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.config.ProviderTimeouts;
import dev.tiergate.config.Secret;
import dev.tiergate.provider.UpstreamRequest;
import dev.tiergate.provider.Upstreams;
import dev.tiergate.registry.Migrations;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TestDatabase;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SSRF end to end: a client can never choose the upstream; base URLs at metadata, loopback or private addresses are
 * refused at load and at connect time (a name resolving to loopback too); redirects are never followed. A second fake
 * plays the attacker's target (the capture server) and must receive nothing. Registry rows pointing at such addresses
 * are skipped while the rest of the registry serves (PostgreSQL).
 */
class SsrfTest {

  private Vertx vertx;
  private FakeUpstream provider;
  private FakeUpstream capture;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    provider = await(FakeUpstream.start(vertx));
    capture = await(FakeUpstream.start(vertx));
    capture.answer(Scenarios.completion("captured"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void aClientSuppliedBaseUrlInTheBodyOrAHeaderIsIgnored() throws Exception {
    Http http = new Http(vertx, await(TestGateway.to(provider).start(vertx)).port());
    String evil = capture.baseUrl();
    List<String> bodies = new ArrayList<>();
    for (String field : new String[] {"api_base", "base_url", "baseURL", "api_base_url"}) {
      bodies.add(chatWith(body -> body.put(field, evil)));
      bodies.add(chatWith(body -> body.put("metadata", new JsonObject().put(field, evil))));
      bodies.add(chatWith(body -> body.getJsonArray("messages").getJsonObject(0).put(field, evil)));
    }
    for (String body : bodies) {
      Http.Response answer = await(http.post("/v1/chat/completions", body));
      assertEquals(200, answer.status(), body + " -> " + answer.text());
    }
    for (String header : new String[] {"X-Api-Base", "X-Base-Url", "X-Tiergate-Base-Url"}) {
      Http.Response answer = await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false), header, evil));
      assertEquals(200, answer.status(), header + " -> " + answer.text());
    }
    String anthropic = new JsonObject().put("model", "gpt-4o").put("max_tokens", 16).put("base_url", evil)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    assertEquals(200, await(http.post("/v1/messages", anthropic, "X-Base-Url", evil)).status());
    assertEquals(bodies.size() + 4, provider.requests().size(), "every request went to the configured provider");
    assertEquals(0, capture.requests().size(), "the client's base URL was contacted");
  }

  @Test
  void aProviderAtTheMetadataAddressFailsConfigLoadNamingTheKey() {
    ConfigException literal = assertThrows(ConfigException.class, () -> TestGateway.to(provider)
        .provider("imds", provider("http://169.254.169.254/v1").put("allowPrivateNetwork", true)).start(vertx));
    assertTrue(literal.getMessage().startsWith("providers.imds.baseUrl"), literal.getMessage());
    ConfigException fromEnv = assertThrows(ConfigException.class, () -> TestGateway.to(provider)
        .provider("imds", provider("https://api.example.com/v1").put("baseUrlEnv", "IMDS_BASE_URL").put("local", true))
        .env("IMDS_BASE_URL", "http://[::ffff:169.254.169.254]/v1").start(vertx));
    assertTrue(fromEnv.getMessage().startsWith("providers.imds.baseUrl (from IMDS_BASE_URL)"), fromEnv.getMessage());
    ConfigException byName = assertThrows(ConfigException.class, () -> TestGateway.to(provider)
        .provider("gce", provider("http://metadata.google.internal/computeMetadata/v1")).start(vertx));
    assertTrue(byName.getMessage().startsWith("providers.gce.baseUrl"), byName.getMessage());
  }

  @Test
  void aLoopbackLiteralNeedsTheFlagAtLoadAndAtConnectTime() throws Exception {
    ConfigException atLoad = assertThrows(ConfigException.class, () -> TestGateway.to(provider)
        .provider("sneaky", provider(capture.baseUrl())).start(vertx));
    assertTrue(atLoad.getMessage().startsWith("providers.sneaky.baseUrl") && atLoad.getMessage().contains("loopback"),
        atLoad.getMessage());

    // A provider that reached the request path without the flag (built by hand here) is refused at connect time.
    Throwable refused = await(failureOf(sendDirect(sneaky(capture, false))));
    GatewayException error = assertInstanceOf(GatewayException.class, refused);
    assertEquals(502, error.status());
    assertEquals("upstream_address_refused", error.code());
    assertFalse(error.retryable(), "a refused address is not retried");
    assertEquals(0, capture.requests().size());

    assertEquals(200, await(sendDirect(sneaky(capture, true))));
    // With the flag, the same provider is served end to end.
    Http http = new Http(vertx, await(TestGateway.to(provider)
        .provider("sneaky", provider(capture.baseUrl()).put("allowPrivateNetwork", true))
        .model("m-sneaky", new JsonObject().put("provider", "sneaky").put("tier", "sonnet")).start(vertx)).port());
    Http.Response served = await(http.post("/v1/chat/completions", Http.chat("m-sneaky", false)));
    assertEquals(200, served.status(), served.text());
    assertEquals(2, capture.requests().size());
  }

  @Test
  void aNameResolvingToLoopbackIsRefusedAtConnectTimeAndServedWithTheFlag() throws Exception {
    String byName = "http://localhost:" + capture.port() + "/v1";
    TestGateway gateway = await(TestGateway.to(provider)
        .provider("named", provider(byName))
        .provider("named-ok", provider(byName).put("allowPrivateNetwork", true))
        .model("m-named", new JsonObject().put("provider", "named").put("tier", "sonnet"))
        .model("m-named-ok", new JsonObject().put("provider", "named-ok").put("tier", "sonnet"))
        .start(vertx));
    Http http = new Http(vertx, gateway.port());
    for (boolean stream : new boolean[] {false, true}) {
      Http.Response refused = await(http.post("/v1/chat/completions", Http.chat("m-named", stream)));
      assertEquals(502, refused.status(), refused.text());
      assertEquals("upstream_address_refused", refused.json().getJsonObject("error").getString("code"));
      assertTrue(refused.text().contains("named"), refused.text());
    }
    assertEquals(0, capture.requests().size(), "a refused upstream received a request");
    assertEquals(0, provider.requests().size(), "a refused call fell back elsewhere");

    Http.Response served = await(http.post("/v1/chat/completions", Http.chat("m-named-ok", false)));
    assertEquals(200, served.status(), served.text());
    // Sent to the checked address; the Host header still names the host.
    assertEquals("localhost:" + capture.port(), capture.lastRequest().headers().get("host"));
  }

  @Test
  void healthChecksGoThroughTheSameGuard() throws Exception {
    TestGateway gateway = await(TestGateway.to(provider).healthEveryMs(60_000)
        .provider("named", provider("http://localhost:" + capture.port() + "/v1")).start(vertx));
    Http admin = new Http(vertx, gateway.adminPort());
    JsonObject named = null;
    for (int i = 0; i < 200 && (named == null || "unknown".equals(named.getString("status"))); i++) {
      named = health(await(admin.get("/admin/providers")).json(), "named");
      if (named == null || "unknown".equals(named.getString("status"))) {
        await(vertx.timer(50));
      }
    }
    assertEquals("down", named.getString("status"), named.encode());
    assertTrue(named.encode().contains("upstream_address_refused"), named.encode());
    assertEquals(0, capture.requests().size());
  }

  @Test
  void aRedirectIsNeverFollowed() throws Exception {
    provider.answer(Scenarios.status(302, "{}", "location", capture.baseUrl() + "/chat/completions"));
    Http http = new Http(vertx, await(TestGateway.to(provider).start(vertx)).port());
    for (boolean stream : new boolean[] {false, true}) {
      Http.Response answer = await(http.post("/v1/chat/completions", Http.chat("gpt-4o", stream)));
      assertTrue(answer.status() >= 400, answer.status() + " " + answer.text());
    }
    provider.answer(Scenarios.status(307, "{}", "location", "http://169.254.169.254/latest/meta-data/"));
    Http.Response metadata = await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false)));
    assertTrue(metadata.status() >= 400, metadata.status() + " " + metadata.text());
    assertEquals(0, capture.requests().size(), "the redirect was followed");
  }

  @Test
  void registryRowsAtMetadataOrPrivateAddressesAreSkippedAndTheRestServes() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      Migrations.migrate(db.config());
      String root = "http://127.0.0.1:" + provider.port();
      db.execute("UPDATE llm_providers SET api_key_env = 'FAKE_KEY', base_url = CASE WHEN family = 'openai-compatible'"
          + " THEN ? ELSE ? END", root + "/v1", root);
      db.execute("UPDATE llm_providers SET base_url = 'http://169.254.169.254/v1' WHERE provider_key = 'cohere'");
      db.execute("UPDATE llm_providers SET base_url = 'http://10.0.0.5/v1' WHERE provider_key = 'openrouter'");
      // The fake lives on loopback: these cloud providers may use it; cohere's metadata URL stays refused regardless.
      TestGateway gateway = await(TestGateway.to(provider).env("DATABASE_URL", databaseUrl(db))
          .env("TIERGATE_DB_SCHEMA", db.config().schema())
          .env("TIERGATE_ALLOW_PRIVATE_UPSTREAMS", "anthropic,openai,gemini,cohere").start(vertx));
      Http http = new Http(vertx, gateway.port());
      Http admin = new Http(vertx, gateway.adminPort());
      JsonObject registry = null;
      for (int i = 0; i < 200 && (registry == null || !"database".equals(registry.getString("source"))); i++) {
        registry = await(admin.get("/admin/registry")).json();
        if (!"database".equals(registry.getString("source"))) {
          await(vertx.timer(50));
        }
      }
      assertEquals("database", registry.getString("source"), registry.encode());
      assertFalse(registry.encode().contains("169.254.169.254"), registry.encode());
      assertFalse(registry.encode().contains("10.0.0.5"), registry.encode());
      assertEquals(404, await(http.post("/v1/chat/completions", Http.chat("command-r", false))).status());
      assertEquals(404, await(http.post("/v1/chat/completions", Http.chat("openrouter/auto", false))).status());
      Http.Response served = await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false)));
      assertEquals(200, served.status(), served.text());
      assertEquals("gpt-4o", provider.lastRequest().body().getString("model"));
    }
  }

  private static String databaseUrl(TestDatabase db) {
    String password = db.config().password().map(Secret::value)
        .map(p -> ":" + URLEncoder.encode(p, StandardCharsets.UTF_8)).orElse("");
    return "postgres://" + URLEncoder.encode(db.config().user(), StandardCharsets.UTF_8) + password + "@"
        + db.config().host() + ":" + db.config().port() + "/" + db.config().database();
  }

  private static JsonObject provider(String baseUrl) {
    return new JsonObject().put("family", "openai-compatible").put("baseUrl", baseUrl).put("apiKeyEnv", "FAKE_KEY");
  }

  private static String chatWith(java.util.function.Consumer<JsonObject> change) {
    JsonObject body = new JsonObject(Http.chat("gpt-4o", false));
    change.accept(body);
    return body.encode();
  }

  private static ProviderConfig sneaky(FakeUpstream target, boolean allowPrivate) {
    return new ProviderConfig("sneaky", ProviderFamily.OPENAI_COMPATIBLE, URI.create(target.baseUrl()),
        Optional.empty(), new ProviderTimeouts(2_000, 5_000, 5_000, 30_000), 4, true, false, allowPrivate);
  }

  /** A GET of the provider's model list through {@link Upstreams#request}, on an event loop as the verticles do. */
  private Future<Integer> sendDirect(ProviderConfig target) {
    Promise<Integer> status = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      Upstreams upstreams = new Upstreams(vertx);
      upstreams.request(target, UpstreamRequest.get(target, "/models").options())
          .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
          .eventually(upstreams::close)
          .onComplete(status);
    });
    return status.future();
  }

  /** The health entry of provider {@code name} in {@code /admin/providers}, or null. */
  private static JsonObject health(JsonObject providers, String name) {
    for (Object entry : providers.getJsonArray("providers")) {
      JsonObject provider = (JsonObject) entry;
      if (name.equals(provider.getString("name"))) {
        return provider.getJsonObject("health");
      }
    }
    return null;
  }

  private static <T> Future<Throwable> failureOf(Future<T> future) {
    return future.transform(ar -> ar.succeeded() ? Future.failedFuture("expected a failure, got " + ar.result())
        : Future.succeededFuture(ar.cause()));
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
