package dev.tiergate.usage;

import dev.tiergate.http.GatewayException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A usage question ({@code GET /admin/usage?since=…&by=…&source=…}): totals since an instant, grouped by one
 * dimension, from the in-memory totals or from {@code model_usage_log}.
 *
 * @param since  the earliest request counted
 * @param by     the dimension rows are grouped by
 * @param source where the totals come from; null = the database when one is configured, else memory
 */
public record UsageQuery(Instant since, Dimension by, Source source) {

  private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([smhd])");

  /** A dimension of the totals, with its column in {@code model_usage_log} (a fixed set: never user text in SQL). */
  public enum Dimension {
    PROVIDER("provider_key"), MODEL("model_key"), TIER("leo_tier"), ROUTE("route"), KEY("client_key_id");

    private final String column;

    Dimension(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where totals are read. */
  public enum Source {
    MEMORY, DATABASE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Reads the query parameters; {@code since} is an ISO-8601 instant or a span back from now ({@code 90s}, {@code 15m},
   * {@code 1h}, {@code 7d}); absent = {@code defaultSince}.
   *
   * @throws GatewayException (400) naming the parameter that is wrong
   */
  public static UsageQuery parse(String since, String by, String source, Instant now, Instant defaultSince) {
    return new UsageQuery(since == null || since.isBlank() ? defaultSince : instant(since.trim(), now),
        by == null || by.isBlank() ? Dimension.PROVIDER : dimension(by.trim()),
        source == null || source.isBlank() ? null : source(source.trim()));
  }

  private static Instant instant(String since, Instant now) {
    Matcher relative = RELATIVE.matcher(since);
    if (relative.matches()) {
      long amount = Long.parseLong(relative.group(1));
      Duration span = switch (relative.group(2)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
      return now.minus(span);
    }
    try {
      return Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw GatewayException.badRequest("invalid_since",
          "'since' must be an ISO-8601 instant (2026-11-22T06:00:00Z) or a span such as 15m, 1h, 7d");
    }
  }

  private static Dimension dimension(String by) {
    for (Dimension d : Dimension.values()) {
      if (d.wireName().equals(by)) {
        return d;
      }
    }
    throw GatewayException.badRequest("invalid_by", "'by' must be one of provider, model, tier, route, key");
  }

  private static Source source(String source) {
    return switch (source) {
      case "memory" -> Source.MEMORY;
      case "database" -> Source.DATABASE;
      default -> throw GatewayException.badRequest("invalid_source", "'source' must be memory or database");
    };
  }
}
