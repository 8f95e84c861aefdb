package dev.tiergate.config;

import dev.tiergate.routing.Tier;
import dev.tiergate.security.KeyLimits;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code conf/tiergate.json} plus environment overrides (see CONTRACT.md) into a validated {@link GatewayConfig}.
 * Runs once at start-up, before any verticle; every failure is a {@link ConfigException} naming the key.
 */
public final class ConfigLoader {

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Reads and validates the file at {@code path}. Blocking: start-up only. */
  public GatewayConfig load(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new ConfigException("conf", "cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return fromJson(new JsonObject(text));
    } catch (DecodeException e) {
      throw new ConfigException("conf", path + " is not valid JSON: " + e.getMessage());
    }
  }

  /** Validates an already parsed configuration document. */
  public GatewayConfig fromJson(JsonObject root) {
    JsonObject http = object(root, "http");
    JsonObject admin = object(root, "admin");
    JsonObject streaming = object(root, "streaming");
    HttpConfig httpConfig = new HttpConfig(
        envString("TIERGATE_HTTP_HOST", string(http, "http.host", "0.0.0.0")),
        envInt("TIERGATE_HTTP_PORT", "http.port", integer(http, "http.port", 8080)),
        integer(http, "http.instances", 0),
        longValue(http, "http.maxBodyBytes", 32L * 1024 * 1024), listenerLimits(object(http, "http.limits")),
        tls(object(http, "http.tls")), bool(http, "http.h2c", false));
    AdminConfig adminConfig = new AdminConfig(
        envString("TIERGATE_ADMIN_HOST", string(admin, "admin.host", "127.0.0.1")),
        envInt("TIERGATE_ADMIN_PORT", "admin.port", integer(admin, "admin.port", 8081)),
        secretFromEnv("TIERGATE_ADMIN_TOKEN"));
    StreamingConfig streamingConfig = new StreamingConfig(
        longValue(streaming, "streaming.heartbeatMs", 15_000),
        integer(streaming, "streaming.maxEventBytes", 4 * 1024 * 1024),
        integer(streaming, "streaming.maxResponseBytes", 32 * 1024 * 1024));
    JsonObject health = object(root, "health");
    HealthConfig healthConfig = new HealthConfig(longValue(health, "health.intervalMs", 30_000),
        longValue(health, "health.timeoutMs", 5_000));
    Map<String, ProviderConfig> providers = providers(root);
    Map<String, ModelConfig> models = models(root);
    RoutingConfig routing = new RoutingConfigReader(env).read(root, models, providers);
    Map<Tier, String> tiers = tiers(root);
    Tier defaultTier = Tier.parseConfig("defaultTier", string(root, "defaultTier", "sonnet"));
    Optional<DatabaseConfig> database = DatabaseConfig.fromUrl(env.get("DATABASE_URL"), env.get("TIERGATE_DB_SCHEMA"));
    long cacheMs = positive(object(root, "registry"), "registry.cacheMs", 300_000);
    return new GatewayConfig(httpConfig, adminConfig, streamingConfig, healthConfig, providers, models, tiers,
        defaultTier, routing, database, cacheMs, clientKeys(),
        keyPolicy(object(root, "clientKeys")),
        observability(object(root, "observability")));
  }

  private static ListenerLimits listenerLimits(JsonObject json) {
    ListenerLimits d = ListenerLimits.DEFAULT;
    return new ListenerLimits(integer(json, "http.limits.maxInFlight", d.maxInFlight()),
        integer(json, "http.limits.maxConnections", d.maxConnections()),
        longValue(json, "http.limits.headTimeoutMs", d.headTimeoutMs()),
        longValue(json, "http.limits.keepAliveTimeoutMs", d.keepAliveTimeoutMs()),
        longValue(json, "http.limits.bodyTimeoutMs", d.bodyTimeoutMs()),
        integer(json, "http.limits.maxHeaderBytes", d.maxHeaderBytes()),
        integer(json, "http.limits.maxRequestLineBytes", d.maxRequestLineBytes()));
  }

  private static Optional<TlsConfig> tls(JsonObject json) {
    String cert = string(json, "http.tls.certPath", null);
    String key = string(json, "http.tls.keyPath", null);
    if (cert == null && key == null) {
      return Optional.empty();
    }
    if (cert == null || key == null) {
      throw new ConfigException("http.tls", "needs both certPath and keyPath");
    }
    return Optional.of(new TlsConfig(Path.of(cert), Path.of(key)));
  }

  /** {@code clientKeys}: the limits every key of {@code TIERGATE_CLIENT_KEYS} gets, and {@code required}. */
  private static ClientKeyPolicy keyPolicy(JsonObject json) {
    JsonObject defaults = object(json, "clientKeys.defaults");
    KeyLimits limits = new KeyLimits(integer(defaults, "clientKeys.defaults.requestsPerMinute", 0),
        longValue(defaults, "clientKeys.defaults.tokensPerMinute", 0),
        integer(defaults, "clientKeys.defaults.maxConcurrentStreams", 0));
    Checks.atLeast("clientKeys.defaults.requestsPerMinute", limits.requestsPerMinute(), 0);
    return new ClientKeyPolicy(limits, bool(json, "clientKeys.required", false));
  }

  private static ObservabilityConfig observability(JsonObject json) {
    ObservabilityConfig d = ObservabilityConfig.DEFAULT;
    return new ObservabilityConfig(bool(json, "observability.metrics", d.metrics()),
        bool(json, "observability.accessLog", d.accessLog()),
        bool(json, "observability.accessLogPrompts", d.accessLogPrompts()),
        integer(json, "observability.usageRetentionMinutes", d.usageRetentionMinutes()));
  }

  private Map<String, ProviderConfig> providers(JsonObject root) {
    JsonObject defaults = object(root, "providerDefaults");
    JsonObject all = object(root, "providers");
    if (all.isEmpty()) {
      throw new ConfigException("providers", "at least one provider is required");
    }
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    for (String name : all.fieldNames()) {
      providers.put(name, provider(name, object(all, "providers." + name, name), defaults));
    }
    return providers;
  }

  private ProviderConfig provider(String name, JsonObject json, JsonObject defaults) {
    String key = "providers." + name;
    ProviderFamily family = ProviderFamily.parse(key + ".family", string(json, key + ".family", null));
    String baseUrlEnv = string(json, key + ".baseUrlEnv", null);
    String base = baseUrlEnv == null ? null : env.get(baseUrlEnv);
    if (base == null || base.isBlank()) {
      base = string(json, key + ".baseUrl", null);
    }
    if (base == null) {
      throw new ConfigException(key + ".baseUrl", "missing");
    }
    String suffix = string(json, key + ".pathSuffix", "");
    String root = stripSlash(base);
    // OLLAMA_BASE_URL is the server root, but users often paste the /v1 URL: accept both.
    URI baseUrl = uri(key + ".baseUrl", root.endsWith(suffix) ? root : root + suffix);
    String apiKeyEnv = string(json, key + ".apiKeyEnv", null);
    Optional<Secret> apiKey = apiKeyEnv == null ? Optional.empty() : secretFromEnv(apiKeyEnv);
    JsonObject timeouts = object(defaults, "providerDefaults.timeouts").mergeIn(object(json, key + ".timeouts"));
    String firstByteEnv = string(json, key + ".firstByteTimeoutEnv", null);
    long firstByte = positive(timeouts, key + ".timeouts.firstByteMs", 120_000);
    String firstByteOverride = firstByteEnv == null ? null : env.get(firstByteEnv);
    if (firstByteOverride != null && !firstByteOverride.isBlank()) {
      firstByte = parseLong(firstByteEnv, firstByteOverride);
      Checks.atLeast(firstByteEnv, firstByte, 1);
    }
    ProviderTimeouts providerTimeouts = new ProviderTimeouts(
        positive(timeouts, key + ".timeouts.connectMs", 5_000), firstByte,
        positive(timeouts, key + ".timeouts.idleMs", 60_000),
        positive(timeouts, key + ".timeouts.maxStreamMs", 900_000));
    int poolSize = integer(json, key + ".poolSize", integer(defaults, "providerDefaults.poolSize", 1024));
    boolean streamUsage = bool(json, key + ".streamUsage", true);
    boolean local = bool(json, key + ".local", false);
    boolean allowPrivate = bool(json, key + ".allowPrivateNetwork", false) || privateAllowedByEnv(name);
    boolean fromEnv = baseUrlEnv != null && env.get(baseUrlEnv) != null && !env.get(baseUrlEnv).isBlank();
    guard(key + ".baseUrl" + (fromEnv ? " (from " + baseUrlEnv + ")" : ""), baseUrl, local || allowPrivate);
    return new ProviderConfig(name, family, baseUrl, apiKey, providerTimeouts, poolSize, streamUsage, local,
        allowPrivate);
  }

  /**
   * The SSRF guard on a provider's base URL, after env overrides: no metadata or link-local hosts, and no loopback or
   * private literal addresses unless the provider is local or allowed ({@code allowPrivateNetwork},
   * {@code TIERGATE_ALLOW_PRIVATE_UPSTREAMS}).
   */
  private void guard(String key, URI baseUrl, boolean allowPrivate) {
    dev.tiergate.provider.UpstreamGuard.checkUrl(key, baseUrl, allowPrivate);
  }

  private boolean privateAllowedByEnv(String provider) {
    return dev.tiergate.provider.UpstreamGuard.listed(env.get(dev.tiergate.provider.UpstreamGuard.ALLOW_PRIVATE_ENV),
        provider);
  }

  private Map<String, ModelConfig> models(JsonObject root) {
    JsonObject all = object(root, "models");
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    for (String name : all.fieldNames()) {
      String key = "models." + name;
      JsonObject json = object(all, key, name);
      JsonArray fallbacks = array(json, key + ".fallbacks");
      List<String> fallbackKeys = new ArrayList<>();
      for (int i = 0; i < fallbacks.size(); i++) {
        if (!(fallbacks.getValue(i) instanceof String fallback)) {
          throw new ConfigException(key + ".fallbacks[" + i + "]", "must be a model key string");
        }
        fallbackKeys.add(fallback);
      }
      String provider = string(json, key + ".provider", null);
      if (provider == null) {
        throw new ConfigException(key + ".provider", "missing");
      }
      models.put(name, new ModelConfig(name, provider, string(json, key + ".upstreamModel", name),
          Tier.parseConfig(key + ".tier", string(json, key + ".tier", "sonnet")), fallbackKeys,
          bool(json, key + ".stripThinking", false), bool(json, key + ".prefill", false),
          price(json, key + ".price.inputPer1k"), price(json, key + ".price.outputPer1k"),
          contextTokens(json, key + ".contextTokens")));
    }
    return models;
  }

  private static int contextTokens(JsonObject model, String key) {
    Object value = model.getValue("contextTokens");
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number number) || number.longValue() < 1 || number.longValue() > Integer.MAX_VALUE
        || number.doubleValue() != number.longValue()) {
      throw new ConfigException(key, "must be a whole number of tokens, at least 1");
    }
    return number.intValue();
  }

  private static double price(JsonObject model, String key) {
    int dot = key.lastIndexOf('.');
    Object value = object(model, key.substring(0, dot)).getValue(key.substring(dot + 1));
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number number) || number.doubleValue() < 0) {
      throw new ConfigException(key, "must be a number of at least 0");
    }
    return number.doubleValue();
  }

  private Map<Tier, String> tiers(JsonObject root) {
    JsonObject json = object(root, "tiers");
    Map<Tier, String> tiers = new EnumMap<>(Tier.class);
    for (String name : json.fieldNames()) {
      tiers.put(Tier.parseConfig("tiers." + name, name), string(json, "tiers." + name, null));
    }
    return tiers;
  }

  private List<Secret> clientKeys() {
    String keys = env.get("TIERGATE_CLIENT_KEYS");
    if (keys == null || keys.isBlank()) {
      return List.of();
    }
    return Arrays.stream(keys.split(",")).map(String::trim).filter(k -> !k.isEmpty()).map(Secret::new).toList();
  }

  private Optional<Secret> secretFromEnv(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(new Secret(value.trim()));
  }

  private String envString(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private int envInt(String name, String key, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    long parsed = parseLong(name, value);
    Checks.port(key + " (from " + name + ")", (int) Math.max(Math.min(parsed, Integer.MAX_VALUE), Integer.MIN_VALUE));
    return (int) parsed;
  }

  static long parseLong(String key, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "must be a whole number, got '" + value + "'");
    }
  }

  private static URI uri(String key, String raw) {
    // A URL may carry credentials ("https://user:secret@host"): never echo them in an error.
    String value = raw.replaceAll("//[^/@]*@", "//***@");
    try {
      return checkedUri(key, new URI(raw), value);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "not a valid URL: '" + value + "'");
    }
  }

  private static URI checkedUri(String key, URI uri, String shown) {
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new ConfigException(key, "must be an http(s) URL with a host, got '" + shown + "'");
    }
    return uri;
  }

  private static String stripSlash(String url) {
    String trimmed = url.trim();
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  static JsonObject object(JsonObject parent, String key) {
    return object(parent, key, key.substring(key.lastIndexOf('.') + 1));
  }

  static JsonObject object(JsonObject parent, String key, String field) {
    Object value = parent.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject json)) {
      throw new ConfigException(key, "must be an object");
    }
    return json.copy();
  }

  static JsonArray array(JsonObject parent, String key) {
    Object value = parent.getValue(key.substring(key.lastIndexOf('.') + 1));
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray json)) {
      throw new ConfigException(key, "must be an array");
    }
    return json;
  }

  static String string(JsonObject parent, String key, String fallback) {
    Object value = parent.getValue(key.substring(key.lastIndexOf('.') + 1));
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String text)) {
      throw new ConfigException(key, "must be a string");
    }
    return text;
  }

  static boolean bool(JsonObject parent, String key, boolean fallback) {
    Object value = parent.getValue(key.substring(key.lastIndexOf('.') + 1));
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean flag)) {
      throw new ConfigException(key, "must be true or false");
    }
    return flag;
  }

  static int integer(JsonObject parent, String key, int fallback) {
    long value = longValue(parent, key, fallback);
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      throw new ConfigException(key, "out of range: " + value);
    }
    return (int) value;
  }

  /** A timeout: checked here so that the error names the provider's key, not just {@code timeouts.…}. */
  static long positive(JsonObject parent, String key, long fallback) {
    long value = longValue(parent, key, fallback);
    Checks.atLeast(key, value, 1);
    return value;
  }

  static long longValue(JsonObject parent, String key, long fallback) {
    Object value = parent.getValue(key.substring(key.lastIndexOf('.') + 1));
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw new ConfigException(key, "must be a whole number");
    }
    return number.longValue();
  }
}
