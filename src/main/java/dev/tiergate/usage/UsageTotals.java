package dev.tiergate.usage;

import dev.tiergate.bus.CallOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-memory usage totals by provider, model, tier, route and client key, in one-minute buckets for a bounded
 * retention, so that {@code GET /admin/usage?since=…} answers without a database. Memory is bounded by the retention
 * times the (configured, hence bounded) label combinations. Requests refused before any provider was tried are not
 * usage and are not counted (the same rule as {@code model_usage_log}). Used on the metrics verticle's loop only.
 */
public final class UsageTotals {

  private static final long MINUTE_MS = 60_000;

  /** One combination of the dimensions. */
  private record Key(String provider, String model, String tier, String route, String clientKey) {

    String of(UsageQuery.Dimension by) {
      return switch (by) {
        case PROVIDER -> provider;
        case MODEL -> model;
        case TIER -> tier;
        case ROUTE -> route;
        case KEY -> clientKey;
      };
    }
  }

  private record Bucket(long minute, Map<Key, UsageSum> sums) {
  }

  private final Clock clock;
  private final int retentionMinutes;
  private final Instant startedAt;
  private final ArrayDeque<Bucket> buckets = new ArrayDeque<>();

  public UsageTotals(Clock clock, int retentionMinutes) {
    this.clock = clock;
    this.retentionMinutes = retentionMinutes;
    this.startedAt = clock.instant();
  }

  /** Counts one finished request at {@code costUsd}. */
  public void add(CallOutcome outcome, double costUsd) {
    if (outcome.provider().equals("none")) {
      return;
    }
    long minute = clock.millis() / MINUTE_MS;
    Bucket last = buckets.peekLast();
    if (last == null || last.minute() != minute) {
      last = new Bucket(minute, new HashMap<>());
      buckets.addLast(last);
      expire(minute);
    }
    Key key = new Key(outcome.provider(), outcome.model(), outcome.tier(), outcome.route(), outcome.clientKeyId());
    last.sums().computeIfAbsent(key, k -> new UsageSum()).add(!outcome.success(), outcome.partial(),
        outcome.tokensEstimated(), outcome.promptTokens(), outcome.completionTokens(), costUsd);
  }

  /** Totals since {@code since} (minute resolution; clipped to the retention and to the process start). */
  public UsageReport query(Instant since, UsageQuery.Dimension by) {
    Instant now = clock.instant();
    long nowMinute = now.toEpochMilli() / MINUTE_MS;
    expire(nowMinute);
    Instant earliest = Instant.ofEpochMilli((nowMinute - retentionMinutes + 1) * MINUTE_MS);
    Instant from = latest(since, latest(earliest, startedAt));
    long fromMinute = from.toEpochMilli() / MINUTE_MS;
    Map<String, UsageSum> rows = new TreeMap<>();
    UsageSum total = new UsageSum();
    for (Bucket bucket : buckets) {
      if (bucket.minute() < fromMinute) {
        continue;
      }
      bucket.sums().forEach((key, sum) -> {
        rows.computeIfAbsent(key.of(by), k -> new UsageSum()).add(sum);
        total.add(sum);
      });
    }
    List<UsageReport.Row> list = new ArrayList<>();
    rows.forEach((key, sum) -> list.add(new UsageReport.Row(key, sum)));
    return new UsageReport(UsageQuery.Source.MEMORY, by, from, now, list, total);
  }

  private void expire(long nowMinute) {
    while (!buckets.isEmpty() && buckets.peekFirst().minute() <= nowMinute - retentionMinutes) {
      buckets.removeFirst();
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
