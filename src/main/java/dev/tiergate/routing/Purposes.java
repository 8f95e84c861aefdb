package dev.tiergate.routing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The purpose → tier table of CONTRACT.md. */
final class Purposes {

  private static final Map<String, Tier> TABLE = Map.ofEntries(
      Map.entry("classification", Tier.HAIKU), Map.entry("fast", Tier.HAIKU), Map.entry("screening", Tier.HAIKU),
      Map.entry("triage", Tier.HAIKU), Map.entry("validation", Tier.SONNET), Map.entry("generation", Tier.SONNET),
      Map.entry("analysis", Tier.SONNET), Map.entry("design", Tier.SONNET), Map.entry("security", Tier.OPUS),
      Map.entry("critical", Tier.OPUS));

  private Purposes() {
  }

  static Optional<Tier> tierOf(String purpose) {
    return purpose == null ? Optional.empty() : Optional.ofNullable(TABLE.get(purpose.trim().toLowerCase(Locale.ROOT)));
  }
}
