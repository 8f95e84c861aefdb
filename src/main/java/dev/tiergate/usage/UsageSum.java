package dev.tiergate.usage;

import io.vertx.core.json.JsonObject;

/**
 * Running totals of a set of requests: counts, tokens and cost. Mutable; used on one event loop.
 */
public final class UsageSum {

  private long requests;
  private long errors;
  private long partial;
  private long estimated;
  private long promptTokens;
  private long completionTokens;
  private double costUsd;

  /** Adds one request. Unknown token counts (below 0) add nothing. */
  public void add(boolean error, boolean partial, boolean estimated, long promptTokens, long completionTokens,
                  double costUsd) {
    requests++;
    errors += error ? 1 : 0;
    this.partial += partial ? 1 : 0;
    this.estimated += estimated ? 1 : 0;
    this.promptTokens += Math.max(0, promptTokens);
    this.completionTokens += Math.max(0, completionTokens);
    this.costUsd += costUsd;
  }

  /** Adds another sum. */
  public void add(UsageSum other) {
    requests += other.requests;
    errors += other.errors;
    partial += other.partial;
    estimated += other.estimated;
    promptTokens += other.promptTokens;
    completionTokens += other.completionTokens;
    costUsd += other.costUsd;
  }

  /** A sum read from aggregated database columns. */
  public static UsageSum of(long requests, long errors, long partial, long estimated, long promptTokens,
                            long completionTokens, double costUsd) {
    UsageSum sum = new UsageSum();
    sum.requests = requests;
    sum.errors = errors;
    sum.partial = partial;
    sum.estimated = estimated;
    sum.promptTokens = promptTokens;
    sum.completionTokens = completionTokens;
    sum.costUsd = costUsd;
    return sum;
  }

  public long requests() {
    return requests;
  }

  public long promptTokens() {
    return promptTokens;
  }

  public long completionTokens() {
    return completionTokens;
  }

  public double costUsd() {
    return costUsd;
  }

  /** The JSON fields of {@code GET /admin/usage}; cost rounded to the database's 8 decimals. */
  public JsonObject toJson() {
    return new JsonObject().put("requests", requests).put("errors", errors).put("partial", partial)
        .put("estimated", estimated).put("promptTokens", promptTokens).put("completionTokens", completionTokens)
        .put("costUsd", Math.round(costUsd * 1e8) / 1e8);
  }
}
