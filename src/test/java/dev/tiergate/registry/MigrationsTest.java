package dev.tiergate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.config.Secret;
import dev.tiergate.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** db/migrations on a real PostgreSQL: applies to an empty schema once, seeds the tier table, keeps its invariants. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class MigrationsTest {

  private TestDatabase database;

  @BeforeEach
  void createSchema() {
    database = TestDatabase.create();
  }

  @AfterEach
  void dropSchema() {
    database.close();
  }

  @Test
  void appliesToAnEmptySchemaAndIsANoOpTheSecondTime() {
    Migrations.migrate(database.config());
    database.execute("INSERT INTO model_usage_log (request_id) VALUES ('kept')");
    Migrations.migrate(database.config());

    List<Map<String, Object>> history = database.query(
        "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank");
    assertEquals(List.of(Map.of("version", "1", "success", true), Map.of("version", "2", "success", true),
        Map.of("version", "3", "success", true), Map.of("version", "4", "success", true)), history);
    assertEquals(9L, count("SELECT count(*) FROM llm_providers"));
    assertEquals(10L, count("SELECT count(*) FROM llm_models"));
    assertEquals(1L, count("SELECT count(*) FROM model_usage_log"));
  }

  @Test
  void createsTheSchemaWhenMissing() {
    database.close();
    Migrations.migrate(database.config());
    assertEquals(1L, count("SELECT count(*) FROM llm_canary_state"));
  }

  @Test
  void theViewReturnsTheSeededTierTable() {
    Migrations.migrate(database.config());
    List<Map<String, Object>> defaults = database.query("""
        SELECT leo_tier, is_local, model_key, provider_key, upstream_model
          FROM v_llm_model_registry WHERE is_tier_default ORDER BY leo_tier, is_local""");
    assertEquals(List.of(
        row("haiku", false, "claude-haiku-3-5-20241022", "anthropic", "claude-3-5-haiku-20241022"),
        row("haiku", true, "qwen3-coder:30b", "ollama", "qwen3-coder:30b"),
        row("opus", false, "claude-opus-4-5-20251101", "anthropic", "claude-opus-4-5-20251101"),
        row("sonnet", false, "claude-sonnet-4-20250514", "anthropic", "claude-sonnet-4-20250514")), defaults);
    assertEquals(0L, count("SELECT count(*) FROM v_llm_model_registry WHERE is_local AND price_input_per_1k > 0"));
    assertEquals(0L, count("""
        SELECT count(*) FROM v_llm_model_registry WHERE NOT is_local AND model_key <> 'openrouter/auto'
           AND (price_input_per_1k = 0 OR price_output_per_1k <= price_input_per_1k)"""));
  }

  @Test
  void seedsTheCanarySingletonWithDefaultThresholds() {
    Migrations.migrate(database.config());
    Map<String, Object> state = database.query(
        "SELECT id, stage, status, version, thresholds->>'maxErrorRate' AS max_error_rate, "
            + "(thresholds->>'minSamples')::int AS min_samples FROM llm_canary_state").get(0);
    assertEquals(Map.of("id", 1, "stage", 0, "status", "active", "version", 1L, "max_error_rate", "0.05",
        "min_samples", 10), state);
    IllegalStateException second = assertThrows(IllegalStateException.class,
        () -> database.execute("INSERT INTO llm_canary_state (id) VALUES (2)"));
    assertTrue(second.getMessage().contains("llm_canary_state_id_check"), second.getMessage());
  }

  @Test
  void allowsOneActiveDefaultPerTierAndRoute() {
    Migrations.migrate(database.config());
    IllegalStateException cloud = assertThrows(IllegalStateException.class,
        () -> database.execute("UPDATE llm_models SET is_tier_default = true WHERE model_key = 'gpt-4o'"));
    assertTrue(cloud.getMessage().contains("llm_models_one_cloud_default_per_tier"), cloud.getMessage());
    IllegalStateException local = assertThrows(IllegalStateException.class,
        () -> database.execute("UPDATE llm_models SET is_tier_default = true WHERE model_key = 'llama3.2:3b'"));
    assertTrue(local.getMessage().contains("llm_models_one_local_default_per_tier"), local.getMessage());
    // An inactive default does not count.
    database.execute("UPDATE llm_models SET status = 'inactive', is_tier_default = true WHERE model_key = 'gpt-4o'");
  }

  @Test
  void aModelTakesItsProvidersLocality() {
    Migrations.migrate(database.config());
    database.execute(
        "INSERT INTO llm_models (model_key, provider_key, leo_tier) VALUES ('phi4:14b', 'ollama', 'haiku')");
    database.execute("UPDATE llm_models SET is_local = true WHERE model_key = 'gpt-4o'");
    assertEquals(List.of(Map.of("model_key", "gpt-4o", "is_local", false), Map.of("model_key", "phi4:14b",
        "is_local", true)), database.query(
        "SELECT model_key, is_local FROM llm_models WHERE model_key IN ('phi4:14b', 'gpt-4o') ORDER BY model_key"));
  }

  @Test
  void anUpdateTouchesUpdatedAt() {
    Migrations.migrate(database.config());
    database.execute("UPDATE llm_models SET display_name = 'Sonnet' WHERE model_key = 'claude-sonnet-4-20250514'");
    assertEquals(Map.of("touched", true), database.query(
        "SELECT updated_at > created_at AS touched FROM llm_models WHERE model_key = 'claude-sonnet-4-20250514'")
        .get(0));
    assertEquals(Map.of("touched", false), database.query(
        "SELECT updated_at > created_at AS touched FROM llm_models WHERE model_key = 'gpt-4o'").get(0));
  }

  @Test
  void registryChangesAreNotified(Vertx vertx, VertxTestContext ctx) {
    Migrations.migrate(database.config());
    PgRegistryStore store = new PgRegistryStore(vertx, database.config(), Map.of(), Map.of());
    // Lax: the channel is database-wide, so another schema's change may be heard too.
    Checkpoint models = ctx.laxCheckpoint();
    Checkpoint providers = ctx.laxCheckpoint();
    store.pool().getConnection()
        .compose(conn -> {
          PgConnection pg = PgConnection.cast(conn);
          pg.notificationHandler(notification -> ctx.verify(() -> {
            assertEquals("tiergate_registry", notification.getChannel());
            (notification.getPayload().equals("llm_models") ? models : providers).flag();
          }));
          return conn.query("LISTEN tiergate_registry").execute();
        })
        .onComplete(ctx.succeeding(listening -> vertx.executeBlocking(() -> {
          database.execute("UPDATE llm_models SET status = 'inactive' WHERE model_key = 'gpt-4o'");
          return database.execute("UPDATE llm_providers SET status = 'inactive' WHERE provider_key = 'cohere'");
        }).onComplete(ctx.succeeding(updated -> { }))));
  }

  @Test
  void anUnreachableDatabaseFailsWithoutShowingThePassword() {
    DatabaseConfig nowhere = new DatabaseConfig("127.0.0.1", 1, "tiergate", "tiergate",
        Optional.of(new Secret("pw-NEVER-SHOWN-4711")), "tiergate", false);
    IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Migrations.migrate(nowhere));
    assertTrue(failure.getMessage().contains("127.0.0.1:1"), failure.getMessage());
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains("pw-NEVER-SHOWN-4711"), t.getMessage());
    }
  }

  private long count(String sql) {
    return ((Number) database.query(sql).get(0).values().iterator().next()).longValue();
  }

  private static Map<String, Object> row(String tier, boolean local, String key, String provider, String upstream) {
    return Map.of("leo_tier", tier, "is_local", local, "model_key", key, "provider_key", provider,
        "upstream_model", upstream);
  }
}
