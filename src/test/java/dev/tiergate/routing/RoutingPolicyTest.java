package dev.tiergate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigLoader;
import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.Turn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The routing policy, rule by rule: tier precedence, local eligibility, the canary, privacy, airgap, pins and their
 * refusals, fallbacks and balancing. Cloud provider {@code c} serves {@code c-haiku}, {@code c-sonnet},
 * {@code c-opus}; local provider {@code l} serves {@code l-haiku} (falling back to {@code c-haiku}) and
 * {@code l-sonnet}.
 */
class RoutingPolicyTest {

  private static final String SSN_PROMPT = "Summarise the file of the person with SSN 123-45-6789";

  @ParameterizedTest(name = "model={0} tier={1} purpose={2} subAgent={3} phase={4} -> {5}")
  @CsvSource(nullValues = "-", value = {
      "tier:opus, haiku, fast, GITHUB, EXEC, OPUS",        // an alias beats every hint
      "purpose:triage, opus, -, -, -, HAIKU",
      "auto, opus, fast, GITHUB, EXEC, OPUS",              // the tier header beats purpose and sub-agent
      "auto, -, security, GITHUB, EXEC, OPUS",             // purpose beats sub-agent
      "auto, -, -, GITHUB, EXEC, HAIKU",                   // sub-agent x phase
      "auto, -, -, github, plan, SONNET",                  // names are case-insensitive
      "auto, -, -, SECURITY, -, OPUS",                     // "*" phase
      "auto, -, unknown-purpose, -, -, SONNET",            // an unknown purpose is no hint
      "-, -, -, -, -, SONNET"})                            // default tier
  void tierPrecedence(String model, String tier, String purpose, String subAgent, String phase, Tier expected) {
    RouteHints hints = new RouteHints(model, tier, purpose, subAgent, phase, null, null, null, () -> null);
    RouteDecision decision = RoutePlanner.plan(hints, snapshot(new JsonObject()));
    assertEquals(expected, decision.tier());
    assertFalse(decision.reasons().isEmpty());
  }

  @Test
  void theClassifierDecidesWhenNothingElseDoes() {
    RouteDecision shortPrompt = plan(snapshot(new JsonObject().put("classify", true)), hints("auto", "hi there"));
    assertEquals(Tier.HAIKU, shortPrompt.tier());
    assertTrue(shortPrompt.reasons().getFirst().contains("prompt"), shortPrompt.reasons().toString());
    RouteDecision off = plan(snapshot(new JsonObject()), hints("auto", "hi there"));
    assertEquals(Tier.SONNET, off.tier());
  }

  @Test
  void localOnlyWhenEnabledEligibleAndAllowed() {
    assertEquals(List.of("c-haiku"), keys(plan(snapshot(new JsonObject()), hints("tier:haiku", null))));
    RoutingSnapshot local = snapshot(new JsonObject().put("useLocal", true));
    RouteDecision haiku = plan(local, hints("tier:haiku", null));
    assertEquals(List.of("l-haiku", "c-haiku"), keys(haiku));
    assertEquals("local", haiku.primary().route());
    assertEquals(List.of("c-sonnet"), keys(plan(local, hints("tier:sonnet", null))), "sonnet is not eligible");
    RouteHints refused = new RouteHints("tier:haiku", null, null, null, null, null, false, null, () -> null);
    assertEquals(List.of("c-haiku"), keys(plan(local, refused)));
    JsonObject everything = new JsonObject().put("useLocal", true).put("localEligibleTiers",
        new JsonArray().add("haiku").add("sonnet").add("opus")).put("localModels",
        new JsonObject().put("haiku", "l-haiku").put("sonnet", "l-sonnet").put("opus", "l-sonnet"));
    RoutingSnapshot eager = snapshot(everything);
    assertEquals("l-sonnet", plan(eager, hints("tier:sonnet", null)).primary().model().key());
    assertEquals(List.of("c-opus"), keys(plan(eager, hints("tier:opus", null))), "opus is never local");
    RouteHints security = new RouteHints("auto", "sonnet", "security", null, null, null, null, null, () -> null);
    assertEquals("cloud", plan(eager, security).primary().route(), "security is never local");
    JsonObject noFallback = new JsonObject().put("useLocal", true).put("localFallback", false);
    assertEquals(List.of("l-haiku"), keys(plan(snapshot(noFallback), hints("tier:haiku", null))));
  }

  @Test
  void theCanarySendsABucketBelowTheStageLocal() {
    RoutingSnapshot half = snapshot(new JsonObject().put("useLocal", true)
        .put("canary", new JsonObject().put("enabled", true).put("stage", 50)));
    // Pinned buckets (BucketHashTest): session-1 -> 94, user-42 + SECURITY -> 21.
    RouteDecision above = plan(half, new RouteHints("tier:haiku", null, null, null, null, "session-1", null, null,
        () -> null));
    assertEquals(94, above.bucket());
    assertEquals(50, above.canaryStage());
    assertEquals("cloud", above.primary().route());
    RouteDecision below = plan(half, new RouteHints("tier:haiku", null, null, "security", null, "user-42", null,
        null, () -> null));
    assertEquals(21, below.bucket());
    assertEquals("local", below.primary().route());
    for (int stage : new int[] {0, 100}) {
      RoutingSnapshot fixed = snapshot(new JsonObject().put("useLocal", true)
          .put("canary", new JsonObject().put("enabled", true).put("stage", stage)));
      assertEquals(stage == 100 ? "local" : "cloud", plan(fixed, new RouteHints("tier:haiku", null, null, null, null,
          "session-1", null, null, () -> null)).primary().route());
    }
  }

  @Test
  void privatePromptsStayLocalOrAreRefused() {
    RoutingSnapshot snapshot = snapshot(new JsonObject());
    RouteDecision decision = plan(snapshot, hints("tier:sonnet", SSN_PROMPT));
    assertEquals(List.of("l-sonnet"), keys(decision), "no cloud fallback for a private prompt");
    assertTrue(String.join(" ", decision.reasons()).contains("ssn"));
    assertFalse(String.join(" ", decision.reasons()).contains("123-45-6789"), "reasons never quote the prompt");
    assertEquals(List.of("l-haiku"), keys(plan(snapshot, hints("tier:haiku", SSN_PROMPT))));
    assertEquals(503, refusal(snapshot, hints("tier:opus", SSN_PROMPT)).status());
    assertEquals(403, refusal(snapshot, hints("c-sonnet", SSN_PROMPT)).status());
    RoutingSnapshot untiered = snapshot(new JsonObject().put("localModels", new JsonObject()));
    assertEquals("l-haiku", plan(untiered, hints("tier:sonnet", SSN_PROMPT)).primary().model().key(),
        "without a local model for the tier, any local model serves a private prompt");
    RoutingSnapshot noLocal = snapshot(new JsonObject(), false);
    assertEquals(503, refusal(noLocal, hints("tier:haiku", SSN_PROMPT)).status());
    assertEquals(List.of("c-sonnet"), keys(plan(snapshot, hints("tier:sonnet", "nothing private here"))));
  }

  @Test
  void airgapNeverPlansACloudTarget() {
    RoutingSnapshot airgap = snapshot(new JsonObject().put("airgap", true));
    assertEquals(List.of("l-haiku"), keys(plan(airgap, hints("tier:haiku", null))));
    assertEquals(List.of("l-sonnet"), keys(plan(airgap, hints("auto", null))));
    GatewayException pinned = refusal(airgap, hints("c-haiku", null));
    assertEquals(403, pinned.status());
    assertEquals("policy_forbidden", pinned.code());
    RouteHints provider = new RouteHints("auto", null, null, null, null, null, null, "c", () -> null);
    assertEquals(403, refusal(airgap, provider).status());
    assertEquals(503, refusal(airgap, hints("tier:opus", null)).status());
  }

  @Test
  void pinsAreHonouredWhenPolicyAllows() {
    RoutingSnapshot snapshot = snapshot(new JsonObject());
    RouteDecision model = plan(snapshot, hints("l-haiku", null));
    assertTrue(model.pinned());
    assertEquals(List.of("l-haiku", "c-haiku"), keys(model));
    RouteHints provider = new RouteHints("tier:haiku", null, null, null, null, null, null, "l", () -> null);
    assertEquals("l-haiku", plan(snapshot, provider).primary().model().key());
    RouteHints opusLocal = new RouteHints("l-haiku", "opus", "security", null, null, null, null, null, () -> null);
    assertEquals(403, refusal(snapshot, opusLocal).status(), "a local pin for a security request");
    RouteHints unknown = new RouteHints("auto", null, null, null, null, null, null, "nobody", () -> null);
    assertEquals(404, refusal(snapshot, unknown).status());
    RouteHints conflict = new RouteHints("c-haiku", null, null, null, null, null, null, "l", () -> null);
    assertEquals(400, refusal(snapshot, conflict).status());
  }

  @Test
  void poolsAreBalanced() {
    JsonObject weighted = new JsonObject().put("pools", new JsonObject().put("sonnet", new JsonObject()
        .put("balance", "weighted").put("models", new JsonObject().put("c-sonnet", 3).put("c-opus", 1))));
    RoutingSnapshot snapshot = snapshot(weighted);
    Balancer balancer = new Balancer(new LatencyBoard());
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      picks.add(RoutePlanner.plan(hints("tier:sonnet", null), snapshot, balancer, true).primary().model().key());
    }
    assertEquals(List.of("c-sonnet", "c-sonnet", "c-sonnet", "c-opus", "c-sonnet", "c-sonnet", "c-sonnet", "c-opus"),
        picks);
    LatencyBoard latency = new LatencyBoard();
    latency.record("c-sonnet", 900);
    latency.record("c-opus", 120);
    JsonObject fastest = new JsonObject().put("pools", new JsonObject().put("sonnet", new JsonObject()
        .put("balance", "least_latency").put("models", new JsonArray().add("c-sonnet").add("c-opus"))));
    assertEquals(List.of("c-opus", "c-sonnet"), keys(RoutePlanner.plan(hints("tier:sonnet", null),
        snapshot(fastest), new Balancer(latency), true)));
    JsonObject cheapest = new JsonObject().put("pools", new JsonObject().put("sonnet", new JsonObject()
        .put("balance", "lowest_cost").put("models", new JsonArray().add("c-opus").add("c-sonnet"))));
    assertEquals(List.of("c-sonnet", "c-opus"), keys(plan(snapshot(cheapest), hints("tier:sonnet", null))));
  }

  private static RouteDecision plan(RoutingSnapshot snapshot, RouteHints hints) {
    return RoutePlanner.plan(hints, snapshot);
  }

  private static GatewayException refusal(RoutingSnapshot snapshot, RouteHints hints) {
    return assertThrows(GatewayException.class, () -> RoutePlanner.plan(hints, snapshot));
  }

  private static RouteHints hints(String model, String prompt) {
    Conversation conversation = prompt == null ? null : new Conversation(null,
        List.of(new Turn(Turn.Role.USER, List.of(new Part.Text(prompt)))), List.of(), ToolChoice.AUTO,
        Sampling.DEFAULT, ResponseFormat.TEXT, false);
    return new RouteHints(model, null, null, null, null, null, null, null, () -> conversation);
  }

  private static List<String> keys(RouteDecision decision) {
    return decision.chain().stream().map(t -> t.model().key()).toList();
  }

  private static RoutingSnapshot snapshot(JsonObject routing) {
    return snapshot(routing, true);
  }

  /** With {@code withLocalModels} false, provider {@code l} is not local either: no local model exists. */
  private static RoutingSnapshot snapshot(JsonObject routing, boolean withLocalModels) {
    JsonObject cloud = new JsonObject().put("family", "openai-compatible").put("baseUrl", "http://127.0.0.1:1/v1")
        .put("allowPrivateNetwork", true);
    JsonObject local = cloud.copy().put("local", withLocalModels);
    JsonObject policy = new JsonObject().put("classify", false)
        .put("privacyPatterns", new JsonArray().add("ssn=\\b\\d{3}-\\d{2}-\\d{4}\\b"));
    if (withLocalModels) {
      policy.put("localModels", new JsonObject().put("haiku", "l-haiku").put("sonnet", "l-sonnet"));
    }
    JsonObject conf = new JsonObject()
        .put("providers", new JsonObject().put("c", cloud).put("l", local))
        .put("models", new JsonObject()
            .put("c-haiku", new JsonObject().put("provider", "c").put("tier", "haiku")
                .put("price", new JsonObject().put("inputPer1k", 0.001).put("outputPer1k", 0.005)))
            .put("c-sonnet", new JsonObject().put("provider", "c").put("tier", "sonnet")
                .put("price", new JsonObject().put("inputPer1k", 0.003).put("outputPer1k", 0.015)))
            .put("c-opus", new JsonObject().put("provider", "c").put("tier", "opus")
                .put("price", new JsonObject().put("inputPer1k", 0.015).put("outputPer1k", 0.075)))
            .put("l-haiku", new JsonObject().put("provider", "l").put("tier", "haiku")
                .put("fallbacks", new JsonArray().add("c-haiku")))
            .put("l-sonnet", new JsonObject().put("provider", "l").put("tier", "sonnet")))
        .put("tiers", new JsonObject().put("haiku", "c-haiku").put("sonnet", "c-sonnet").put("opus", "c-opus"))
        .put("routing", policy.mergeIn(routing));
    PhaseRouting phases = PhaseRouting.of(Map.of(
        "GITHUB", Map.of("EXEC", Tier.HAIKU, "PLAN", Tier.SONNET),
        "SECURITY", Map.of("*", Tier.OPUS)));
    return RoutingSnapshot.fromConfig(1, new ConfigLoader(Map.of()).fromJson(conf), phases);
  }
}
