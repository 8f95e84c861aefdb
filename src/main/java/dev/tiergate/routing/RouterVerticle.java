package dev.tiergate.routing;

import dev.tiergate.bus.Addresses;
import dev.tiergate.canary.CanaryController;
import dev.tiergate.canary.CanaryState;
import dev.tiergate.canary.CanaryStatus;
import dev.tiergate.canary.CanaryStore;
import dev.tiergate.canary.MemoryCanaryStore;
import dev.tiergate.canary.PgCanaryStore;
import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.config.GatewayConfig;
import dev.tiergate.registry.ConfRegistryStore;
import dev.tiergate.registry.PgClientKeyStore;
import dev.tiergate.registry.Migrations;
import dev.tiergate.registry.PgRegistryStore;
import dev.tiergate.registry.Registry;
import dev.tiergate.registry.RegistryStore;
import dev.tiergate.security.ClientKey;
import dev.tiergate.security.ClientKeys;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single writer of the routing state: builds each {@link RoutingSnapshot} and publishes it through the shared
 * {@link SnapshotHolder}. The registry comes from {@code conf/} (the embedded default) or, with {@code DATABASE_URL},
 * from PostgreSQL: migrated at start-up (off the event loop), read again every {@code registry.cacheMs}, within about
 * a second of a change ({@code LISTEN tiergate_registry}, fed by triggers), and on {@link Addresses#REGISTRY_REFRESH}.
 * Database trouble never fails a completion: until a first good read the conf registry serves, afterwards the last
 * good snapshot does, and the pool and the listener reconnect by themselves. It also owns the canary state (through
 * its {@link CanaryController}): each change is applied to the snapshot at once.
 */
public final class RouterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RouterVerticle.class);
  private static final long NOTIFY_DEBOUNCE_MS = 150;
  private static final long RETRY_MS = 3_000;

  private final GatewayConfig config;
  private final SnapshotHolder holder;
  private final Map<String, String> env;
  private PhaseRouting phases = PhaseRouting.EMPTY;
  private PrivacyGuard privacy;
  private RegistryStore store;
  private PgSubscriber subscriber;
  private boolean migrated;
  private long version;
  private long debounce = -1;
  private long cacheTimer = -1;
  private long retryTimer = -1;
  private boolean stopped;
  private Registry registry;
  private CanaryController canary;
  private PgClientKeyStore keyStore;
  private List<ClientKey> envKeys = List.of();

  /**
   * @param env where provider keys named by database rows are read (the database never holds a key)
   */
  public RouterVerticle(GatewayConfig config, SnapshotHolder holder, Map<String, String> env) {
    this.config = config;
    this.holder = holder;
    this.env = env;
  }

  @Override
  public Future<?> start() {
    privacy = PrivacyGuard.of(config.routing().privacyPatterns());
    envKeys = ClientKeys.fromEnvironment(config.clientKeys(), config.clientKeyPolicy().defaults());
    holder.clientKeys(new ClientKeys(envKeys, config.clientKeyPolicy().required()));
    String file = config.routing().phaseRoutingFile();
    return vertx.executeBlocking(() -> file == null ? PhaseRouting.EMPTY : PhaseRouting.load(Path.of(file)))
        .compose(loaded -> {
          phases = loaded;
          publish(new ConfRegistryStore(config).registry());
          vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_REFRESH, this::onRefresh);
          config.database().ifPresent(this::useDatabase);
          CanaryStore canaryStore = config.database().<CanaryStore>map(db -> new PgCanaryStore(vertx, db))
              .orElseGet(() -> new MemoryCanaryStore(initialCanary(), Clock.systemUTC()));
          canary = new CanaryController(vertx, canaryStore, config.routing().canary(), this::onCanary,
              Clock.systemUTC());
          return canary.start();
        });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    Future<Void> listener = subscriber == null ? Future.succeededFuture() : subscriber.close();
    return listener.compose(v -> store == null ? Future.succeededFuture() : store.close())
        .compose(v -> canary == null ? Future.succeededFuture() : canary.close());
  }

  /** Without a database the canary starts at the configured stage, in memory. */
  private CanaryState initialCanary() {
    return new CanaryState(config.routing().canary().stage(), CanaryStatus.ACTIVE, 1,
        CanaryState.INITIAL.thresholds(), java.time.Instant.now(), "config");
  }

  /** A canary change applies to routing at once: a new snapshot with the new stage (0 when rolled back). */
  private void onCanary(CanaryState state) {
    holder.canary(state);
    publish(registry);
  }

  private void useDatabase(DatabaseConfig db) {
    holder.registry(new SnapshotHolder.RegistryHealth(true, false, "not read yet"));
    PgRegistryStore pg = new PgRegistryStore(vertx, db, env, config.providers());
    store = pg;
    keyStore = new PgClientKeyStore(pg.pool());
    refresh().onFailure(e -> { });
    cacheTimer = vertx.setPeriodic(config.registryCacheMs(), id -> refresh().onFailure(e -> { }));
    listen(db);
  }

  /** Migrates (once), reads the registry and publishes it; on failure the current snapshot keeps serving. */
  private Future<Registry> refresh() {
    Future<Void> schema = migrated ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          Migrations.migrate(config.database().orElseThrow());
          return null;
        });
    return schema.compose(v -> {
      migrated = true;
      return store.load();
    }).compose(registry -> keyStore.load().map(keys -> {
      // Keys of TIERGATE_CLIENT_KEYS first: a row cannot take over an environment key's id.
      List<ClientKey> all = new ArrayList<>(envKeys);
      all.addAll(keys);
      holder.clientKeys(new ClientKeys(all, config.clientKeyPolicy().required()));
      return registry;
    })).onSuccess(registry -> {
      publish(registry);
      holder.registry(new SnapshotHolder.RegistryHealth(true, true, null));
    }).onFailure(e -> {
      // While the database is away, try again every few seconds (not every cacheMs): it should serve again soon
      // after it returns, notified or not.
      if (retryTimer < 0) {
        retryTimer = vertx.setTimer(RETRY_MS, id -> {
          retryTimer = -1;
          if (!stopped) {
            refresh();
          }
        });
      }
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      LOG.warn("registry: database unavailable, serving the {} registry loaded at {}: {}",
          holder.current().source(), holder.current().loadedAt(), why);
      holder.registry(new SnapshotHolder.RegistryHealth(true, false, why));
    });
  }

  private void listen(DatabaseConfig db) {
    PgConnectOptions options = PgRegistryStore.connectOptions(db);
    subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
    subscriber.channel("tiergate_registry")
        .handler(payload -> onNotified())
        // (Re)subscribed: changes made while the listener was away were not notified, so read once now.
        .subscribeHandler(v -> onNotified());
    connectListener();
    subscriber.closeHandler(v -> LOG.info("registry: change listener closed"));
  }

  /** The subscriber reconnects by itself once it was connected; the first connection is retried here. */
  private void connectListener() {
    subscriber.connect().onFailure(e -> {
      LOG.warn("registry: cannot listen for changes yet ({}); retrying", e.getMessage());
      vertx.setTimer(RETRY_MS, id -> {
        if (!stopped) {
          connectListener();
        }
      });
    });
  }

  /** Several statements in a row notify several times: read once they settle. */
  private void onNotified() {
    if (debounce >= 0) {
      vertx.cancelTimer(debounce);
    }
    debounce = vertx.setTimer(NOTIFY_DEBOUNCE_MS, id -> {
      debounce = -1;
      refresh().onFailure(e -> { });
    });
  }

  private void onRefresh(Message<JsonObject> message) {
    if (store == null) {
      publish(new ConfRegistryStore(config).registry());
      message.reply(status());
      return;
    }
    refresh().onSuccess(r -> message.reply(status()))
        .onFailure(e -> message.fail(503, "The registry database cannot be read: " + e.getMessage()));
  }

  private JsonObject status() {
    RoutingSnapshot snapshot = holder.current();
    return new JsonObject().put("source", snapshot.source()).put("version", snapshot.version())
        .put("models", snapshot.models().size()).put("loadedAt", snapshot.loadedAt().toString());
  }

  private void publish(Registry loaded) {
    registry = loaded;
    CanaryState state = holder.canary();
    int stage = state.status() == CanaryStatus.ROLLED_BACK ? 0 : state.stage();
    version++;
    holder.publish(RoutingSnapshot.of(version, config, loaded, phases, privacy, stage));
  }
}
