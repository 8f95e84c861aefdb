package dev.tiergate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.routing.Tier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped conf/tiergate.json, environment overrides, and a ConfigException naming the key for each mistake. */
class ConfigLoaderTest {

  private static final Path SHIPPED = Path.of("conf/tiergate.json");
  private static final String OPENAI_KEY = "sk-proj-NEVER-PRINT-ME-9876543210";

  @Test
  void loadsTheShippedConfiguration() {
    GatewayConfig config = new ConfigLoader(Map.of()).load(SHIPPED);
    assertEquals(8080, config.http().port());
    assertEquals("0.0.0.0", config.http().host());
    assertEquals(32L * 1024 * 1024, config.http().maxBodyBytes());
    assertEquals(8081, config.admin().port());
    assertEquals("127.0.0.1", config.admin().host());
    assertTrue(config.admin().token().isEmpty());
    assertEquals(15_000, config.streaming().heartbeatMs());
    assertEquals(Tier.SONNET, config.defaultTier());
    assertEquals(Map.of(Tier.HAIKU, "claude-haiku-3-5-20241022", Tier.SONNET, "claude-sonnet-4-20250514",
        Tier.OPUS, "claude-opus-4-5-20251101"),
        config.tiers());
    assertEquals(URI.create("https://api.openai.com/v1"), config.providers().get("openai").baseUrl());
    assertTrue(config.providers().get("openai").tls());
    assertEquals(443, config.providers().get("openai").port());
    assertEquals("/v1", config.providers().get("openai").basePath());
    assertEquals(URI.create("http://localhost:11434"), config.providers().get("ollama").baseUrl());
    assertEquals(ProviderFamily.OLLAMA, config.providers().get("ollama").family());
    assertEquals(ProviderFamily.ANTHROPIC, config.providers().get("anthropic").family());
    assertEquals(ProviderFamily.GEMINI, config.providers().get("gemini").family());
    assertEquals(ProviderFamily.COHERE, config.providers().get("cohere").family());
    assertEquals("claude-3-5-haiku-20241022", config.models().get("claude-haiku-3-5-20241022").upstreamModel());
    assertTrue(config.models().get("qwen3-coder:30b").stripThinking());
    assertFalse(config.models().get("gpt-4o").stripThinking());
    for (var model : config.models().values()) {
      ProviderFamily family = config.providers().get(model.provider()).family();
      assertEquals(family == ProviderFamily.ANTHROPIC || family == ProviderFamily.OLLAMA, model.prefill(),
          model.key() + ": Anthropic and Ollama models continue a prefill, the others do not");
    }
    assertTrue(config.providers().get("ollama").local());
    assertEquals(30_000, config.providers().get("ollama").timeouts().firstByteMs());
    assertEquals(120_000, config.providers().get("openai").timeouts().firstByteMs());
    assertFalse(config.providers().get("lmstudio").streamUsage());
    assertTrue(config.providers().get("openai").apiKey().isEmpty());
    assertEquals(List.of("claude-haiku-3-5-20241022"), config.models().get("qwen3-coder:30b").fallbacks());
    assertEquals("ollama", config.models().get("llama3.2:3b").provider());
    assertEquals("llama3.2:3b", config.models().get("llama3.2:3b").upstreamModel());
    assertTrue(config.clientKeys().isEmpty());
  }

  @Test
  void environmentOverridesTheFile() {
    Map<String, String> env = Map.of(
        "TIERGATE_HTTP_PORT", "9090",
        "TIERGATE_HTTP_HOST", "127.0.0.2",
        "TIERGATE_ADMIN_PORT", "0",
        "OPENAI_BASE_URL", "http://127.0.0.1:4010/v1/",
        "OLLAMA_BASE_URL", "http://gpu-box:11434",
        "OLLAMA_TIMEOUT_MS", "4500",
        "OPENAI_API_KEY", OPENAI_KEY,
        "TIERGATE_CLIENT_KEYS", " k1, k2 ,,",
        "TIERGATE_ADMIN_TOKEN", "admin-token-secret",
        "TIERGATE_ALLOW_PRIVATE_UPSTREAMS", "openai");
    GatewayConfig config = new ConfigLoader(env).load(SHIPPED);
    assertEquals(9090, config.http().port());
    assertEquals("127.0.0.2", config.http().host());
    assertEquals(0, config.admin().port());
    ProviderConfig openai = config.providers().get("openai");
    assertEquals(URI.create("http://127.0.0.1:4010/v1"), openai.baseUrl());
    assertFalse(openai.tls());
    assertEquals(4010, openai.port());
    assertEquals("/v1", openai.basePath());
    assertEquals(OPENAI_KEY, openai.apiKey().orElseThrow().value());
    ProviderConfig ollama = config.providers().get("ollama");
    assertEquals(URI.create("http://gpu-box:11434"), ollama.baseUrl());
    assertEquals(4500, ollama.timeouts().firstByteMs());
    assertEquals(List.of("k1", "k2"), config.clientKeys().stream().map(Secret::value).toList());
    assertEquals("admin-token-secret", config.admin().token().orElseThrow().value());
  }

  @Test
  void ollamaBaseUrlLosesItsTrailingSlash() {
    GatewayConfig config = new ConfigLoader(Map.of("OLLAMA_BASE_URL", "http://gpu-box:11434/")).load(SHIPPED);
    assertEquals(URI.create("http://gpu-box:11434"), config.providers().get("ollama").baseUrl());
  }

  @Test
  void blankEnvironmentValuesAreIgnored() {
    GatewayConfig config = new ConfigLoader(Map.of("OPENAI_BASE_URL", " ", "TIERGATE_HTTP_PORT", "",
        "OPENAI_API_KEY", "  ", "OLLAMA_TIMEOUT_MS", "", "OLLAMA_BASE_URL", "")).load(SHIPPED);
    assertEquals(URI.create("https://api.openai.com/v1"), config.providers().get("openai").baseUrl());
    assertEquals(8080, config.http().port());
    assertTrue(config.providers().get("openai").apiKey().isEmpty());
    assertEquals(30_000, config.providers().get("ollama").timeouts().firstByteMs());
    assertEquals(URI.create("http://localhost:11434"), config.providers().get("ollama").baseUrl());
  }

  @Test
  void secretsNeverAppearInToString() {
    Map<String, String> env = Map.of("OPENAI_API_KEY", OPENAI_KEY, "TIERGATE_CLIENT_KEYS", "client-key-SECRET",
        "TIERGATE_ADMIN_TOKEN", "admin-token-SECRET");
    GatewayConfig config = new ConfigLoader(env).load(SHIPPED);
    for (String text : List.of(config.toString(), config.providers().get("openai").toString(),
        config.providers().get("openai").apiKey().toString(), config.admin().toString(),
        config.clientKeys().toString())) {
      assertFalse(text.contains(OPENAI_KEY), text);
      assertFalse(text.contains("NEVER-PRINT"), text);
      assertFalse(text.contains("client-key-SECRET"), text);
      assertFalse(text.contains("admin-token-SECRET"), text);
    }
    assertTrue(config.providers().get("openai").toString().contains("Secret[***]"));
  }

  @Test
  void unreadableFileNamesTheConf(@TempDir Path dir) {
    ConfigException error = assertThrows(ConfigException.class,
        () -> new ConfigLoader(Map.of()).load(dir.resolve("missing.json")));
    assertTrue(error.getMessage().startsWith("conf"), error.getMessage());
  }

  @Test
  void invalidJsonFileNamesTheConf(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{ \"http\": ");
    ConfigException error = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(file));
    assertTrue(error.getMessage().startsWith("conf"), error.getMessage());
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad("http.port", Map.of(), c -> c.getJsonObject("http").put("port", 70_000)),
        bad("http.port", Map.of(), c -> c.getJsonObject("http").put("port", -1)),
        bad("http.port", Map.of(), c -> c.getJsonObject("http").put("port", "8080")),
        bad("http.port", Map.of(), c -> c.getJsonObject("http").put("port", 80.5)),
        bad("http.port", Map.of("TIERGATE_HTTP_PORT", "70000"), c -> { }),
        bad("TIERGATE_HTTP_PORT", Map.of("TIERGATE_HTTP_PORT", "abc"), c -> { }),
        bad("admin.port", Map.of("TIERGATE_ADMIN_PORT", "99999"), c -> { }),
        bad("http.maxBodyBytes", Map.of(), c -> c.getJsonObject("http").put("maxBodyBytes", 10)),
        bad("http", Map.of(), c -> c.put("http", "port 8080")),
        bad("providers.openai.family", Map.of(), c -> provider(c, "openai").put("family", "anthropic-ish")),
        bad("providers.openai.family", Map.of(), c -> provider(c, "openai").remove("family")),
        bad("tiers.sonnet", Map.of(), c -> c.getJsonObject("tiers").put("sonnet", "gpt-9")),
        bad("tiers.opus", Map.of(), c -> c.getJsonObject("tiers").remove("opus")),
        bad("tiers.mega", Map.of(), c -> c.getJsonObject("tiers").put("mega", "gpt-4o")),
        bad("models.gpt-4o.provider", Map.of(), c -> model(c, "gpt-4o").put("provider", "nobody")),
        bad("models.gpt-4o.provider", Map.of(), c -> model(c, "gpt-4o").remove("provider")),
        bad("models.gpt-4o.tier", Map.of(), c -> model(c, "gpt-4o").put("tier", "mega")),
        bad("models.qwen3-coder:30b.fallbacks", Map.of(),
            c -> model(c, "qwen3-coder:30b").put("fallbacks", new JsonArray().add("gpt-4o-mini").add("gpt-9"))),
        bad("models.qwen3-coder:30b.fallbacks", Map.of(),
            c -> model(c, "qwen3-coder:30b").put("fallbacks", "gpt-4o-mini")),
        bad("models.qwen3-coder:30b.fallbacks[0]", Map.of(),
            c -> model(c, "qwen3-coder:30b").put("fallbacks", new JsonArray().add(42))),
        bad("models.gpt-4o", Map.of(), c -> c.getJsonObject("models").put("gpt-4o", "openai")),
        bad("providers.openai", Map.of(), c -> c.getJsonObject("providers").put("openai", "https://api.openai.com")),
        bad("providers.openai", Map.of(), c -> c.getJsonObject("providers").put("openai", new JsonArray())),
        bad("providers", Map.of(), c -> c.put("providers", new JsonObject())),
        bad("providers.openai.baseUrl", Map.of(), c -> provider(c, "openai").put("baseUrl", "ftp://api.openai.com")),
        bad("providers.openai.baseUrl", Map.of(), c -> provider(c, "openai").put("baseUrl", "api.openai.com/v1")),
        bad("providers.openai.baseUrl", Map.of(), c -> provider(c, "openai").put("baseUrl", "http://bad host/v1")),
        bad("providers.openai.baseUrl", Map.of(), c -> provider(c, "openai").remove("baseUrl")),
        bad("providers.openai.baseUrl", Map.of("OPENAI_BASE_URL", "file:///etc/passwd"), c -> { }),
        bad("providers.ollama.baseUrl", Map.of("OLLAMA_BASE_URL", "localhost:11434"), c -> { }),
        bad("providers.vllm.local", Map.of(), c -> provider(c, "vllm").put("local", "yes")),
        bad("OLLAMA_TIMEOUT_MS", Map.of("OLLAMA_TIMEOUT_MS", "30s"), c -> { }),
        bad("OLLAMA_TIMEOUT_MS", Map.of("OLLAMA_TIMEOUT_MS", "0"), c -> { }),
        bad("providers.openai.timeouts.idleMs", Map.of(),
            c -> provider(c, "openai").put("timeouts", new JsonObject().put("idleMs", 0))),
        bad("providers.ollama.timeouts.firstByteMs", Map.of(),
            c -> provider(c, "ollama").put("timeouts", new JsonObject().put("firstByteMs", -5))),
        bad("providers.openai.poolSize", Map.of(), c -> provider(c, "openai").put("poolSize", 0)),
        bad("streaming.heartbeatMs", Map.of(), c -> c.getJsonObject("streaming").put("heartbeatMs", 15_001)),
        bad("streaming.heartbeatMs", Map.of(), c -> c.getJsonObject("streaming").put("heartbeatMs", 0)),
        bad("streaming.maxEventBytes", Map.of(), c -> c.getJsonObject("streaming").put("maxEventBytes", 1)),
        bad("defaultTier", Map.of(), c -> c.put("defaultTier", "platinum")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void badConfigFailsNamingTheKey(String key, Map<String, String> env, Consumer<JsonObject> change) throws IOException {
    JsonObject conf = new JsonObject(Files.readString(SHIPPED));
    change.accept(conf);
    ConfigException error = assertThrows(ConfigException.class, () -> new ConfigLoader(env).fromJson(conf));
    assertTrue(error.getMessage().startsWith(key + ":") || error.getMessage().startsWith(key + " "),
        () -> "expected the message to start with '" + key + "': " + error.getMessage());
  }

  @Test
  void badEnvValueMessageDoesNotLeakSecrets() {
    Map<String, String> env = Map.of("OPENAI_API_KEY", OPENAI_KEY, "TIERGATE_HTTP_PORT", "abc");
    ConfigException error = assertThrows(ConfigException.class, () -> new ConfigLoader(env).load(SHIPPED));
    assertFalse(error.getMessage().contains(OPENAI_KEY), error.getMessage());
  }

  @Test
  void credentialsInABaseUrlAreNeverEchoed() {
    ConfigException error = assertThrows(ConfigException.class, () -> new ConfigLoader(
        Map.of("OPENAI_BASE_URL", "ftp://proxy-user:s3cret-pass@proxy.internal/v1")).load(SHIPPED));
    assertTrue(error.getMessage().startsWith("providers.openai.baseUrl: "), error.getMessage());
    assertFalse(error.getMessage().contains("s3cret-pass"), error.getMessage());
    // Credentials in a base URL are refused outright (the upstream guard): keys travel as headers.
    ConfigException userInfo = assertThrows(ConfigException.class, () -> new ConfigLoader(
        Map.of("OPENAI_BASE_URL", "https://proxy-user:s3cret-pass@proxy.internal/v1")).load(SHIPPED));
    assertTrue(userInfo.getMessage().startsWith("providers.openai.baseUrl"), userInfo.getMessage());
    assertFalse(userInfo.getMessage().contains("s3cret-pass"), userInfo.getMessage());
  }

  private static Arguments bad(String key, Map<String, String> env, Consumer<JsonObject> change) {
    return Arguments.of(key, env, change);
  }

  private static JsonObject provider(JsonObject conf, String name) {
    return conf.getJsonObject("providers").getJsonObject(name);
  }

  private static JsonObject model(JsonObject conf, String name) {
    return conf.getJsonObject("models").getJsonObject(name);
  }
}
