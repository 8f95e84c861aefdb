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
    boolean valid = false;
    for (Secret key : keys) {
      valid |= key.matches(presented);
    }
    if (valid) {
      ctx.next();
    } else {
      ctx.fail(GatewayException.unauthorized("Invalid client key"));
    }
  }

  private static String presentedKey(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return ctx.request().getHeader("x-api-key");
  }
}
