package dev.tiergate.admin;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * An operator command that shows one admin answer: a table for people, the JSON with {@code --json}. Exits 1 when
 * the admin API refuses or cannot be reached (the reason goes to stderr).
 */
abstract class ReportCommand implements Callable<Integer> {

  @Option(names = "--json", description = "print the admin API's JSON answer")
  boolean json;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Spec
  CommandSpec spec;

  /** Where the admin API is ({@code TIERGATE_ADMIN_URL}, {@code TIERGATE_ADMIN_TOKEN}). */
  private final Map<String, String> env;

  ReportCommand(Map<String, String> env) {
    this.env = env;
  }

  /** The admin path to read, with its query. */
  abstract String path();

  /** The answer as a table. */
  abstract String render(JsonObject body);

  @Override
  public Integer call() throws InterruptedException {
    JsonObject body = new AdminClient(env).fetch(path(), spec.name(), spec.commandLine().getErr());
    if (body == null) {
      return 1;
    }
    spec.commandLine().getOut().println(json ? body.encodePrettily() : render(body));
    return 0;
  }
}
