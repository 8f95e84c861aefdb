package dev.tiergate.http;

import dev.tiergate.routing.RouteDecision;
import dev.tiergate.routing.Target;
import dev.tiergate.security.ClientKey;
import java.util.List;

/**
 * What a client key may use: its allowed tiers and providers, applied to the planned route. A tier it may not use
 * is refused (403); targets of providers it may not use are dropped from the chain, and when none is left the
 * request is refused (403) — never silently served by a provider the key excludes.
 */
final class KeyPolicy {

  private KeyPolicy() {
  }

  static RouteDecision restrict(ClientKey key, RouteDecision decision) {
    if (key == null) {
      return decision;
    }
    if (!key.allowsTier(decision.tier())) {
      throw GatewayException.forbidden("This client key may not use the " + decision.tier().wireName() + " tier");
    }
    if (key.providers().isEmpty()) {
      return decision;
    }
    List<Target> allowed = decision.chain().stream().filter(t -> key.allowsProvider(t.provider().name())).toList();
    if (allowed.isEmpty()) {
      throw GatewayException.forbidden("This client key may not use any provider that can serve this request");
    }
    return allowed.size() == decision.chain().size() ? decision : new RouteDecision(decision.tier(), allowed,
        decision.pinned(), decision.bucket(), decision.canaryStage(), decision.reasons());
  }
}
