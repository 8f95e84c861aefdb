package dev.tiergate.registry;

import dev.tiergate.config.ConfigException;
import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.config.ProviderTimeouts;
import dev.tiergate.config.Secret;
import dev.tiergate.provider.UpstreamGuard;
import dev.tiergate.routing.Tier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The model registry in PostgreSQL ({@code llm_providers} and the view {@code v_llm_model_registry}), read through a
 * small {@code vertx-pg-client} pool with prepared statements. The pool is shared with the other database users
 * (LISTEN for changes, usage and canary writes) through {@link #pool()}.
 *
 * <p>A provider also named in {@code conf/} with the same family and locality keeps its conf base URL (which includes
 * {@code *_BASE_URL} overrides), timeouts, pool size and stream-usage flag; any other provider gets the row's base URL
 * and the default timeouts. API keys come only from the environment variable the row names.
 *
 * <p>Every row's base URL passes {@link UpstreamGuard}: a refused one (metadata or link-local, or loopback/private for
 * a provider that is neither {@code is_local} nor allowed by {@code allowPrivateNetwork} in conf or
 * {@code TIERGATE_ALLOW_PRIVATE_UPSTREAMS}) is skipped with a warning, with its models.
 */
public final class PgRegistryStore implements RegistryStore {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PgRegistryStore.class);

  private static final java.util.regex.Pattern KEY_VARIABLE =
      java.util.regex.Pattern.compile("(?!TIERGATE_)[A-Z][A-Z0-9_]*_(API_KEY|KEY|TOKEN)");

  /** A load that has not finished by then fails, whatever the database is doing. */
  static final long LOAD_TIMEOUT_MS = 4_000;
  private static final int CONNECT_TIMEOUT_MS = 3_000;
  private static final ProviderTimeouts DEFAULT_TIMEOUTS = new ProviderTimeouts(5_000, 120_000, 60_000, 900_000);
  private static final int DEFAULT_POOL_SIZE = 1024;

  // Both reads run in one REPEATABLE READ transaction, so models and providers come from the same snapshot.
  private static final String SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
  private static final String STATEMENT_TIMEOUT = "SELECT set_config('statement_timeout', $1, true)";
  private static final String PROVIDERS = """
      SELECT provider_key, family, base_url, api_key_env, is_local
        FROM llm_providers
       WHERE status = 'active'
       ORDER BY provider_key""";
  private static final String MODELS = """
      SELECT model_key, provider_key, upstream_model, leo_tier, is_local, provider_is_local, is_tier_default,
             price_input_per_1k::float8 AS price_input, price_output_per_1k::float8 AS price_output,
             context_length, fallbacks, options
        FROM v_llm_model_registry
       ORDER BY model_key""";

  private final DatabaseConfig db;
  private final Map<String, String> env;
  private final Map<String, ProviderConfig> confProviders;
  private final Clock clock;
  private final Pool pool;

  public PgRegistryStore(Vertx vertx, DatabaseConfig db, Map<String, String> env,
                         Map<String, ProviderConfig> confProviders) {
    this(vertx, db, env, confProviders, Clock.systemUTC());
  }

  /** @param clock stamps {@link Registry#loadedAt()} */
  public PgRegistryStore(Vertx vertx, DatabaseConfig db, Map<String, String> env,
                         Map<String, ProviderConfig> confProviders, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.env = Map.copyOf(env);
    this.confProviders = Map.copyOf(confProviders);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(4).setConnectionTimeout(CONNECT_TIMEOUT_MS)
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpKeepAlive(true))
        .connectingTo(connectOptions(db))
        .using(vertx)
        .build();
  }

  /**
   * Connect options for {@code db}: credentials, {@code search_path} set to its schema, SSL as configured and a
   * short reconnect policy. Public so that a dedicated LISTEN connection ({@code PgSubscriber}) matches the pool.
   */
  public static PgConnectOptions connectOptions(DatabaseConfig db) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(db.host())
        .setPort(db.port())
        .setDatabase(db.database())
        .setUser(db.user())
        .setReconnectAttempts(2)
        .setReconnectInterval(250)
        .addProperty("search_path", db.schema())
        .addProperty("application_name", "tiergate");
    db.password().ifPresent(password -> options.setPassword(password.value()));
    if (db.ssl()) {
      // sslmode=require semantics (as libpq): encrypted, the server certificate is not verified.
      options.setSslMode(SslMode.REQUIRE).setSslOptions(new ClientSSLOptions().setTrustAll(true));
    }
    return options;
  }

  /** The pool, for LISTEN/NOTIFY and writes. Closed by {@link #close()}. */
  public Pool pool() {
    return pool;
  }

  @Override
  public Future<Registry> load() {
    return pool.withTransaction(this::read)
        .timeout(LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(rows -> build(rows.providers(), rows.models()))
        .recover(this::explain);
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  private Future<Rows> read(SqlConnection conn) {
    return conn.query(SNAPSHOT).execute()
        .compose(ignored -> conn.preparedQuery(STATEMENT_TIMEOUT).execute(Tuple.of(Long.toString(LOAD_TIMEOUT_MS))))
        .compose(ignored -> conn.preparedQuery(PROVIDERS).execute())
        .compose(providers -> conn.preparedQuery(MODELS).execute().map(models -> new Rows(providers, models)));
  }

  private Future<Registry> explain(Throwable failure) {
    if (failure instanceof ConfigException) {
      return Future.failedFuture(failure);
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    // The pool reports a connection it could not open in time as a bare "Timeout".
    String why = failure instanceof TimeoutException ? "no answer within " + LOAD_TIMEOUT_MS + " ms"
        : message.equals("Timeout") ? "no connection within " + CONNECT_TIMEOUT_MS + " ms" : message;
    return Future.failedFuture(
        new IllegalStateException("cannot read the model registry from " + db.display() + ": " + why, failure));
  }

  private Registry build(RowSet<Row> providerRows, RowSet<Row> modelRows) {
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    Set<String> refused = new HashSet<>();
    for (Row row : providerRows) {
      ProviderConfig provider = provider(row);
      String refusal = refusal(provider);
      if (refusal == null) {
        providers.put(provider.name(), provider);
      } else {
        // One bad row must not take the whole registry down: the provider and its models are left out.
        LOG.warn("registry: provider '{}' skipped, its base URL is refused: {}", provider.name(), refusal);
        refused.add(provider.name());
      }
    }
    Set<String> active = new HashSet<>();
    List<Row> routable = new ArrayList<>();
    for (Row row : modelRows) {
      if (!refused.contains(row.getString("provider_key"))) {
        active.add(row.getString("model_key"));
        routable.add(row);
      }
    }
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    Map<Tier, String> tiers = new EnumMap<>(Tier.class);
    Map<Tier, String> localModels = new EnumMap<>(Tier.class);
    for (Row row : routable) {
      ModelConfig model = model(row, active);
      models.put(model.key(), model);
      if (row.getBoolean("is_tier_default")) {
        boolean local = locality(row);
        putDefault(local ? localModels : tiers, model, local);
      }
    }
    for (Tier tier : Tier.values()) {
      if (!tiers.containsKey(tier)) {
        throw new ConfigException("llm_models", "tier " + tier.wireName() + " has no active cloud default model"
            + " (mark one active, non-local model of leo_tier '" + tier.wireName() + "' with is_tier_default)"
            + (refused.isEmpty() ? "" : "; providers skipped for their base URL: " + refused));
      }
    }
    return new Registry("database", providers, models, tiers, localModels, clock.instant());
  }

  private ProviderConfig provider(Row row) {
    String name = row.getString("provider_key");
    String where = "llm_providers[" + name + "]";
    ProviderFamily family = ProviderFamily.parse(where + ".family", row.getString("family"));
    boolean local = row.getBoolean("is_local");
    Optional<Secret> apiKey = apiKey(row.getString("api_key_env"));
    // The row's base URL, unless the environment overrides it by the contract's convention (OPENAI_BASE_URL, …):
    // operators move a provider with SQL, a deployment pins one with an env var.
    String override = env.get(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_BASE_URL");
    URI baseUrl = override != null && !override.isBlank() ? baseUrl("env " + name.toUpperCase(java.util.Locale.ROOT)
        + "_BASE_URL", override.trim()) : baseUrl(where + ".base_url", row.getString("base_url"));
    ProviderConfig conf = confProviders.get(name);
    boolean allowPrivate = UpstreamGuard.listed(env.get(UpstreamGuard.ALLOW_PRIVATE_ENV), name)
        || (conf != null && conf.allowPrivateNetwork());
    if (conf != null && conf.family() == family && conf.local() == local) {
      return new ProviderConfig(name, family, baseUrl, apiKey, conf.timeouts(), conf.poolSize(), conf.streamUsage(),
          local, allowPrivate);
    }
    return new ProviderConfig(name, family, baseUrl, apiKey, DEFAULT_TIMEOUTS, DEFAULT_POOL_SIZE, true, local,
        allowPrivate);
  }

  /** Why the upstream guard refuses {@code provider}'s base URL, or null. */
  private static String refusal(ProviderConfig provider) {
    try {
      UpstreamGuard.checkUrl("llm_providers[" + provider.name() + "].base_url", provider.baseUrl(),
          provider.privateNetworkAllowed());
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  private Optional<Secret> apiKey(String envName) {
    // A row names the variable; it must look like a provider key's, so that a row can never make the gateway send
    // another secret (DATABASE_URL, TIERGATE_ADMIN_TOKEN, …) to a base URL the same row controls.
    if (envName != null && !KEY_VARIABLE.matcher(envName).matches()) {
      LOG.warn("registry: api_key_env '{}' is not a provider key variable (…_API_KEY, …_KEY or …_TOKEN, not "
          + "TIERGATE_…); no key is sent", envName);
      return Optional.empty();
    }
    String value = envName == null ? null : env.get(envName);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(new Secret(value.trim()));
  }

  private static ModelConfig model(Row row, Set<String> active) {
    String key = row.getString("model_key");
    String where = "llm_models[" + key + "]";
    String[] listed = row.getArrayOfStrings("fallbacks");
    // Inactive, retired or unknown fallbacks are dropped: the chain only ever names routable models.
    List<String> fallbacks = listed == null ? List.of()
        : Arrays.stream(listed).filter(f -> active.contains(f) && !f.equals(key)).distinct().toList();
    return new ModelConfig(key, row.getString("provider_key"), row.getString("upstream_model"),
        Tier.parseConfig(where + ".leo_tier", row.getString("leo_tier")), fallbacks,
        option(where, row.getJsonObject("options"), "stripThinking"),
        option(where, row.getJsonObject("options"), "prefill"), row.getDouble("price_input"),
        row.getDouble("price_output"), row.getInteger("context_length") == null ? 0 : row.getInteger("context_length"));
  }

  /** A per-model switch of the {@code options} column; absent means off. */
  private static boolean option(String where, JsonObject options, String name) {
    Object value = options == null ? null : options.getValue(name);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean flag)) {
      throw new ConfigException(where + ".options." + name, "must be true or false");
    }
    return flag;
  }

  /** A default's route is its provider's; the schema keeps the two flags equal, this guards older data. */
  private static boolean locality(Row row) {
    boolean local = row.getBoolean("provider_is_local");
    if (local != row.getBoolean("is_local")) {
      throw new ConfigException("llm_models[" + row.getString("model_key") + "].is_local",
          "must equal its provider's is_local (" + local + ")");
    }
    return local;
  }

  private static void putDefault(Map<Tier, String> defaults, ModelConfig model, boolean local) {
    String previous = defaults.putIfAbsent(model.tier(), model.key());
    if (previous != null) {
      throw new ConfigException("llm_models", "tier " + model.tier().wireName() + " has two active "
          + (local ? "local" : "cloud") + " defaults: " + previous + " and " + model.key());
    }
  }

  private static URI baseUrl(String key, String raw) {
    String trimmed = raw == null ? "" : raw.trim();
    String url = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    // A URL may carry credentials ("https://user:secret@host"): never echo them in an error.
    String shown = url.replaceAll("//[^/@]*@", "//***@");
    try {
      URI uri = new URI(url);
      if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ConfigException(key, "must be an http(s) URL with a host, got '" + shown + "'");
  }

  private record Rows(RowSet<Row> providers, RowSet<Row> models) {
  }
}
