package dev.tiergate.registry;

import dev.tiergate.routing.Tier;
import dev.tiergate.security.ClientKey;
import dev.tiergate.security.KeyLimits;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the active client keys of {@code tiergate_client_keys} (their SHA-256 hashes, restrictions and limits). The
 * whole table is read — no client input is ever part of the query — and the gateway looks keys up in memory. A row
 * that does not make sense (an unknown tier) is skipped with a warning rather than failing every key.
 */
public final class PgClientKeyStore {

  private static final Logger LOG = LoggerFactory.getLogger(PgClientKeyStore.class);
  private static final long LOAD_TIMEOUT_MS = 5_000;
  private static final String ACTIVE = """
      SELECT key_id, name, key_sha256, allowed_tiers, allowed_providers, requests_per_minute, tokens_per_minute,
             max_concurrent_streams
        FROM tiergate_client_keys
       WHERE status = 'active'
       ORDER BY key_id""";

  private final Pool pool;

  public PgClientKeyStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<ClientKey>> load() {
    return pool.preparedQuery(ACTIVE).execute()
        .timeout(LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(rows -> {
          List<ClientKey> keys = new ArrayList<>();
          for (Row row : rows) {
            try {
              keys.add(key(row));
            } catch (RuntimeException e) {
              LOG.warn("client key '{}' skipped: {}", row.getString("key_id"), e.getMessage());
            }
          }
          return keys;
        });
  }

  private static ClientKey key(Row row) {
    String id = row.getString("key_id");
    Set<Tier> tiers = Arrays.stream(strings(row, "allowed_tiers"))
        .map(name -> Tier.parseConfig("tiergate_client_keys[" + id + "].allowed_tiers", name))
        .collect(Collectors.toUnmodifiableSet());
    return new ClientKey(id, row.getString("name"), HexFormat.of().parseHex(row.getString("key_sha256")), tiers,
        Set.of(strings(row, "allowed_providers")), new KeyLimits(row.getInteger("requests_per_minute"),
        row.getLong("tokens_per_minute"), row.getInteger("max_concurrent_streams")));
  }

  private static String[] strings(Row row, String column) {
    String[] values = row.getArrayOfStrings(column);
    return values == null ? new String[0] : values;
  }
}
