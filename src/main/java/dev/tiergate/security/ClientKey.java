package dev.tiergate.security;

import dev.tiergate.routing.Tier;
import java.util.Set;

/**
 * A client key as the gateway keeps it: never the key itself, only its SHA-256.
 *
 * @param id        stable id for logs, usage rows and metrics ({@code key-1} for the n-th key of
 *                  {@code TIERGATE_CLIENT_KEYS}, the row's {@code key_id} from {@code tiergate_client_keys})
 * @param name      a human name (the owner, the service)
 * @param sha256    SHA-256 of the key's UTF-8 bytes
 * @param tiers     tiers it may use; empty = all
 * @param providers providers it may be served by; empty = all
 * @param limits    its rate and concurrency limits
 */
public record ClientKey(String id, String name, byte[] sha256, Set<Tier> tiers, Set<String> providers,
                        KeyLimits limits) {

  public ClientKey {
    sha256 = sha256.clone();
    tiers = Set.copyOf(tiers);
    providers = Set.copyOf(providers);
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 has 32 bytes");
    }
  }

  public boolean allowsTier(Tier tier) {
    return tiers.isEmpty() || tiers.contains(tier);
  }

  public boolean allowsProvider(String provider) {
    return providers.isEmpty() || providers.contains(provider);
  }

  /** Never shows the hash (it identifies the key). */
  @Override
  public String toString() {
    return "ClientKey[" + id + "]";
  }
}
