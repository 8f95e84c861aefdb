package dev.tiergate.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tiergate canary status|advance|set N|pause|resume|rollback|quality|history}: the canary rollout from the
 * command line, through the admin API. Readable tables by default, {@code --json} for scripts; a refused command
 * exits 1 with the reason.
 */
@Command(name = "canary", description = "Canary rollout: status, advance, set N, pause, resume, rollback, quality, "
    + "history")
public final class CanaryCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "status | advance | set | pause | resume | rollback | quality | history")
  String action;

  @Parameters(index = "1", arity = "0..1", description = "the stage, for set")
  Integer stage;

  @Option(names = "--reason", description = "why (recorded in the audit trail)")
  String reason = "";

  @Option(names = "--json", description = "print the admin API's JSON answer")
  boolean json;

  /** Where the admin API is ({@code TIERGATE_ADMIN_URL}, {@code TIERGATE_ADMIN_TOKEN}) and where output goes. */
  private final Map<String, String> env;
  PrintStream out = System.out;
  PrintStream err = System.err;

  public CanaryCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    AdminClient admin = new AdminClient(env);
    AdminClient.Answer answer;
    try {
      answer = switch (action) {
        case "status" -> admin.get("/admin/canary");
        case "quality" -> admin.get("/admin/canary/quality");
        case "history" -> admin.get("/admin/canary/history");
        case "advance", "pause", "resume", "rollback", "set" -> admin.post("/admin/canary/" + action,
            new JsonObject().put("stage", stage).put("reason", reason).put("actor", "cli:"
                + System.getProperty("user.name", "operator")));
        default -> null;
      };
    } catch (java.io.IOException e) {
      err.println("tiergate: cannot reach the admin API: "
            + AdminClient.describe(e));
      return 1;
    }
    if (answer == null) {
      err.println("tiergate: unknown canary command '" + action + "'");
      return 2;
    }
    if (answer.status() != 200) {
      err.println("tiergate: canary " + action + " refused (" + answer.status() + "): "
          + answer.body().getJsonObject("error", new JsonObject()).getString("message"));
      return 1;
    }
    out.println(json ? answer.body().encodePrettily() : human(answer.body()));
    return 0;
  }

  private String human(JsonObject body) {
    return switch (action) {
      case "quality" -> quality(body);
      case "history" -> history(body.getJsonArray("history", new JsonArray()));
      default -> String.format("stage %s  status %s  version %s  updated %s by %s", body.getValue("stage"),
          body.getValue("status"), body.getValue("version"), body.getValue("updatedAt"), body.getValue("updatedBy"));
    };
  }

  private static String quality(JsonObject report) {
    StringBuilder out = new StringBuilder(String.format("%-22s %-13s %12s %12s%n", "GATE", "VERDICT", "VALUE",
        "THRESHOLD"));
    for (Object entry : report.getJsonArray("gates", new JsonArray())) {
      JsonObject gate = (JsonObject) entry;
      out.append(String.format("%-22s %-13s %12s %12s%n", gate.getString("name"), gate.getString("verdict"),
          gate.getValue("value"), gate.getValue("threshold")));
    }
    return out.toString().stripTrailing();
  }

  private static String history(JsonArray transitions) {
    StringBuilder out = new StringBuilder(String.format("%-25s %-9s %-16s %-16s %-14s %s%n", "AT", "ACTION", "FROM",
        "TO", "ACTOR", "REASON"));
    for (Object entry : transitions) {
      JsonObject t = (JsonObject) entry;
      out.append(String.format("%-25s %-9s %-16s %-16s %-14s %s%n", t.getString("at"), t.getString("action"),
          t.getValue("fromStage") + " " + t.getValue("fromStatus"), t.getValue("toStage") + " "
          + t.getValue("toStatus"), t.getString("actor"), t.getString("reason", "")));
    }
    return out.toString().stripTrailing();
  }
}
