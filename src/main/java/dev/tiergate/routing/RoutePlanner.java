package dev.tiergate.routing;

import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.RoutingConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.Conversation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The routing policy as a function: hints + snapshot in, {@link RouteDecision} (with the reason for each step) out.
 * No I/O; the only state it touches is the {@link Balancer}'s round-robin turn. Order of the rules:
 * <ol>
 *   <li>tier: a pinned registry model, a {@code tier:}/{@code purpose:} alias, {@code X-Tiergate-Tier}, the purpose,
 *       sub-agent × phase, the prompt classifier, else the default tier;</li>
 *   <li>constraints: airgap and privacy allow only local providers; opus, security and critical are never local;</li>
 *   <li>local or cloud: a local-eligible tier goes local when {@code USE_LOCAL_LLM} is on, the request allows it and
 *       (with the canary enabled) its bucket is below the stage;</li>
 *   <li>chain: the chosen target, then fallbacks the constraints allow.</li>
 * </ol>
 * A pin that the constraints forbid is refused (403), never silently rerouted; a request no allowed target can serve
 * is refused with 503.
 */
public final class RoutePlanner {

  private static final String TIER_PREFIX = "tier:";
  private static final String PURPOSE_PREFIX = "purpose:";
  private static final Set<String> NEVER_LOCAL_PURPOSES = Set.of("security", "critical");

  private RoutePlanner() {
  }

  /** Plans a request with priority balancing (tests and explanations that need no balancer state). */
  public static RouteDecision plan(RouteHints hints, RoutingSnapshot snapshot) {
    return plan(hints, snapshot, new Balancer(new LatencyBoard()), true);
  }

  /**
   * Plans a request.
   *
   * @param advance whether to take a round-robin turn (false when only explaining)
   * @throws GatewayException 404 for an unknown model or provider, 403 for a pin the policy forbids, 503 when no
   *                          allowed target can serve
   */
  public static RouteDecision plan(RouteHints hints, RoutingSnapshot snapshot, Balancer balancer, boolean advance) {
    List<String> reasons = new ArrayList<>();
    String model = hints.model() == null || hints.model().isBlank() ? "auto" : hints.model().trim();
    ModelConfig pinned = snapshot.models().get(model);
    String purpose = purposeOf(model, hints);
    Tier tier = tier(model, pinned, purpose, hints, snapshot, reasons);
    RoutingConfig policy = snapshot.routing();
    boolean neverLocal = tier == Tier.OPUS || (purpose != null && NEVER_LOCAL_PURPOSES.contains(purpose));
    String localOnly = localOnlyReason(policy, hints, snapshot, reasons);
    ProviderConfig pinnedProvider = pinnedProvider(hints, snapshot, pinned);
    Constraints constraints = new Constraints(localOnly, neverLocal, policy.modelFallbacks());
    if (pinned != null || pinnedProvider != null) {
      ModelConfig target = pinned != null ? pinned : modelOf(pinnedProvider, tier, snapshot);
      reasons.add(pinned != null ? "pinned model '" + pinned.key() + "'"
          : "X-Tiergate-Provider '" + pinnedProvider.name() + "' → model '" + target.key() + "'");
      constraints.check(target, snapshot);
      return decision(tier, constraints.chain(List.of(target.key()), snapshot), true, -1, -1, reasons, snapshot);
    }
    String localModel = policy.localModels().get(tier);
    if (localOnly != null) {
      if (neverLocal) {
        throw GatewayException.unavailable("no_target_allowed", null, localOnly + ", and " + tier.wireName()
            + (purpose != null && NEVER_LOCAL_PURPOSES.contains(purpose) ? " / " + purpose : "")
            + " requests are never served by a local model: no target may serve this request");
      }
      String local = localModel != null ? localModel : anyLocalModel(policy, snapshot);
      if (local == null) {
        throw GatewayException.unavailable("no_local_target", null, localOnly + ", but no local model is configured");
      }
      reasons.add("local model '" + local + "'" + (local.equals(localModel) ? "" : " (the tier has none of its own)"));
      return decision(tier, constraints.chain(List.of(local), snapshot), false, -1, -1, reasons, snapshot);
    }
    int bucket = -1;
    int stage = -1;
    boolean local = false;
    if (!policy.useLocal()) {
      reasons.add("cloud: USE_LOCAL_LLM is off");
    } else if (neverLocal) {
      reasons.add("cloud: " + tier.wireName() + (purpose != null ? " / " + purpose : "") + " is never local");
    } else if (!policy.localEligible().contains(tier) || localModel == null) {
      reasons.add("cloud: tier " + tier.wireName() + " is not local-eligible");
    } else if (Boolean.FALSE.equals(hints.allowLocal())) {
      reasons.add("cloud: X-Tiergate-Allow-Local is false");
    } else if (policy.canary().enabled()) {
      // Sub-agent names are case-insensitive everywhere else, so the bucket hashes them upper-cased.
      bucket = BucketHash.bucket(hints.session(),
          hints.subAgent() == null ? null : hints.subAgent().toUpperCase(Locale.ROOT));
      stage = policy.canary().stage();
      local = bucket < stage;
      reasons.add((local ? "local" : "cloud") + ": canary bucket " + bucket + (local ? " < " : " ≥ ") + "stage "
          + stage);
    } else {
      local = true;
      reasons.add("local: USE_LOCAL_LLM is on and tier " + tier.wireName() + " is local-eligible");
    }
    List<String> keys = new ArrayList<>();
    if (local) {
      keys.add(localModel);
      if (policy.localFallback()) {
        keys.addAll(cloudModels(tier, snapshot, balancer, advance));
      } else {
        constraints = new Constraints("OLLAMA_FALLBACK_ENABLED is off", false, policy.modelFallbacks());
      }
    } else {
      keys.addAll(cloudModels(tier, snapshot, balancer, advance));
    }
    return decision(tier, constraints.chain(keys, snapshot), false, bucket, stage, reasons, snapshot);
  }

  private static Tier tier(String model, ModelConfig pinned, String purpose, RouteHints hints,
                           RoutingSnapshot snapshot, List<String> reasons) {
    if (pinned != null) {
      reasons.add("tier " + pinned.tier().wireName() + ": model '" + pinned.key() + "'");
      return pinned.tier();
    }
    if (model.regionMatches(true, 0, TIER_PREFIX, 0, TIER_PREFIX.length())) {
      Tier tier = Tier.fromWire(model.substring(TIER_PREFIX.length())).orElseThrow(() -> unknownModel(model));
      reasons.add("tier " + tier.wireName() + ": alias '" + model + "'");
      return tier;
    }
    if (model.regionMatches(true, 0, PURPOSE_PREFIX, 0, PURPOSE_PREFIX.length())) {
      Tier tier = Purposes.tierOf(purpose).orElseThrow(() -> unknownModel(model));
      reasons.add("tier " + tier.wireName() + ": alias '" + model + "'");
      return tier;
    }
    if (!model.equalsIgnoreCase("auto")) {
      throw unknownModel(model);
    }
    Optional<Tier> header = Tier.fromWire(hints.tier());
    if (header.isPresent()) {
      reasons.add("tier " + header.get().wireName() + ": X-Tiergate-Tier");
      return header.get();
    }
    Optional<Tier> byPurpose = Purposes.tierOf(purpose);
    if (byPurpose.isPresent()) {
      reasons.add("tier " + byPurpose.get().wireName() + ": purpose '" + purpose + "'");
      return byPurpose.get();
    }
    if (hints.subAgent() != null) {
      Optional<Tier> byPhase = snapshot.phases().tierOf(hints.subAgent(), hints.phase());
      if (byPhase.isPresent()) {
        reasons.add("tier " + byPhase.get().wireName() + ": sub-agent " + hints.subAgent()
            + (hints.phase() == null ? "" : " in " + hints.phase()));
        return byPhase.get();
      }
    }
    if (snapshot.routing().classify()) {
      Conversation conversation = hints.conversation().get();
      if (conversation != null) {
        PromptClassifier.Classification guess = PromptClassifier.classify(
            PromptClassifier.PromptFeatures.of(conversation));
        if (guess.tier() != null) {
          reasons.add("tier " + guess.tier().wireName() + ": prompt " + guess.rule());
          return guess.tier();
        }
      }
    }
    reasons.add("tier " + snapshot.defaultTier().wireName() + ": default tier");
    return snapshot.defaultTier();
  }

  /** The purpose, lower case: from a {@code purpose:} alias, else from the hints; null when none. */
  private static String purposeOf(String model, RouteHints hints) {
    String purpose = model.regionMatches(true, 0, PURPOSE_PREFIX, 0, PURPOSE_PREFIX.length())
        ? model.substring(PURPOSE_PREFIX.length()) : hints.purpose();
    return purpose == null || purpose.isBlank() ? null : purpose.trim().toLowerCase(Locale.ROOT);
  }

  /** Why only local providers may serve this request (airgap, a private prompt), or null when cloud is allowed. */
  private static String localOnlyReason(RoutingConfig policy, RouteHints hints, RoutingSnapshot snapshot,
                                        List<String> reasons) {
    if (policy.airgap()) {
      reasons.add("local only: LLM_AIRGAP_MODE");
      return "airgap mode allows local providers only";
    }
    if (snapshot.privacy().enabled()) {
      Conversation conversation = hints.conversation().get();
      Optional<String> match = conversation == null ? Optional.empty() : snapshot.privacy().match(conversation);
      if (match.isPresent()) {
        reasons.add("local only: the prompt matches privacy pattern '" + match.get() + "'");
        return "the prompt matches privacy pattern '" + match.get() + "', which only local providers may serve";
      }
    }
    return null;
  }

  private static ProviderConfig pinnedProvider(RouteHints hints, RoutingSnapshot snapshot, ModelConfig pinned) {
    if (hints.provider() == null || hints.provider().isBlank()) {
      return null;
    }
    String name = hints.provider().trim().toLowerCase(Locale.ROOT);
    ProviderConfig provider = snapshot.providers().get(name);
    if (provider == null) {
      throw GatewayException.notFound("provider_not_found", "X-Tiergate-Provider names no configured provider: '"
          + clip(hints.provider()) + "'");
    }
    if (pinned != null && !pinned.provider().equals(name)) {
      throw GatewayException.badRequest("conflicting_pins", "Model '" + pinned.key() + "' is served by '"
          + pinned.provider() + "', not by X-Tiergate-Provider '" + name + "'");
    }
    return provider;
  }

  /** The provider's model for {@code tier}: the tier's own model when the provider serves it, else its first. */
  private static ModelConfig modelOf(ProviderConfig provider, Tier tier, RoutingSnapshot snapshot) {
    String tierModel = snapshot.tiers().get(tier);
    if (snapshot.models().get(tierModel).provider().equals(provider.name())) {
      return snapshot.models().get(tierModel);
    }
    String local = snapshot.routing().localModels().get(tier);
    if (local != null && snapshot.models().get(local).provider().equals(provider.name())) {
      return snapshot.models().get(local);
    }
    return new TreeMap<>(snapshot.models()).values().stream()
        .filter(m -> m.provider().equals(provider.name()) && m.tier() == tier).findFirst()
        .orElseThrow(() -> GatewayException.badRequest("no_model_for_tier", "Provider '" + provider.name()
            + "' serves no " + tier.wireName() + " model"));
  }

  private static String anyLocalModel(RoutingConfig policy, RoutingSnapshot snapshot) {
    for (Tier tier : Tier.values()) {
      if (policy.localModels().containsKey(tier)) {
        return policy.localModels().get(tier);
      }
    }
    return new TreeMap<>(snapshot.models()).keySet().stream().filter(snapshot::isLocal).findFirst().orElse(null);
  }

  private static List<String> cloudModels(Tier tier, RoutingSnapshot snapshot, Balancer balancer, boolean advance) {
    RoutingConfig.TierPool pool = snapshot.routing().pools().get(tier);
    if (pool == null) {
      return List.of(snapshot.tiers().get(tier));
    }
    return balancer.order(tier, pool, snapshot.routing().preferredProvider(), snapshot.models(), advance);
  }

  private static RouteDecision decision(Tier tier, List<Target> chain, boolean pinned, int bucket, int stage,
                                        List<String> reasons, RoutingSnapshot snapshot) {
    if (chain.isEmpty()) {
      throw GatewayException.unavailable("no_target_allowed", null, "No target allowed by the routing policy");
    }
    if (chain.size() > 1) {
      reasons.add("fallbacks: " + String.join(", ", chain.subList(1, chain.size()).stream()
          .map(t -> t.model().key()).toList()));
    }
    return new RouteDecision(tier, chain, pinned, bucket, stage, reasons);
  }

  /** What the policy allows along the chain. */
  private record Constraints(String localOnly, boolean neverLocal, boolean followFallbacks) {

    /** Refuses a pinned target the policy forbids. */
    void check(ModelConfig model, RoutingSnapshot snapshot) {
      boolean local = snapshot.isLocal(model.key());
      if (!local && localOnly != null) {
        throw GatewayException.policyRefused("Model '" + model.key() + "' is served by a cloud provider, but "
            + localOnly);
      }
      if (local && neverLocal) {
        throw GatewayException.policyRefused("Model '" + model.key() + "' is local, but opus, security and "
            + "critical requests are never served by a local model");
      }
    }

    /** The given models plus each one's fallbacks, minus whatever the policy forbids, in order, once each. */
    List<Target> chain(List<String> primaries, RoutingSnapshot snapshot) {
      Set<String> keys = new LinkedHashSet<>();
      for (String key : primaries) {
        keys.add(key);
        if (followFallbacks) {
          keys.addAll(snapshot.models().get(key).fallbacks());
        }
      }
      List<Target> chain = new ArrayList<>();
      for (String key : keys) {
        boolean local = snapshot.isLocal(key);
        if ((local || localOnly == null) && !(local && neverLocal)) {
          chain.add(snapshot.target(key));
        }
      }
      return chain;
    }
  }

  private static GatewayException unknownModel(String model) {
    return GatewayException.notFound("model_not_found",
        "The model '" + clip(model) + "' does not exist or is not routable here; see GET /v1/models");
  }

  private static String clip(String value) {
    return value.length() > 200 ? value.substring(0, 200) + "…" : value;
  }
}
