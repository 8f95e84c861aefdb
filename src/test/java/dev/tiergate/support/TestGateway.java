package dev.tiergate.support;

import dev.tiergate.GatewayApp;
import dev.tiergate.config.ConfigLoader;
import dev.tiergate.config.GatewayConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real gateway (all verticles, port 0) whose providers point at in-process fakes. Provider {@code fake}
 * serves {@code gpt-4o} (every tier); provider {@code backup} serves {@code backup-model}; {@code chained} is served by
 * {@code fake} with {@code backup-model} as its fallback. The providers it creates point at 127.0.0.1, so they are
 * marked {@code allowPrivateNetwork} (the upstream guard refuses loopback otherwise).
 */
public final class TestGateway {

  /** The upstream key the gateway must send; tests assert it never leaks. */
  public static final String UPSTREAM_KEY = "sk-upstream-SECRET-0123456789";

  private final Map<String, String> env = new HashMap<>(Map.of("FAKE_KEY", UPSTREAM_KEY));
  private final JsonObject conf;
  private PrometheusMeterRegistry registry;
  private GatewayApp.Running running;

  private TestGateway(String primaryUrl, String backupUrl) {
    JsonObject timeouts = new JsonObject().put("connectMs", 2000).put("firstByteMs", 5000).put("idleMs", 5000)
        .put("maxStreamMs", 30000);
    conf = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("streaming", new JsonObject().put("heartbeatMs", 15000))
        // Health checks are requests too: off unless a test asks, so recorded upstream requests stay the test's own.
        .put("health", new JsonObject().put("intervalMs", 0))
        .put("providerDefaults", new JsonObject().put("poolSize", 64).put("timeouts", timeouts))
        .put("providers", new JsonObject()
            .put("fake", new JsonObject().put("family", "openai-compatible").put("baseUrl", primaryUrl)
                .put("apiKeyEnv", "FAKE_KEY").put("allowPrivateNetwork", true))
            .put("backup", new JsonObject().put("family", "openai-compatible").put("baseUrl", backupUrl)
                .put("apiKeyEnv", "FAKE_KEY").put("allowPrivateNetwork", true)))
        .put("models", new JsonObject()
            .put("gpt-4o", new JsonObject().put("provider", "fake").put("tier", "sonnet"))
            .put("backup-model", new JsonObject().put("provider", "backup").put("tier", "sonnet"))
            .put("chained", new JsonObject().put("provider", "fake").put("upstreamModel", "gpt-4o")
                .put("tier", "sonnet").put("fallbacks", new JsonArray().add("backup-model"))))
        .put("tiers", new JsonObject().put("haiku", "gpt-4o").put("sonnet", "gpt-4o").put("opus", "gpt-4o"));
  }

  public static TestGateway to(FakeUpstream primary) {
    return new TestGateway(primary.baseUrl(), primary.baseUrl());
  }

  /** A gateway whose providers {@code fake} and {@code backup} both point at {@code baseUrl} (OpenAI-compatible). */
  public static TestGateway at(String baseUrl) {
    return new TestGateway(baseUrl, baseUrl);
  }

  public static TestGateway to(FakeUpstream primary, FakeUpstream backup) {
    return new TestGateway(primary.baseUrl(), backup.baseUrl());
  }

  /**
   * Adds one provider per wire family, all served by {@code fake}, and a model on each: {@code m-openai},
   * {@code m-anthropic}, {@code m-ollama}, {@code m-gemini}, {@code m-cohere} (upstream names {@code up-<family>}).
   */
  public TestGateway withEveryFamily(FakeUpstream fake) {
    String root = "http://127.0.0.1:" + fake.port();
    JsonObject providers = conf.getJsonObject("providers");
    JsonObject models = conf.getJsonObject("models");
    for (String family : new String[] {"openai", "anthropic", "ollama", "gemini", "cohere"}) {
      String wire = family.equals("openai") ? "openai-compatible" : family;
      providers.put("p-" + family, new JsonObject().put("family", wire)
          .put("baseUrl", family.equals("openai") ? root + "/v1" : root).put("apiKeyEnv", "FAKE_KEY")
          .put("local", family.equals("ollama")).put("allowPrivateNetwork", true));
      models.put("m-" + family, new JsonObject().put("provider", "p-" + family).put("upstreamModel", "up-" + family)
          .put("tier", "sonnet"));
    }
    return this;
  }

  /** Sets the {@code routing} section (policy, canary, resilience). */
  public TestGateway routing(JsonObject routing) {
    conf.put("routing", routing);
    return this;
  }

  /** Adds (or replaces) a model. */
  public TestGateway model(String key, JsonObject model) {
    conf.getJsonObject("models").put(key, model);
    return this;
  }

  /** Turns provider health checks on, every {@code ms}. */
  public TestGateway healthEveryMs(long ms) {
    conf.getJsonObject("health").put("intervalMs", ms).put("timeoutMs", 1000);
    return this;
  }

  /** Adds (or replaces) a provider. */
  public TestGateway provider(String name, JsonObject provider) {
    conf.getJsonObject("providers").put(name, provider);
    return this;
  }

  public TestGateway heartbeatMs(long ms) {
    conf.getJsonObject("streaming").put("heartbeatMs", ms);
    return this;
  }

  public TestGateway maxBodyBytes(long bytes) {
    conf.getJsonObject("http").put("maxBodyBytes", bytes);
    return this;
  }

  public TestGateway timeouts(long firstByteMs, long idleMs, long maxStreamMs) {
    conf.getJsonObject("providerDefaults").getJsonObject("timeouts")
        .put("firstByteMs", firstByteMs).put("idleMs", idleMs).put("maxStreamMs", maxStreamMs);
    return this;
  }

  /** Sets the {@code clientKeys} section (defaults for the keys of TIERGATE_CLIENT_KEYS, required). */
  public TestGateway clientKeys(JsonObject clientKeys) {
    conf.put("clientKeys", clientKeys);
    return this;
  }

  /** Sets {@code http.limits} (in-flight and connection ceilings, slow-client deadlines). */
  public TestGateway listenerLimits(JsonObject limits) {
    conf.getJsonObject("http").put("limits", limits);
    return this;
  }

  /** Turns on HTTP/2 in clear text ({@code http.h2c}). */
  public TestGateway h2c() {
    conf.getJsonObject("http").put("h2c", true);
    return this;
  }

  /** Sets {@code http.tls} (inbound TLS from PEM files). */
  public TestGateway tls(String certPath, String keyPath) {
    conf.getJsonObject("http").put("tls", new JsonObject().put("certPath", certPath).put("keyPath", keyPath));
    return this;
  }

  /** Sets the {@code observability} section (metrics, access log, usage retention). */
  public TestGateway observability(JsonObject observability) {
    conf.put("observability", observability);
    return this;
  }

  public TestGateway env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public Future<TestGateway> start(Vertx vertx) {
    GatewayConfig config = new ConfigLoader(env).fromJson(conf);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return GatewayApp.deploy(vertx, config, registry, env).map(r -> {
      running = r;
      return this;
    });
  }

  public int port() {
    return running.httpPort();
  }

  public int adminPort() {
    return running.adminPort();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }
}
