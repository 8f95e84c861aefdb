package dev.tiergate.admin;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tiergate registry refresh}: makes the running gateway read its model registry again now. */
@Command(name = "registry", description = "Model registry commands", subcommands = RegistryCommand.Refresh.class)
public final class RegistryCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println("usage: tiergate registry refresh [--json]");
    return 2;
  }

  /** POST /admin/registry/refresh. */
  @Command(name = "refresh", description = "Read the registry again (from the database when one is configured)")
  public static final class Refresh implements Callable<Integer> {

    private final Map<String, String> env;

    @Option(names = "--json", description = "Print the admin API's JSON answer")
    boolean json;

    public Refresh(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      AdminClient.Answer answer;
      try {
        answer = new AdminClient(env).post("/admin/registry/refresh");
      } catch (java.io.IOException e) {
        System.err.println("tiergate: cannot reach the admin API: "
            + AdminClient.describe(e));
        return 1;
      }
      if (json) {
        System.out.println(answer.body().encodePrettily());
      } else if (answer.status() == 200) {
        System.out.printf("registry refreshed: source %s, %d models, snapshot %d%n", answer.body().getString("source"),
            answer.body().getInteger("models"), answer.body().getLong("version"));
      } else {
        System.err.println("tiergate: refresh failed (" + answer.status() + "): "
            + answer.body().getJsonObject("error", new io.vertx.core.json.JsonObject()).getString("message"));
      }
      return answer.status() == 200 ? 0 : 1;
    }
  }
}
