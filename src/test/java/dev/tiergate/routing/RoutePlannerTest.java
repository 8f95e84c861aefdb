package dev.tiergate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigLoader;
import dev.tiergate.http.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pure routing against snapshots built by the real {@link ConfigLoader}. */
class RoutePlannerTest {

  /** The shipped configuration: Claude tiers (haiku, sonnet, opus); qwen3-coder:30b falls back
   * to Claude haiku. */
  private static final RoutingSnapshot SHIPPED = RoutingSnapshot.fromConfig(1,
      new ConfigLoader(Map.of()).load(Path.of("conf/tiergate.json")), PhaseRouting.EMPTY);

  @ParameterizedTest(name = "model {0}")
  @ValueSource(strings = {"auto", "", "  ", " auto "})
  void autoGoesToTheDefaultTier(String model) {
    RouteDecision decision = plan(model, null, null);
    assertEquals(Tier.SONNET, decision.tier());
    assertEquals(List.of("claude-sonnet-4-20250514"), keys(decision));
    assertFalse(decision.pinned());
  }

  @Test
  void absentModelGoesToTheDefaultTier() {
    RouteDecision decision = plan(null, null, null);
    assertEquals(Tier.SONNET, decision.tier());
    assertEquals("claude-sonnet-4-20250514", decision.primary().model().key());
    assertEquals("anthropic", decision.primary().provider().name());
    assertEquals("cloud", decision.primary().route());
  }

  @Test
  void defaultTierComesFromTheSnapshot() {
    RoutingSnapshot haikuDefault = snapshot(new JsonObject().put("defaultTier", "haiku"));
    RouteDecision decision = RoutePlanner.plan(RouteHints.of("auto", null, null), haikuDefault);
    assertEquals(Tier.HAIKU, decision.tier());
    assertEquals(List.of("a"), keys(decision));
  }

  @ParameterizedTest(name = "{0} -> {1} ({2})")
  @CsvSource({
      "tier:haiku, HAIKU, claude-haiku-3-5-20241022",
      "tier:sonnet, SONNET, claude-sonnet-4-20250514",
      "tier:opus, OPUS, claude-opus-4-5-20251101",
      "tier:HAIKU, HAIKU, claude-haiku-3-5-20241022",
      "purpose:security, OPUS, claude-opus-4-5-20251101",
      "purpose:critical, OPUS, claude-opus-4-5-20251101",
      "purpose:classification, HAIKU, claude-haiku-3-5-20241022",
      "purpose:triage, HAIKU, claude-haiku-3-5-20241022",
      "purpose:design, SONNET, claude-sonnet-4-20250514",
      "purpose:analysis, SONNET, claude-sonnet-4-20250514"})
  void tierAndPurposeAliases(String model, Tier tier, String modelKey) {
    RouteDecision decision = plan(model, null, null);
    assertEquals(tier, decision.tier());
    assertEquals(modelKey, decision.primary().model().key());
    assertFalse(decision.pinned());
  }

  @Test
  void tierHeaderHintIsHonouredForAuto() {
    assertEquals(Tier.HAIKU, plan("auto", "haiku", null).tier());
    assertEquals("claude-opus-4-5-20251101", plan(null, "opus", null).primary().model().key());
    assertEquals(Tier.OPUS, plan(" auto", " Opus ", null).tier());
  }

  @Test
  void purposeHeaderHintIsHonouredForAutoAndTheTierHintWins() {
    assertEquals(Tier.OPUS, plan("auto", null, "security").tier());
    assertEquals(Tier.HAIKU, plan("auto", null, "Fast").tier());
    assertEquals(Tier.HAIKU, plan("auto", "haiku", "security").tier());
  }

  @Test
  void unknownHintsFallBackToTheDefaultTier() {
    assertEquals(Tier.SONNET, plan("auto", "mega", "nonsense").tier());
  }

  @Test
  void hintsDoNotOverrideAnExplicitTierOrPinnedModel() {
    assertEquals(Tier.HAIKU, plan("tier:haiku", "opus", "security").tier());
    RouteDecision pinned = plan("gpt-4o", "haiku", "fast");
    assertEquals("gpt-4o", pinned.primary().model().key());
    assertTrue(pinned.pinned());
  }

  @Test
  void pinnedModelGoesToItsOwnProviderWithItsTier() {
    RouteDecision decision = plan("llama3.2:3b", null, null);
    assertTrue(decision.pinned());
    assertEquals(Tier.HAIKU, decision.tier());
    assertEquals(List.of("llama3.2:3b"), keys(decision));
    assertEquals("ollama", decision.primary().provider().name());
    assertEquals("local", decision.primary().route());
    assertEquals("openrouter", plan("openrouter/auto", null, null).primary().provider().name());
    assertEquals(Tier.OPUS, plan("claude-opus-4-5-20251101", null, null).tier());
    assertEquals("gemini", plan("gemini-2.0-flash", null, null).primary().provider().name());
    assertEquals("cohere", plan("command-r", null, null).primary().provider().name());
  }

  @ParameterizedTest(name = "model {0}")
  @ValueSource(strings = {"gpt-5-ultra", "tier:mega", "tier:", "purpose:unknown", "purpose:", "GPT-4O", "auto2"})
  void unknownModelIs404(String model) {
    GatewayException error = assertThrows(GatewayException.class, () -> plan(model, null, null));
    assertEquals(404, error.status());
    assertEquals("model_not_found", error.code());
    assertTrue(error.getMessage().contains(model), error.getMessage());
  }

  @Test
  void unknownModelMessageIsClipped() {
    String huge = "m".repeat(10_000);
    GatewayException error = assertThrows(GatewayException.class, () -> plan(huge, null, null));
    assertTrue(error.getMessage().length() < 500, "message length " + error.getMessage().length());
  }

  @Test
  void fallbacksFollowThePrimaryInOrder() {
    RouteDecision decision = plan("qwen3-coder:30b", null, null);
    assertEquals(List.of("qwen3-coder:30b", "claude-haiku-3-5-20241022"), keys(decision));
    assertEquals(List.of("ollama", "anthropic"), decision.chain().stream().map(t -> t.provider().name()).toList());
    assertEquals(List.of("local", "cloud"), decision.chain().stream().map(Target::route).toList());
  }

  @Test
  void fallbacksOfATierModelAreUsedToo() {
    RoutingSnapshot snapshot = snapshot(new JsonObject());
    RouteDecision decision = RoutePlanner.plan(RouteHints.of("tier:sonnet", null, null), snapshot);
    assertEquals(List.of("b", "c", "a"), keys(decision));
  }

  @Test
  void chainHasNoDuplicatesAndKeepsFirstOccurrenceOrder() {
    RoutingSnapshot snapshot = snapshot(new JsonObject());
    RouteDecision decision = RoutePlanner.plan(RouteHints.of("d", null, null), snapshot);
    assertEquals(List.of("d", "b", "a", "c"), keys(decision));
  }

  private static RouteDecision plan(String model, String tier, String purpose) {
    return RoutePlanner.plan(RouteHints.of(model, tier, purpose), SHIPPED);
  }

  private static List<String> keys(RouteDecision decision) {
    return decision.chain().stream().map(t -> t.model().key()).toList();
  }

  /** Models a..d on two providers; sonnet = b, falling back to c then a; d lists itself and duplicate fallbacks. */
  private static RoutingSnapshot snapshot(JsonObject overrides) {
    JsonObject provider = new JsonObject().put("family", "openai-compatible").put("baseUrl", "http://127.0.0.1:1/v1")
        .put("allowPrivateNetwork", true);
    JsonObject conf = new JsonObject()
        .put("providers", new JsonObject().put("p1", provider).put("p2", provider.copy()))
        .put("models", new JsonObject()
            .put("a", new JsonObject().put("provider", "p1").put("tier", "haiku"))
            .put("b", new JsonObject().put("provider", "p1").put("fallbacks", new JsonArray().add("c").add("a")))
            .put("c", new JsonObject().put("provider", "p2").put("tier", "opus"))
            .put("d", new JsonObject().put("provider", "p2")
                .put("fallbacks", new JsonArray().add("b").add("d").add("a").add("b").add("c").add("a"))))
        .put("tiers", new JsonObject().put("haiku", "a").put("sonnet", "b").put("opus", "c"))
        .mergeIn(overrides);
    return RoutingSnapshot.fromConfig(1, new ConfigLoader(Map.of()).fromJson(conf), PhaseRouting.EMPTY);
  }
}
