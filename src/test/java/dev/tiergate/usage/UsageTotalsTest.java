package dev.tiergate.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.bus.CallOutcome;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.http.GatewayException;
import dev.tiergate.routing.Tier;
import dev.tiergate.support.MutableClock;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.Turn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Usage totals in memory (minute buckets, retention), the query parameters, pricing and the token estimate. */
class UsageTotalsTest {

  private static final Instant T0 = Instant.parse("2026-11-22T06:00:10Z");

  private final MutableClock clock = new MutableClock(T0);

  @Test
  void totalsGroupByEachDimensionAndForgetPastTheRetention() {
    UsageTotals totals = new UsageTotals(clock, 60);
    totals.add(outcome("anthropic", "claude", "sonnet", "cloud", "key-1", null, 100, 20), 0.5);
    totals.add(outcome("anthropic", "claude", "sonnet", "cloud", "key-2", "upstream_timeout", -1, -1), 0);
    totals.add(outcome("ollama", "qwen", "haiku", "local", "key-1", null, 50, 10), 0);
    totals.add(outcome("none", "none", "none", "none", "key-1", "invalid_json", -1, -1), 0);

    UsageReport byProvider = totals.query(T0.minusSeconds(3600), UsageQuery.Dimension.PROVIDER);
    assertEquals(List.of("anthropic", "ollama"), byProvider.rows().stream().map(UsageReport.Row::key).toList(),
        "a request refused before routing is no one's usage");
    assertEquals(2, byProvider.rows().get(0).sum().requests());
    assertEquals(150, byProvider.total().promptTokens());
    assertEquals(0.5, byProvider.total().costUsd());
    assertEquals(1, byProvider.total().toJson().getLong("errors"));
    UsageReport byKey = totals.query(T0, UsageQuery.Dimension.KEY);
    assertEquals(List.of("key-1", "key-2"), byKey.rows().stream().map(UsageReport.Row::key).toList());
    assertEquals("memory", byKey.toJson().getString("source"));

    clock.advance(Duration.ofMinutes(30));
    totals.add(outcome("openai", "gpt", "haiku", "cloud", "key-1", null, 1, 1), 0.25);
    assertEquals(4, totals.query(T0.minusSeconds(3600), UsageQuery.Dimension.ROUTE).total().requests());
    assertEquals(1, totals.query(clock.instant().minusSeconds(60), UsageQuery.Dimension.ROUTE).total().requests());
    clock.advance(Duration.ofMinutes(31));
    UsageReport later = totals.query(T0.minusSeconds(3600), UsageQuery.Dimension.TIER);
    assertEquals(1, later.total().requests(), "the first minute fell out of the 60-minute retention");
    assertTrue(later.since().isAfter(T0), "the report says how far back it reaches");
  }

  @Test
  void queryParametersAreParsedOrRefusedByName() {
    Instant now = Instant.parse("2026-11-22T07:00:00Z");
    UsageQuery query = UsageQuery.parse("15m", "model", "database", now, T0);
    assertEquals(now.minusSeconds(900), query.since());
    assertEquals(UsageQuery.Dimension.MODEL, query.by());
    assertEquals(UsageQuery.Source.DATABASE, query.source());
    assertEquals(now.minus(Duration.ofDays(7)), UsageQuery.parse("7d", null, null, now, T0).since());
    assertEquals(Instant.parse("2026-11-21T00:00:00Z"),
        UsageQuery.parse("2026-11-21T00:00:00Z", "key", "", now, T0).since());
    UsageQuery defaults = UsageQuery.parse(null, null, null, now, T0);
    assertEquals(T0, defaults.since());
    assertEquals(UsageQuery.Dimension.PROVIDER, defaults.by());
    assertEquals(null, defaults.source());
    assertEquals("invalid_since", assertThrows(GatewayException.class,
        () -> UsageQuery.parse("yesterday", null, null, now, T0)).code());
    assertEquals("invalid_by", assertThrows(GatewayException.class,
        () -> UsageQuery.parse(null, "provider_key; DROP TABLE x", null, now, T0)).code());
    assertEquals("invalid_source", assertThrows(GatewayException.class,
        () -> UsageQuery.parse(null, null, "disk", now, T0)).code());
  }

  @Test
  void pricingChargesCloudTokensAndNeverLocalOnes() {
    ModelConfig priced = new ModelConfig("m", "p", "m", Tier.SONNET, List.of(), false, false, 3.0, 15.0, 0);
    Map<String, ModelConfig> models = Map.of("m", priced);
    assertEquals((1000 * 3.0 + 200 * 15.0) / 1000.0,
        Pricing.cost(outcome("p", "m", "sonnet", "cloud", "k", null, 1000, 200), models), 1e-12);
    assertEquals(0, Pricing.cost(outcome("p", "m", "sonnet", "local", "k", null, 1000, 200), models));
    assertEquals(0, Pricing.cost(outcome("p", "gone", "sonnet", "cloud", "k", null, 1000, 200), models));
    assertEquals(0, Pricing.cost(outcome("p", "m", "sonnet", "cloud", "k", "x", -1, -1), models));
  }

  @Test
  void theTokenEstimateCountsTextToolsAndMessages() {
    Conversation conversation = new Conversation("You are terse.", List.of(
        new Turn(Turn.Role.USER, List.of(new Part.Text("x".repeat(400)))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.ToolCall("c1", "lookup", "{\"q\":\"abc\"}")))),
        List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT, false);
    long chars = "You are terse.".length() + 400 + "lookup".length() + "{\"q\":\"abc\"}".length();
    assertEquals((chars + 3) / 4 + 3 * 4 + 3, TokenEstimate.prompt(conversation));
    assertEquals(0, TokenEstimate.ofChars(0));
    assertEquals(1, TokenEstimate.ofChars(1));
    assertEquals(3, TokenEstimate.ofChars(11));
  }

  private static CallOutcome outcome(String provider, String model, String tier, String route, String key,
                                     String error, long prompt, long completion) {
    return new CallOutcome("r", key, "openai", route, route, tier, provider, model, error == null ? 200 : 504, false,
        false, 0, 1, 2, 0.1, prompt, completion, false, false, false, 10, null, error, false, null, null);
  }
}
