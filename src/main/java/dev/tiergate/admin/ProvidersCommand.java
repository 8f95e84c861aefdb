package dev.tiergate.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code tiergate providers [--json]}: each provider's health, latency, circuit breakers and registry models, from
 * {@code GET /admin/providers}. Exits 1 when the admin API refuses or cannot be reached.
 */
@Command(name = "providers", description = "Providers: health, latency, circuit breakers, models")
public final class ProvidersCommand extends ReportCommand {

  public ProvidersCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  String path() {
    return "/admin/providers";
  }

  @Override
  String render(JsonObject body) {
    return table(body);
  }

  static String table(JsonObject body) {
    Table table = new Table("NAME", "FAMILY", "LOCAL", "STATUS", "LATENCY", "CIRCUIT", "MODELS");
    for (Object entry : body.getJsonArray("providers", new JsonArray())) {
      JsonObject provider = (JsonObject) entry;
      JsonObject health = provider.getJsonObject("health", new JsonObject());
      Double latency = health.getDouble("latencyMs");
      table.row(provider.getString("name", "-"), provider.getString("family", "-"),
          provider.getBoolean("local", false) ? "yes" : "no", health.getString("status", "unknown"),
          latency == null || latency < 0 ? "-" : Math.round(latency) + "ms",
          circuits(provider.getJsonObject("circuits", new JsonObject())),
          String.valueOf(provider.getJsonArray("registryModels", new JsonArray()).size()));
    }
    return table.render();
  }

  /** "closed" while every breaker is closed, else the count per state: "open(1) half_open(1) closed(2)". */
  private static String circuits(JsonObject circuits) {
    Map<String, Long> counts = circuits.getMap().values().stream()
        .collect(Collectors.groupingBy(String::valueOf, Collectors.counting()));
    if (counts.keySet().stream().allMatch("closed"::equals)) {
      return "closed";
    }
    return Stream.concat(Stream.of("open", "half_open", "closed"), counts.keySet().stream().sorted()).distinct()
        .filter(counts::containsKey)
        .map(state -> state + "(" + counts.get(state) + ")")
        .collect(Collectors.joining(" "));
  }
}
