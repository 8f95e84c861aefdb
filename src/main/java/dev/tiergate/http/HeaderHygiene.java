package dev.tiergate.http;

import dev.tiergate.config.ProviderFamily;
import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides which client headers may travel to an upstream. Only end-to-end tracing headers do, plus
 * {@code anthropic-beta} to Anthropic itself (an Anthropic client's feature flags); credentials
 * ({@code Authorization}, {@code x-api-key}, {@code api-key}, {@code x-goog-api-key}), cookies, hop-by-hop headers and
 * any header the client named in {@code Connection} never do. The upstream gets the provider's configured key only.
 */
public final class HeaderHygiene {

  /** Headers that may be forwarded, lower case. Everything else stays at the gateway. */
  private static final List<String> FORWARDABLE = List.of("traceparent", "tracestate", "baggage", "anthropic-beta");

  /** Forwardable headers that only mean something to one provider family. */
  private static final Map<String, ProviderFamily> FAMILY_SCOPED = Map.of("anthropic-beta", ProviderFamily.ANTHROPIC);

  private HeaderHygiene() {
  }

  /** The client headers to copy to the upstream request. */
  public static MultiMap forwardable(MultiMap clientHeaders) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    Set<String> connectionNamed = connectionNamed(clientHeaders);
    for (String name : FORWARDABLE) {
      if (!connectionNamed.contains(name)) {
        List<String> values = clientHeaders.getAll(name);
        if (!values.isEmpty()) {
          out.add(name, values);
        }
      }
    }
    return out;
  }

  /** The forwardable headers for one target: family-scoped headers only reach their own family. */
  public static MultiMap forFamily(MultiMap forwardable, ProviderFamily family) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap().addAll(forwardable);
    FAMILY_SCOPED.forEach((name, owner) -> {
      if (owner != family) {
        out.remove(name);
      }
    });
    return out;
  }

  private static Set<String> connectionNamed(MultiMap headers) {
    Set<String> named = new HashSet<>();
    for (String value : headers.getAll("connection")) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          named.add(name);
        }
      }
    }
    return named;
  }
}
