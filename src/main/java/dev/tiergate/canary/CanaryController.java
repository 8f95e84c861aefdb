package dev.tiergate.canary;

import dev.tiergate.bus.Addresses;
import dev.tiergate.config.RoutingConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the canary state, inside {@code RouterVerticle}: takes commands from
 * {@link Addresses#CANARY_COMMANDS}, asks the metrics verticle for the gates before an advance, persists each change
 * with optimistic versioning and its audit row, publishes it on {@link Addresses#CANARY_EVENTS}, and hands the new
 * state to the router (which applies it to the routing snapshot at once). Used on the router's event loop only.
 */
public final class CanaryController {

  private static final Logger LOG = LoggerFactory.getLogger(CanaryController.class);

  private final Vertx vertx;
  private final CanaryStore store;
  private final RoutingConfig.CanaryConfig config;
  private final Consumer<CanaryState> onChange;
  private final Clock clock;
  private CanaryState state = CanaryState.INITIAL;

  public CanaryController(Vertx vertx, CanaryStore store, RoutingConfig.CanaryConfig config,
                          Consumer<CanaryState> onChange, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.config = config;
    this.onChange = onChange;
    this.clock = clock;
  }

  public CanaryState state() {
    return state;
  }

  /** Loads the stored state (a rollback survives a restart); registers the command consumer. */
  public Future<CanaryState> start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.CANARY_COMMANDS, this::onCommand);
    return store.load().recover(e -> {
      LOG.warn("canary: state store unavailable ({}); starting from stage {} in memory", e.getMessage(),
          CanaryState.INITIAL.stage());
      return Future.succeededFuture(CanaryState.INITIAL);
    }).onSuccess(loaded -> {
      state = loaded;
      onChange.accept(loaded);
    });
  }

  public Future<Void> close() {
    return store.close();
  }

  private void onCommand(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    String name = body.getString("action", "");
    if (name.equals("history")) {
      store.history(body.getInteger("limit", 50))
          .onSuccess(list -> message.reply(new JsonObject().put("history",
              new JsonArray(list.stream().map(CanaryTransition::toJson).toList()))))
          .onFailure(e -> message.fail(503, "canary history unavailable: " + e.getMessage()));
      return;
    }
    CanaryCommands.Action action;
    try {
      action = CanaryCommands.Action.parse(name);
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
      return;
    }
    // The gates decide an advance, and every change records the figures of the moment in its audit row.
    Future<GateReport> gates = vertx.eventBus().<GateReport>request(Addresses.CANARY_QUALITY, new JsonObject(),
        new DeliveryOptions().setSendTimeout(3_000)).map(Message::body).recover(e -> Future.succeededFuture(null));
    gates.onComplete(ar -> decide(message, action, body, ar.result()));
  }

  private void decide(Message<JsonObject> message, CanaryCommands.Action action, JsonObject body, GateReport gates) {
    CanaryState current = state;
    String actor = body.getString("actor", "admin");
    CanaryCommands.Result result = CanaryCommands.apply(current, action, body.getInteger("stage"), gates,
        config.stages(), actor, clock.instant());
    if (!result.accepted()) {
      message.fail(409, result.refusal());
      return;
    }
    CanaryState next = result.next();
    CanaryTransition transition = new CanaryTransition(0, next.updatedAt(), current.stage(), next.stage(),
        current.status(), next.status(), action.wireName(), actor, body.getString("reason", ""),
        gates == null ? new JsonObject() : gates.toJson());
    store.apply(current, next, transition).onSuccess(stored -> {
      state = stored;
      onChange.accept(stored);
      vertx.eventBus().publish(Addresses.CANARY_EVENTS, transition.toJson().put("version", stored.version()));
      LOG.info("canary: {} by {}: stage {} {} -> {} {} ({})", action.wireName(), actor, current.stage(),
          current.status().wireName(), stored.stage(), stored.status().wireName(), transition.reason());
      message.reply(stored.toJson());
    }).onFailure(e -> {
      if (e instanceof CanaryConflictException conflict) {
        state = conflict.current();
        onChange.accept(state);
        message.fail(409, "the canary changed meanwhile; now stage " + state.stage() + " " + state.status().wireName());
      } else {
        message.fail(503, "the canary state cannot be stored: " + e.getMessage());
      }
    });
  }
}
