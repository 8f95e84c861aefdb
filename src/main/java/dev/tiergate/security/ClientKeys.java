package dev.tiergate.security;

import dev.tiergate.config.Secret;
import dev.tiergate.routing.Tier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client keys in force, by their SHA-256: {@code TIERGATE_CLIENT_KEYS} (ids {@code key-1}, {@code key-2}, … in
 * order, no restrictions beyond the configured defaults) plus the active rows of {@code tiergate_client_keys}. A
 * presented key is hashed and looked up by its hash; the stored hash is then compared with
 * {@link MessageDigest#isEqual} (constant time). The key itself is never kept. Immutable.
 */
public final class ClientKeys {

  public static final ClientKeys NONE = new ClientKeys(List.of(), false);

  private final Map<String, ClientKey> byHash;
  private final boolean required;

  /**
   * @param required auth is on even with no key (fail closed while keys that live in the database are not loaded)
   */
  public ClientKeys(Collection<ClientKey> keys, boolean required) {
    this.required = required;
    Map<String, ClientKey> map = new HashMap<>();
    for (ClientKey key : keys) {
      map.putIfAbsent(HexFormat.of().formatHex(key.sha256()), key);
    }
    this.byHash = Map.copyOf(map);
  }

  /** The keys of {@code TIERGATE_CLIENT_KEYS}, each with {@code defaults}. */
  public static List<ClientKey> fromEnvironment(List<Secret> keys, KeyLimits defaults) {
    List<ClientKey> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String id = "key-" + (i + 1);
      out.add(new ClientKey(id, id, sha256(keys.get(i).value()), Set.<Tier>of(), Set.of(), defaults));
    }
    return out;
  }

  /** Whether client auth is on: a key is configured, or auth is required. */
  public boolean enabled() {
    return required || !byHash.isEmpty();
  }

  public int size() {
    return byHash.size();
  }

  /** The key presented, or null when it is unknown. */
  public ClientKey lookup(String presented) {
    byte[] hash = sha256(presented);
    ClientKey key = byHash.get(HexFormat.of().formatHex(hash));
    return key != null && MessageDigest.isEqual(key.sha256(), hash) ? key : null;
  }

  public static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
