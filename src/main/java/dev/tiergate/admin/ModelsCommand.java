package dev.tiergate.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code tiergate models [--json]}: the routable models with their provider, tier, context window, prices and the
 * provider's status, from {@code GET /admin/models}. Exits 1 when the admin API refuses or cannot be reached.
 */
@Command(name = "models", description = "Models: provider, tier, context window, prices, status")
public final class ModelsCommand extends ReportCommand {

  public ModelsCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  String path() {
    return "/admin/models";
  }

  @Override
  String render(JsonObject body) {
    return table(body);
  }

  static String table(JsonObject body) {
    Table table = new Table("MODEL", "PROVIDER", "TIER", "LOCAL", "CONTEXT", "IN/1K", "OUT/1K", "STATUS");
    for (Object entry : body.getJsonArray("models", new JsonArray())) {
      JsonObject model = (JsonObject) entry;
      Long context = model.getLong("contextTokens");
      boolean local = model.getBoolean("local", false);
      JsonObject price = model.getJsonObject("price", new JsonObject());
      boolean free = local && price.getDouble("inputPer1k", 0.0) == 0 && price.getDouble("outputPer1k", 0.0) == 0;
      String status = model.getString("providerStatus", "unknown")
          + (Boolean.FALSE.equals(model.getBoolean("installed")) ? " (not installed)" : "");
      table.row(model.getString("model", "-"), model.getString("provider", "-"), model.getString("tier", "-"),
          local ? "yes" : "no", context == null ? "-" : Math.round(context / 1000.0) + "k",
          free ? "free" : dollars(price.getDouble("inputPer1k")),
          free ? "free" : dollars(price.getDouble("outputPer1k")), status);
    }
    return table.render();
  }

  /**
   * "$0.0025", "$0.01", "$3.00": trailing zeros trimmed, at least two decimals, at most six (sub-cent prices per 1k
   * tokens such as $0.00015 are common, so a fixed four decimals would misstate them).
   */
  static String dollars(Double amount) {
    if (amount == null) {
      return "-";
    }
    BigDecimal trimmed = BigDecimal.valueOf(amount).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return "$" + trimmed.setScale(Math.max(2, trimmed.scale())).toPlainString();
  }
}
