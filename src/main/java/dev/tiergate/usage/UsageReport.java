package dev.tiergate.usage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The answer to a {@link UsageQuery}: one row per value of the dimension (sorted), and the total.
 *
 * @param since the earliest request counted (later than asked when the in-memory totals do not reach that far)
 */
public record UsageReport(UsageQuery.Source source, UsageQuery.Dimension by, Instant since, Instant until,
                          List<Row> rows, UsageSum total) {

  /** The totals of one value of the dimension ({@code anthropic}, {@code key-2}, …). */
  public record Row(String key, UsageSum sum) {
  }

  public UsageReport {
    rows = List.copyOf(rows);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    rows.forEach(row -> array.add(new JsonObject().put("key", row.key()).mergeIn(row.sum().toJson())));
    return new JsonObject().put("source", source.wireName()).put("by", by.wireName())
        .put("since", since.toString()).put("until", until.toString()).put("rows", array).put("total", total.toJson());
  }
}
