package dev.tiergate.routing;

import dev.tiergate.config.ConfigException;
import java.util.Locale;
import java.util.Optional;

/** Capability and cost tiers, cheapest first. */
public enum Tier {
  HAIKU, SONNET, OPUS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Tier> fromWire(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Tier tier : values()) {
      if (tier.wireName().equalsIgnoreCase(value.trim())) {
        return Optional.of(tier);
      }
    }
    return Optional.empty();
  }

  /** Parses a tier named in configuration; an unknown name fails naming {@code key}. */
  public static Tier parseConfig(String key, String value) {
    return fromWire(value).orElseThrow(() -> new ConfigException(key, "unknown tier '" + value + "'"));
  }
}
