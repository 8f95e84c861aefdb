package dev.tiergate.http;

import dev.tiergate.config.ListenerLimits;
import dev.tiergate.security.LoadShedder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Guards the public listener's connections: past the connection ceiling a new connection is closed at once, and a
 * connection must send a whole request head within {@code headTimeoutMs} of opening (slowloris) and within
 * {@code keepAliveTimeoutMs} of its last response ending. One timer per connection, armed only while no request is
 * in progress on it. Used on its verticle's event loop only (a connection stays on the loop that accepted it).
 */
final class ConnectionGuard {

  /** A connection's requests in progress and its head timer. */
  private static final class State {
    int active;
    long timer = -1;
  }

  private final Vertx vertx;
  private final ListenerLimits limits;
  private final LoadShedder shedder;
  private final Map<HttpConnection, State> states = new HashMap<>();

  ConnectionGuard(Vertx vertx, ListenerLimits limits, LoadShedder shedder) {
    this.vertx = vertx;
    this.limits = limits;
    this.shedder = shedder;
  }

  void opened(HttpConnection connection) {
    if (!shedder.connected()) {
      connection.close();
      return;
    }
    State state = new State();
    states.put(connection, state);
    connection.closeHandler(v -> {
      shedder.disconnected();
      State gone = states.remove(connection);
      if (gone != null) {
        cancel(gone);
      }
    });
    arm(connection, state, limits.headTimeoutMs());
  }

  /** A request head arrived: no deadline while it is served; the keep-alive deadline once it is answered. */
  void requestStarted(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    State state = states.get(connection);
    if (state == null) {
      return;
    }
    state.active++;
    cancel(state);
    // Only the end: a closed response means a closed connection, whose state is dropped by its close handler.
    // (The response's close handler belongs to the call, which cancels its upstream there.)
    request.response().endHandler(v -> finished(connection, state));
  }

  private void finished(HttpConnection connection, State state) {
    if (state.active > 0 && --state.active == 0 && states.get(connection) == state) {
      arm(connection, state, limits.keepAliveTimeoutMs());
    }
  }

  private void arm(HttpConnection connection, State state, long ms) {
    cancel(state);
    state.timer = vertx.setTimer(ms, id -> {
      state.timer = -1;
      if (state.active == 0) {
        connection.close();
      }
    });
  }

  private void cancel(State state) {
    if (state.timer >= 0) {
      vertx.cancelTimer(state.timer);
      state.timer = -1;
    }
  }
}
