package dev.tiergate.http;

import dev.tiergate.config.Secret;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Checks the client key ({@code Authorization: Bearer …} or {@code x-api-key}) against {@code TIERGATE_CLIENT_KEYS},
 * in constant time. Runs before the body is read, so an unauthenticated client cannot make the gateway buffer anything.
 * With no keys configured every client is let through.
 */
final class ClientAuth implements Handler<RoutingContext> {

  private static final String KEY_ID = "tiergate.clientKeyId";

  private final List<Secret> keys;

  ClientAuth(List<Secret> keys) {
    this.keys = List.copyOf(keys);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (keys.isEmpty()) {
      ctx.next();
      return;
    }
    String presented = presentedKey(ctx);
    if (presented == null) {
      ctx.fail(GatewayException.unauthorized("Missing client key: send 'Authorization: Bearer <key>'"));
      return;
    }
    int matched = -1;
    for (int i = 0; i < keys.size(); i++) {
      // Every key is compared, so the time taken does not tell which one matched.
      if (keys.get(i).matches(presented) && matched < 0) {
        matched = i;
      }
    }
    if (matched >= 0) {
      ctx.put(KEY_ID, "key-" + (matched + 1));
      ctx.next();
    } else {
      ctx.fail(GatewayException.unauthorized("Invalid client key"));
    }
  }

  /** The id ({@code key-1}, {@code key-2}, … in configuration order) of the key the client presented; null without. */
  static String keyId(RoutingContext ctx) {
    return ctx.get(KEY_ID);
  }

  private static String presentedKey(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return ctx.request().getHeader("x-api-key");
  }
}
