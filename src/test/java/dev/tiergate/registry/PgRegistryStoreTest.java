package dev.tiergate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigException;
import dev.tiergate.config.ConfigLoader;
import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.config.GatewayConfig;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.config.ProviderTimeouts;
import dev.tiergate.config.Secret;
import dev.tiergate.routing.Tier;
import dev.tiergate.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL registry store against a real, freshly migrated schema; SQL changes as an operator makes them. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PgRegistryStoreTest {

  private static final Path SHIPPED = Path.of("conf/tiergate.json");
  private static final Instant NOW = Instant.parse("2025-11-22T10:00:00Z");

  private TestDatabase database;
  private Vertx vertx;
  private PgRegistryStore store;

  @BeforeEach
  void migrate(Vertx vertx) {
    this.vertx = vertx;
    database = TestDatabase.create();
    Migrations.migrate(database.config());
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (store != null) {
      await(store.close());
    }
    database.close();
  }

  @Test
  void loadsTheSameRegistryAsTheShippedConf() throws Exception {
    GatewayConfig conf = new ConfigLoader(Map.of()).load(SHIPPED);
    Registry registry = await(store(Map.of(), conf.providers()).load());

    assertEquals("database", registry.source());
    assertEquals(NOW, registry.loadedAt());
    assertEquals(conf.tiers(), registry.tiers());
    assertEquals(conf.routing().localModels(), registry.localModels());
    assertEquals(Map.of(Tier.HAIKU, "qwen3-coder:30b"), registry.localModels());
    assertEquals(conf.models().keySet(), registry.models().keySet());
    for (ModelConfig expected : conf.models().values()) {
      ModelConfig actual = registry.models().get(expected.key());
      assertEquals(expected.provider(), actual.provider(), expected.key());
      assertEquals(expected.upstreamModel(), actual.upstreamModel(), expected.key());
      assertEquals(expected.tier(), actual.tier(), expected.key());
      assertEquals(expected.fallbacks(), actual.fallbacks(), expected.key());
      assertEquals(expected.stripThinking(), actual.stripThinking(), expected.key());
      boolean local = conf.providers().get(expected.provider()).local();
      assertEquals(local, actual.inputPricePer1k() == 0 && actual.outputPricePer1k() == 0, expected.key());
    }
    assertEquals(conf.providers().keySet(), registry.providers().keySet());
    for (ProviderConfig expected : conf.providers().values()) {
      assertEquals(expected, registry.providers().get(expected.name()), expected.name());
    }
    assertEquals(List.of("claude-haiku-3-5-20241022"), registry.models().get("qwen3-coder:30b").fallbacks());
    assertTrue(registry.models().get("qwen3-coder:30b").stripThinking());
    assertEquals(0.003, registry.models().get("claude-sonnet-4-20250514").inputPricePer1k(), 1e-9);
  }

  @Test
  void confSettingsApplyOnlyToAProviderOfTheSameFamilyAndLocality() throws Exception {
    GatewayConfig conf = new ConfigLoader(Map.of("OLLAMA_BASE_URL", "http://gpu-box:11434")).load(SHIPPED);
    ProviderConfig strangeOpenAi = new ProviderConfig("openai", ProviderFamily.ANTHROPIC,
        URI.create("https://elsewhere.example"), Optional.empty(), new ProviderTimeouts(1, 2, 3, 4), 7, false, false,
        false);
    Registry registry = await(store(Map.of("OLLAMA_BASE_URL", "http://gpu-box:11434"), Map.of("ollama",
        conf.providers().get("ollama"), "openai", strangeOpenAi)).load());

    ProviderConfig ollama = registry.providers().get("ollama");
    assertEquals(URI.create("http://gpu-box:11434"), ollama.baseUrl());
    assertEquals(30_000, ollama.timeouts().firstByteMs());
    ProviderConfig openai = registry.providers().get("openai");
    assertEquals(ProviderFamily.OPENAI_COMPATIBLE, openai.family());
    assertEquals(URI.create("https://api.openai.com/v1"), openai.baseUrl());
    assertEquals(new ProviderTimeouts(5_000, 120_000, 60_000, 900_000), openai.timeouts());
    assertEquals(1024, openai.poolSize());
    assertTrue(openai.streamUsage());
    assertTrue(registry.providers().get("lmstudio").streamUsage(), "no conf entry: the default");

    // Without an env override, an operator moves a provider with SQL.
    database.execute("UPDATE llm_providers SET base_url = 'http://ollama-2:11434' WHERE provider_key = 'ollama'");
    Registry moved = await(store(Map.of(), Map.of("ollama", conf.providers().get("ollama"))).load());
    assertEquals(URI.create("http://ollama-2:11434"), moved.providers().get("ollama").baseUrl());
    assertEquals(30_000, moved.providers().get("ollama").timeouts().firstByteMs(), "conf settings still apply");
  }

  @Test
  void anInsertedOllamaModelBecomesTheLocalHaikuDefault() throws Exception {
    database.execute("UPDATE llm_models SET is_tier_default = false WHERE leo_tier = 'haiku' AND is_local");
    database.execute("""
        INSERT INTO llm_models (model_key, display_name, provider_key, leo_tier, is_local, is_tier_default,
                                context_length, fallbacks, options)
        VALUES ('qwen2.5-coder:7b', 'Qwen2.5 Coder 7B', 'ollama', 'haiku', true, true, 32768,
                '{gpt-4o-mini,no-such-model}', '{"stripThinking": false}')""");
    Registry registry = await(store(Map.of(), Map.of()).load());

    assertEquals(Map.of(Tier.HAIKU, "qwen2.5-coder:7b"), registry.localModels());
    ModelConfig model = registry.models().get("qwen2.5-coder:7b");
    assertEquals(new ModelConfig("qwen2.5-coder:7b", "ollama", "qwen2.5-coder:7b", Tier.HAIKU,
        List.of("gpt-4o-mini"), false, false, 0, 0, 32768), model);
    assertTrue(registry.models().containsKey("qwen3-coder:30b"), "the old default stays pinnable");
    assertTrue(registry.models().get("qwen3-coder:30b").prefill(), "seeded Ollama models continue a prefill");
    assertTrue(registry.models().get("claude-haiku-3-5-20241022").prefill(), "seeded Anthropic models too");
    assertFalse(registry.models().get("gpt-4o-mini").prefill(), "OpenAI's Chat Completions does not");
    assertEquals("claude-haiku-3-5-20241022", registry.tiers().get(Tier.HAIKU));
  }

  @Test
  void aDeactivatedModelDisappears() throws Exception {
    database.execute("UPDATE llm_models SET status = 'inactive' WHERE model_key = 'llama3.2:3b'");
    database.execute("UPDATE llm_providers SET status = 'inactive' WHERE provider_key = 'gemini'");
    Registry registry = await(store(Map.of(), Map.of()).load());

    assertFalse(registry.models().containsKey("llama3.2:3b"));
    assertFalse(registry.models().containsKey("gemini-2.0-flash"), "its provider is inactive");
    assertFalse(registry.providers().containsKey("gemini"));
    assertEquals(8, registry.models().size());
  }

  @Test
  void retiringATiersModelMovesTheTierAndDropsItFromFallbacks() throws Exception {
    database.execute("UPDATE llm_models SET is_tier_default = false WHERE model_key = 'claude-haiku-3-5-20241022'");
    database.execute("UPDATE llm_models SET is_tier_default = true WHERE model_key = 'gpt-4o-mini'");
    database.execute("UPDATE llm_models SET status = 'retired' WHERE model_key = 'claude-haiku-3-5-20241022'");
    Registry registry = await(store(Map.of(), Map.of()).load());

    assertFalse(registry.models().containsKey("claude-haiku-3-5-20241022"));
    assertEquals("gpt-4o-mini", registry.tiers().get(Tier.HAIKU));
    assertEquals(List.of(), registry.models().get("qwen3-coder:30b").fallbacks());
  }

  @Test
  void aTierWithoutACloudDefaultFailsTheLoadNamingIt(VertxTestContext ctx) {
    database.execute("DELETE FROM llm_models WHERE model_key = 'claude-sonnet-4-20250514'");
    store(Map.of(), Map.of()).load().onComplete(ctx.failing(failure -> ctx.verify(() -> {
      assertInstanceOf(ConfigException.class, failure);
      assertTrue(failure.getMessage().contains("tier sonnet has no active cloud default"), failure.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void anUnreachableDatabaseFailsTheLoadQuickly(VertxTestContext ctx) {
    DatabaseConfig nowhere = new DatabaseConfig("127.0.0.1", 1, "tiergate", "tiergate",
        Optional.of(new Secret("pw-NEVER-SHOWN-4711")), "tiergate", false);
    store = new PgRegistryStore(vertx, nowhere, Map.of(), Map.of());
    store.load().onComplete(ctx.failing(failure -> ctx.verify(() -> {
      assertTrue(failure.getMessage().startsWith("cannot read the model registry from postgres://tiergate:***@"
          + "127.0.0.1:1/tiergate"), failure.getMessage());
      assertFalse(failure.getMessage().contains("pw-NEVER-SHOWN-4711"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void aDatabaseThatNeverAnswersFailsTheLoadInTime(VertxTestContext ctx) {
    // Accepts the TCP connection, then stays silent: the failure mode no connect error reveals.
    vertx.createNetServer().connectHandler(socket -> socket.pause()).listen(0, "127.0.0.1")
        .compose(server -> {
          DatabaseConfig silent = new DatabaseConfig("127.0.0.1", server.actualPort(), "tiergate", "tiergate",
              Optional.empty(), "tiergate", false);
          store = new PgRegistryStore(vertx, silent, Map.of(), Map.of());
          return store.load();
        })
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          assertTrue(failure.getMessage().contains("within"), failure.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void apiKeysComeFromTheEnvironmentOnly() throws Exception {
    GatewayConfig conf = new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-from-conf-env")).load(SHIPPED);
    database.execute("UPDATE llm_providers SET api_key_env = 'TEAM_GEMINI_KEY' WHERE provider_key = 'gemini'");
    Map<String, String> env = Map.of("ANTHROPIC_API_KEY", "sk-ant-0123456789", "OPENAI_API_KEY", "  ",
        "TEAM_GEMINI_KEY", "gm-key-42", "GEMINI_API_KEY", "stale");
    Registry registry = await(store(env, conf.providers()).load());

    assertEquals(Optional.of(new Secret("sk-ant-0123456789")), registry.providers().get("anthropic").apiKey());
    assertEquals(Optional.empty(), registry.providers().get("openai").apiKey(), "blank env, and never conf's key");
    assertEquals(Optional.of(new Secret("gm-key-42")), registry.providers().get("gemini").apiKey());
    assertEquals(Optional.empty(), registry.providers().get("ollama").apiKey());
    assertFalse(registry.toString().contains("sk-ant-0123456789"));
    assertEquals(0L, ((Number) database.query(
        "SELECT count(*) FROM llm_providers WHERE api_key_env NOT SIMILAR TO '[A-Z][A-Z0-9_]*'")
        .get(0).get("count")).longValue(), "the table holds variable names only");
  }

  @Test
  void aRowCannotNameAnotherSecretAsItsKey() throws Exception {
    database.execute("UPDATE llm_providers SET api_key_env = 'DATABASE_URL' WHERE provider_key = 'openai'");
    database.execute("UPDATE llm_providers SET api_key_env = 'TIERGATE_ADMIN_TOKEN' WHERE provider_key = 'cohere'");
    Registry registry = await(store(Map.of("DATABASE_URL", "postgres://u:secret@db/x", "TIERGATE_ADMIN_TOKEN",
        "admin-secret", "ANTHROPIC_API_KEY", "sk-ant-1"), Map.of()).load());
    assertTrue(registry.providers().get("openai").apiKey().isEmpty());
    assertTrue(registry.providers().get("cohere").apiKey().isEmpty());
    assertEquals("sk-ant-1", registry.providers().get("anthropic").apiKey().orElseThrow().value());
  }

  private PgRegistryStore store(Map<String, String> env, Map<String, ProviderConfig> confProviders) {
    store = new PgRegistryStore(vertx, database.config(), env, confProviders, Clock.fixed(NOW, ZoneOffset.UTC));
    return store;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
