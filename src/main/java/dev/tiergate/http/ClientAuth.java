package dev.tiergate.http;

import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.security.ClientKey;
import dev.tiergate.security.ClientKeys;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Client auth for every request on the public port, before routing and before the body is read: the key
 * ({@code Authorization: Bearer …} or {@code x-api-key}) is hashed and looked up among the keys in force
 * ({@link ClientKeys}). Missing, malformed and unknown keys get the same 401. Exempt are exactly the raw paths
 * {@code GET /healthz}, {@code /readyz} and {@code /api/version} — compared on the path as sent, not as normalized,
 * so {@code //healthz/../v1/chat/completions} is not exempt. With no key in force every client is let through.
 */
final class ClientAuth implements Handler<RoutingContext> {

  private static final String KEY = "tiergate.clientKey";
  private static final Set<String> OPEN = Set.of("/healthz", "/readyz", "/api/version");
  /** Longer presented values are not even hashed: no real key is this long. */
  private static final int MAX_KEY_CHARS = 1024;
  static final String REFUSAL = "Invalid or missing client key: send 'Authorization: Bearer <key>' or 'x-api-key'";

  private final SnapshotHolder snapshots;

  ClientAuth(SnapshotHolder snapshots) {
    this.snapshots = snapshots;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ClientKeys keys = snapshots.clientKeys();
    if (!keys.enabled() || ctx.request().method() == HttpMethod.GET && OPEN.contains(ctx.request().path())) {
      ctx.next();
      return;
    }
    String presented = presentedKey(ctx);
    ClientKey key = presented == null || presented.isEmpty() || presented.length() > MAX_KEY_CHARS ? null
        : keys.lookup(presented);
    if (key == null) {
      ctx.fail(GatewayException.unauthorized(REFUSAL));
      return;
    }
    ctx.put(KEY, key);
    ctx.next();
  }

  /** The key the client presented; null without client auth. */
  static ClientKey key(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** Its id ({@code key-1}, a row's {@code key_id}); null without client auth. */
  static String keyId(RoutingContext ctx) {
    ClientKey key = key(ctx);
    return key == null ? null : key.id();
  }

  private static String presentedKey(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return ctx.request().getHeader("x-api-key");
  }
}
