package dev.tiergate.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tiergate usage [--since 1h|ISO] [--by provider|model|tier|route|key] [--source memory|database] [--json]}:
 * requests, errors, tokens and cost grouped one way, with a TOTAL row, from {@code GET /admin/usage}. The gateway
 * validates the options and picks its defaults; options not given are not sent. Exits 1 when the admin API refuses
 * or cannot be reached.
 */
@Command(name = "usage", description = "Usage: requests, errors, tokens and cost, grouped")
public final class UsageCommand extends ReportCommand {

  @Option(names = "--since", paramLabel = "1h|ISO", description = "start of the window: a duration back from now "
      + "(30m, 1h, 7d) or an ISO-8601 instant")
  String since;

  @Option(names = "--by", paramLabel = "provider|model|tier|route|key", description = "how to group the rows")
  String by;

  @Option(names = "--source", paramLabel = "memory|database", description = "the in-memory window or the database")
  String source;

  public UsageCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  String render(JsonObject body) {
    return report(body);
  }

  @Override
  String path() {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    param(query, "since", since);
    param(query, "by", by);
    param(query, "source", source);
    return "/admin/usage" + query;
  }

  private static void param(StringJoiner query, String name, String value) {
    if (value != null && !value.isBlank()) {
      query.add(name + "=" + URLEncoder.encode(value.trim(), StandardCharsets.UTF_8));
    }
  }

  static String report(JsonObject body) {
    String by = body.getString("by", "key");
    Table table = new Table(by, "REQUESTS", "ERRORS", "PROMPT_TOKENS", "COMPLETION_TOKENS", "COST_USD");
    for (Object entry : body.getJsonArray("rows", new JsonArray())) {
      JsonObject row = (JsonObject) entry;
      table.row(cells(row.getValue("key") == null ? "-" : String.valueOf(row.getValue("key")), row));
    }
    table.footer(cells("TOTAL", body.getJsonObject("total", new JsonObject())));
    return String.format(Locale.ROOT, "usage by %s since %s (source: %s)\n%s", by, body.getString("since", "-"),
        body.getString("source", "-"), table.render());
  }

  private static String[] cells(String key, JsonObject counts) {
    return new String[] {key, count(counts, "requests"), count(counts, "errors"), count(counts, "promptTokens"),
        count(counts, "completionTokens"), String.format(Locale.ROOT, "%.6f", counts.getDouble("costUsd", 0.0))};
  }

  private static String count(JsonObject counts, String field) {
    return String.format(Locale.ROOT, "%,d", counts.getLong(field, 0L));
  }
}
