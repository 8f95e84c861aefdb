package tiergate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * System properties shared by the simulations (all optional; pass them as {@code -Dname=value} to Maven, the
 * gatling-maven-plugin propagates them to the Gatling JVM).
 *
 * <ul>
 *   <li>{@code baseUrl} [http://127.0.0.1:8080] — gateway, nginx or the mock itself</li>
 *   <li>{@code label} [gateway] — name of the target in the custom metrics file</li>
 *   <li>{@code metricsFile} [target/gatling/&lt;simulation&gt;-&lt;label&gt;.json] — TTFT / gap / status figures
 *   measured by the simulation itself (see {@link Recorder})</li>
 *   <li>{@code injection}: {@code steps} (open, arrival rate rising in steps: {@code startRate}, {@code stepRate},
 *   {@code steps}, {@code levelS}), {@code rate} (open, ramp to {@code rate} users/s over {@code rampS}, then
 *   {@code rate} for {@code durationS}), {@code closed} (ramp to {@code users} concurrent over {@code rampS}, then
 *   hold {@code users} concurrent for {@code durationS}: each user is one request or stream, a finished one is
 *   replaced at once)</li>
 *   <li>{@code chunks} [20], {@code gapMs} [50], {@code firstTokenMs} [0], {@code faultRate} [0] — mock knobs, sent as
 *   {@code x-mock-*} headers and in the body's {@code metadata}</li>
 *   <li>{@code warmupS} [= rampS] — requests started in the first warmupS seconds are counted but left out of the
 *   histograms</li>
 *   <li>{@code timeoutS} [30] — how long a stream may take before it counts as an error</li>
 *   <li>{@code acceptStatus} [200] — comma list of statuses that are not errors (overload: {@code 200,429,503}); a
 *   non-200 one is counted and timed as a refusal</li>
 *   <li>{@code shareConnections} [true] — one connection pool for all virtual users (keep-alive, as wrk and SseLoad
 *   do) instead of a connection per virtual user</li>
 * </ul>
 */
final class Params {

  private Params() {
  }

  static String str(String name, String dflt) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  static int integer(String name, int dflt) {
    return Integer.parseInt(str(name, Integer.toString(dflt)));
  }

  static double dbl(String name, double dflt) {
    return Double.parseDouble(str(name, Double.toString(dflt)));
  }

  static boolean bool(String name, boolean dflt) {
    return Boolean.parseBoolean(str(name, Boolean.toString(dflt)));
  }

  static String baseUrl() {
    return str("baseUrl", "http://127.0.0.1:8080");
  }

  static String label() {
    return str("label", "gateway");
  }

  static int[] acceptStatus() {
    return java.util.Arrays.stream(str("acceptStatus", "200").split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .mapToInt(Integer::parseInt).toArray();
  }

  /** The injection profile chosen by {@code injection}, with the given defaults. */
  static PopulationBuilder inject(ScenarioBuilder scn, String dfltMode, double dfltRate, int dfltUsers,
                                  int dfltDurationS) {
    String mode = str("injection", dfltMode);
    int durationS = integer("durationS", dfltDurationS);
    int rampS = integer("rampS", 5);
    switch (mode) {
      case "closed" -> {
        int users = integer("users", dfltUsers);
        List<ClosedInjectionStep> steps = new ArrayList<>();
        if (rampS > 0) {
          steps.add(rampConcurrentUsers(0).to(users).during(rampS));
        }
        steps.add(constantConcurrentUsers(users).during(durationS));
        return scn.injectClosed(steps);
      }
      case "rate" -> {
        double rate = dbl("rate", dfltRate);
        List<OpenInjectionStep> steps = new ArrayList<>();
        if (rampS > 0) {
          steps.add(rampUsersPerSec(1).to(rate).during(rampS));
        }
        steps.add(constantUsersPerSec(rate).during(durationS));
        return scn.injectOpen(steps);
      }
      case "steps" -> {
        double start = dbl("startRate", dfltRate / 4);
        double step = dbl("stepRate", dfltRate / 4);
        int n = integer("steps", 4);
        int level = integer("levelS", Math.max(1, durationS / n));
        return scn.injectOpen(incrementUsersPerSec(step).times(n).eachLevelLasting(level)
            .separatedByRampsLasting(1).startingFrom(start));
      }
      default -> throw new IllegalArgumentException("injection must be closed, rate or steps, not " + mode);
    }
  }
}
