package tiergate.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * Non-streamed OpenAI chat completions at a constant arrival rate ({@code -Drate=1000 -DdurationS=30}, after a
 * {@code rampS} ramp). Checks status 200 and a {@code chat.completion} body. Latency percentiles are Gatling's own
 * (stats.json of the report); status counts go to {@link Recorder}. With {@code -DacceptStatus=200,429,503} refusals
 * are not errors but counted ({@code status_*}, {@code refused_with_retry_after}) and timed ({@code refused_ms}); {@code ok_ms} is the latency of the answered ones, measured around the
 * request with System.nanoTime (µs resolution; Gatling itself reports whole milliseconds).
 */
public class NonStreamingSimulation extends Simulation {

  static final String NAME = "NonStreamingSimulation";

  /** One non-streamed completion named {@code name}, judged and counted with prefix {@code prefix}. */
  static ChainBuilder chat(String name, String prefix, int[] acceptStatus) {
    String body = "{\"model\":\"" + Params.str("model", "gpt-4o") + "\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    Integer[] accept = java.util.Arrays.stream(acceptStatus).boxed().toArray(Integer[]::new);
    return exec(session -> session.set("t0", System.nanoTime()).remove("status").remove("retryAfter"))
        .exec(http(name).post(Params.str("path", "/v1/chat/completions"))
            .header("content-type", "application/json").body(StringBody(body))
            .check(status().in(accept).saveAs("status"))
            .check(header("retry-after").optional().saveAs("retryAfter"))
            .checkIf(session -> session.contains("status") && session.getInt("status") == 200)
            .then(substring("chat.completion")))
        .exec(session -> {
          long t0 = session.getLong("t0");
          long nanos = System.nanoTime() - t0;
          boolean measured = Recorder.measured(t0);
          int status = session.contains("status") ? session.getInt("status") : 0;
          Recorder.count(prefix + (status == 0 ? "error_connect" : "status_" + status));
          if (status == 200 && !session.isFailed()) {
            Recorder.count(prefix + "ok");
            if (measured) {
              Recorder.recordNanos(prefix + "ok_ms", nanos);
            }
          } else if (status != 0 && status != 200) {
            Recorder.count(prefix + (session.contains("retryAfter") ? "refused_with_retry_after"
                : "refused_without_retry_after"));
            if (measured) {
              Recorder.recordNanos(prefix + "refused_ms", nanos);
            }
          }
          return session;
        });
  }

  ScenarioBuilder scn = scenario("openai-chat").exec(chat("chat", "", Params.acceptStatus()));

  {
    setUp(Params.inject(scn, "rate", 1000, 100, 30)).protocols(Streams.protocol());
  }

  @Override
  public void after() {
    Recorder.write(NAME);
  }
}
