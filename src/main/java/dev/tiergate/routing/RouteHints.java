package dev.tiergate.routing;

import dev.tiergate.wire.Conversation;
import java.util.function.Supplier;

/**
 * What a request says about where it should go (headers first, then the body's {@code metadata.tiergate_*}); every
 * field may be null.
 *
 * @param model        the request's {@code model} field
 * @param tier         {@code X-Tiergate-Tier}
 * @param purpose      {@code X-Tiergate-Purpose}
 * @param subAgent     {@code X-Tiergate-Sub-Agent}
 * @param phase        {@code X-Tiergate-Phase}
 * @param session      the canary session key: {@code X-Tiergate-Session}, else the request's user, else the client
 *                     key's id
 * @param allowLocal   {@code X-Tiergate-Allow-Local}; null = not said
 * @param provider     {@code X-Tiergate-Provider}
 * @param conversation the prompt, read only when a rule needs it (privacy patterns, classification)
 */
public record RouteHints(String model, String tier, String purpose, String subAgent, String phase, String session,
                         Boolean allowLocal, String provider, Supplier<Conversation> conversation) {

  /** Hints with only a model, tier and purpose (tests, the simplest callers). */
  public static RouteHints of(String model, String tier, String purpose) {
    return new RouteHints(model, tier, purpose, null, null, null, null, null, () -> null);
  }
}
