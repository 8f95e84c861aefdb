package dev.tiergate.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.admin.UsageCommand;
import dev.tiergate.registry.Migrations;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TestDatabase;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Usage totals three ways against the real PostgreSQL server: the {@code model_usage_log} rows themselves,
 * {@code GET /admin/usage} from the database and from memory, and {@code tiergate usage --json}. They must agree to
 * the row and to the cent (the database keeps 8 decimals).
 */
class UsageDatabaseTest {

  private static final String KEY_ONE = "ck-db-one-SECRET-1";
  private static final String KEY_TWO = "ck-db-two-SECRET-2";

  private Vertx vertx;
  private TestDatabase db;
  private FakeUpstream fake;
  private Http http;
  private Http admin;
  private int adminPort;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabase.create();
    Migrations.migrate(db.config());
    fake = await(FakeUpstream.start(vertx));
    fake.answer(exchange -> {
      String text = exchange.body().getJsonArray("messages").getJsonObject(0).getString("content");
      (text.startsWith("fail") ? Scenarios.status(503, "{\"error\":{\"message\":\"overloaded\"}}")
          : Scenarios.completion("a b c d e")).answer(exchange);
    });
    db.pointProvidersAt("http://127.0.0.1:" + fake.port());
    TestGateway gateway = await(TestGateway.to(fake)
        .env("DATABASE_URL", db.url())
        .env("TIERGATE_DB_SCHEMA", db.config().schema())
        .env("TIERGATE_ALLOW_PRIVATE_UPSTREAMS", "*")
        .env("TIERGATE_CLIENT_KEYS", KEY_ONE + "," + KEY_TWO)
        .routing(new JsonObject().put("resilience", new JsonObject().put("maxAttemptsPerTarget", 1)))
        .start(vertx));
    http = new Http(vertx, gateway.port());
    admin = new Http(vertx, gateway.adminPort());
    adminPort = gateway.adminPort();
    await(until(() -> admin.get("/admin/registry"), r -> "database".equals(r.json().getString("source"))));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
    db.close();
  }

  @Test
  void theUsageEndpointTheCliAndTheRowsAgree() throws Exception {
    // gpt-4o and gpt-4o-mini (seeded prices), streamed and not, two keys, and one failure of each model.
    int sent = 0;
    for (String model : List.of("gpt-4o", "gpt-4o-mini")) {
      for (int i = 0; i < 3; i++) {
        Http.Response answer = send(model, i % 2 == 0, "hello there", i == 0 ? KEY_TWO : KEY_ONE);
        assertEquals(200, answer.status(), answer.text());
        sent++;
      }
      assertEquals(502, send(model, false, "fail please", KEY_ONE).status());
      sent++;
    }
    int expected = sent;
    await(until(() -> http.get("/healthz"),
        r -> ((Number) db.query("SELECT count(*) AS n FROM model_usage_log").get(0).get("n")).intValue() == expected));

    Map<String, Map<String, Object>> rows = new HashMap<>();
    for (Map<String, Object> row : db.query("SELECT model_key, count(*) AS requests,"
        + " count(*) FILTER (WHERE error_class IS NOT NULL) AS errors, sum(prompt_tokens) AS prompt,"
        + " sum(completion_tokens) AS completion, sum(cost_usd) AS cost FROM model_usage_log GROUP BY model_key")) {
      rows.put((String) row.get("model_key"), row);
    }
    assertEquals(2, rows.size());
    assertEquals(4L, ((Number) rows.get("gpt-4o").get("requests")).longValue());
    assertEquals(1L, ((Number) rows.get("gpt-4o").get("errors")).longValue());
    // Two streams (11 in + 5 out, one per word) and one whole answer (9 in + 3 out) at the seeded $0.0025 / $0.01.
    assertEquals(11 + 9 + 11L, ((Number) rows.get("gpt-4o").get("prompt")).longValue());
    assertEquals(5 + 3 + 5L, ((Number) rows.get("gpt-4o").get("completion")).longValue());
    assertEquals(0, new BigDecimal("0.00020750").compareTo((BigDecimal) rows.get("gpt-4o").get("cost")));
    assertEquals(List.of("key-1", "key-2"), db.query("SELECT DISTINCT client_key_id FROM model_usage_log ORDER BY 1")
        .stream().map(r -> r.get("client_key_id")).toList());
    assertTrue(db.query("SELECT 1 FROM model_usage_log WHERE client_key_id LIKE 'ck-%'").isEmpty(),
        "key ids, never keys");

    JsonObject fromDatabase = await(admin.get("/admin/usage?by=model")).json();
    assertEquals("database", fromDatabase.getString("source"), "the database is the default when configured");
    JsonObject fromMemory = await(admin.get("/admin/usage?by=model&source=memory")).json();
    JsonObject fromCli = new JsonObject(cli("--json", "--by", "model", "--source", "database"));
    for (JsonObject report : List.of(fromDatabase, fromMemory, fromCli)) {
      for (var entry : rows.entrySet()) {
        JsonObject row = row(report, entry.getKey());
        Map<String, Object> expectedRow = entry.getValue();
        assertEquals(((Number) expectedRow.get("requests")).longValue(), row.getLong("requests"), report.encode());
        assertEquals(((Number) expectedRow.get("errors")).longValue(), row.getLong("errors"), report.encode());
        assertEquals(((Number) expectedRow.get("prompt")).longValue(), row.getLong("promptTokens"));
        assertEquals(((Number) expectedRow.get("completion")).longValue(), row.getLong("completionTokens"));
        assertEquals(((BigDecimal) expectedRow.get("cost")).doubleValue(), row.getDouble("costUsd"), 1e-8);
      }
      assertEquals(expected, report.getJsonObject("total").getLong("requests"));
    }
    JsonObject byKey = await(admin.get("/admin/usage?by=key&source=database&since=1h")).json();
    assertEquals(2, row(byKey, "key-2").getLong("requests"));
    assertEquals(0, await(admin.get("/admin/usage?source=database&since=2999-01-01T00:00:00Z")).json()
        .getJsonArray("rows").size(), "a window in the future is empty");

    String table = cli("--by", "provider", "--source", "database");
    assertTrue(table.contains("openai") && table.contains("TOTAL"), table);
    assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%d", expected)), table);
  }

  private String cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new UsageCommand(Map.of("TIERGATE_ADMIN_URL",
        "http://127.0.0.1:" + adminPort)));
    command.setOut(new PrintWriter(out));
    int exit = command.execute(args);
    assertEquals(0, exit, out.toString());
    return out.toString();
  }

  private Http.Response send(String model, boolean stream, String prompt, String key) throws Exception {
    String body = new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))).encode();
    return await(http.post("/v1/chat/completions", body, "authorization", "Bearer " + key));
  }

  private static JsonObject row(JsonObject report, String key) {
    return report.getJsonArray("rows").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("key").equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + key + " in " + report.encode()));
  }

  private Future<Http.Response> until(java.util.function.Supplier<Future<Http.Response>> call,
                                      java.util.function.Predicate<Http.Response> done) {
    return call.get().compose(r -> done.test(r) ? Future.succeededFuture(r)
        : Future.<Void>future(p -> vertx.setTimer(50, id -> p.complete())).compose(v -> until(call, done)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
