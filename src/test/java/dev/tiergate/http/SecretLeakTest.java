package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.tiergate.registry.Migrations;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TestDatabase;
import dev.tiergate.support.TestGateway;
import dev.tiergate.usage.AccessLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * With debug logging on, every error path is driven with seeded secrets (the provider key, which the fake upstream
 * echoes back in its errors; a client key; the admin token; the database password): none appears in any log line,
 * response body or header, the Prometheus scrape, or a database row.
 */
class SecretLeakTest {

  private static final String CLIENT_KEY = "ck-leak-SECRET-7777777";
  private static final String ADMIN_TOKEN = "adm-leak-SECRET-5555555";
  private static final String DB_PASSWORD = "dbpass-leak-SECRET-9999";
  private static final List<String> SECRETS = List.of(TestGateway.UPSTREAM_KEY, CLIENT_KEY, ADMIN_TOKEN, DB_PASSWORD);

  private Vertx vertx;
  private TestDatabase db;
  private FakeUpstream fake;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private Logger root;
  private Logger access;
  private Level rootLevel;

  @BeforeEach
  void start() throws Exception {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    access = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs.list = Collections.synchronizedList(new ArrayList<>());
    logs.start();
    root.addAppender(logs);
    access.addAppender(logs);
    vertx = Vertx.vertx();
    db = TestDatabase.create();
    Migrations.migrate(db.config());
    fake = await(FakeUpstream.start(vertx));
  }

  @AfterEach
  void stop() throws Exception {
    root.detachAppender(logs);
    access.detachAppender(logs);
    root.setLevel(rootLevel);
    await(vertx.close());
    db.close();
  }

  @Test
  void noSecretAppearsAnywhereOnAnyErrorPath() throws Exception {
    String key = TestGateway.UPSTREAM_KEY;
    TestGateway gateway = await(TestGateway.to(fake)
        .env("TIERGATE_CLIENT_KEYS", CLIENT_KEY)
        .env("TIERGATE_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("DATABASE_URL", "postgres://" + db.config().user() + ":" + DB_PASSWORD + "@" + db.config().host() + ":"
            + db.config().port() + "/" + db.config().database())
        .env("TIERGATE_DB_SCHEMA", db.config().schema())
        .env("TIERGATE_ALLOW_PRIVATE_UPSTREAMS", "*")
        .observability(new JsonObject().put("accessLogPrompts", true))
        .start(vertx));
    Http http = new Http(vertx, gateway.port());
    Http admin = new Http(vertx, gateway.adminPort());
    String bearer = "Bearer " + CLIENT_KEY;

    fake.answer(Scenarios.status(401, OpenAiFrames.error("Incorrect API key provided: " + key, "invalid_api_key")));
    record(await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false), "authorization", bearer)));
    fake.answer(Scenarios.status(500, "{\"error\":{\"message\":\"upstream broke; auth was Bearer " + key + "\"}}"));
    record(await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false), "authorization", bearer)));
    record(await(http.post("/v1/messages", anthropicChat(), "x-api-key", CLIENT_KEY)));
    fake.answer(Scenarios.stream(Scenarios.StreamPlan.of(List.of(OpenAiFrames.chunk(new JsonObject()
        .put("content", "partial "), null), "data: {\"error\":{\"message\":\"key " + key + " revoked\"}}\n\n"))));
    record(await(http.post("/v1/chat/completions", Http.chat("gpt-4o", true), "authorization", bearer)));
    fake.answer(Scenarios.stream(Scenarios.StreamPlan.of(List.of("data: {not json " + key + "\n\n"))));
    record(await(http.post("/api/chat", ollamaChat(), "authorization", bearer)));
    fake.answer(Scenarios.completion("fine"));
    record(await(http.post("/v1/chat/completions", "{\"model\": \"" + CLIENT_KEY + "\", \"messages\": 5}",
        "authorization", bearer)));
    record(await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false), "authorization", bearer + "x")));
    record(await(http.post("/v1/chat/completions", Http.chat("gpt-4o", false))));
    record(await(admin.get("/admin/status", "authorization", "Bearer " + ADMIN_TOKEN + "x")));
    record(await(admin.get("/admin/providers", "authorization", "Bearer " + ADMIN_TOKEN)));
    record(await(admin.get("/admin/registry", "authorization", "Bearer " + ADMIN_TOKEN)));
    record(await(admin.post("/admin/canary/set", "{\"stage\": 5, \"reason\": \"x\"}", "authorization",
        "Bearer " + ADMIN_TOKEN)));

    await(until(() -> db.query("SELECT 1 FROM model_usage_log").size() >= 5));
    record(await(admin.get("/metrics")));
    for (String table : List.of("model_usage_log", "llm_canary_transitions", "llm_canary_metrics", "llm_providers",
        "llm_canary_state")) {
      for (Map<String, Object> row : db.query("SELECT row_to_json(t)::text AS row FROM " + table + " t")) {
        seen.add(table + ": " + row.get("row"));
      }
    }
    synchronized (logs.list) {
      for (ILoggingEvent event : logs.list) {
        seen.add("log " + event.getLoggerName() + ": " + event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())));
      }
    }
    assertTrue(logs.list.stream().anyMatch(e -> e.getLevel() == Level.DEBUG), "debug logging was on");
    assertTrue(seen.size() > 30, "there is something to look at: " + seen.size());
    for (String text : seen) {
      for (String secret : SECRETS) {
        assertFalse(text.contains(secret), "a secret leaked: " + text);
      }
    }
    assertTrue(fake.requests().stream().allMatch(r -> ("Bearer " + key).equals(r.headers().get("authorization"))),
        "the provider key went to the provider, and only there");
  }

  @Test
  void anUnreachableDatabaseIsReportedWithoutItsPassword() throws Exception {
    await(TestGateway.to(fake)
        .env("DATABASE_URL", "postgres://tiergate:" + DB_PASSWORD + "@127.0.0.1:1/tiergate")
        .start(vertx));
    await(until(() -> logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("database unavailable"))));
    synchronized (logs.list) {
      for (ILoggingEvent event : logs.list) {
        String text = event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
        assertFalse(text.contains(DB_PASSWORD), text);
      }
    }
  }

  private void record(Http.Response response) {
    seen.add(response.status() + " " + response.headers().entries() + " " + response.text());
    assertTrue(response.status() >= 200, "answered");
  }

  private static String anthropicChat() {
    return new JsonObject().put("model", "gpt-4o").put("max_tokens", 10).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "my key is " + CLIENT_KEY))).encode();
  }

  private static String ollamaChat() {
    return new JsonObject().put("model", "gpt-4o").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hello"))).encode();
  }

  private Future<Void> until(java.util.function.BooleanSupplier done) {
    return done.getAsBoolean() ? Future.succeededFuture()
        : Future.<Void>future(p -> vertx.setTimer(25, id -> p.complete())).compose(v -> until(done));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
