package tiergate.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * Haiku traffic split between a local model and the cloud by the canary: every virtual user has its own session key
 * ({@code X-Tiergate-Session: vu-N}) and sends {@code requests} [3] non-streamed {@code "model": "tier:haiku"}
 * completions with it. The gateway runs with {@code USE_LOCAL_LLM} on, the Ollama provider pointing at the mock and
 * canary stage 50 (loadtest/gatling.sh sets that up). Saves {@code X-Tiergate-Route} of every answer and counts
 * {@code route_local} / {@code route_cloud}, and {@code session_route_changed} when one session key got different
 * routes (it should stick). Default injection: open, constant rate ({@code -Drate=100 -DdurationS=30}).
 * {@code -Dstream=true} streams the answers instead (OpenAI SSE through the gateway's translation).
 */
public class CanaryMixSimulation extends Simulation {

  static final String NAME = "CanaryMixSimulation";

  static final boolean STREAM = Params.bool("stream", false);
  static final String BODY = "{\"model\":\"" + Params.str("model", "tier:haiku") + "\",\"stream\":" + STREAM + ","
      + "\"messages\":[{\"role\":\"user\",\"content\":\"write a haiku about load tests\"}],\"metadata\":"
      + Streams.metadataJson() + "}";

  ScenarioBuilder scn = scenario("canary-mix")
      .exec(session -> session.set("sessionKey", "vu-" + session.userId() + "-" + Long.toHexString(System.nanoTime())))
      .repeat(Params.integer("requests", 3)).on(
          exec(http("haiku").post(Params.str("path", "/v1/chat/completions"))
              .header("content-type", "application/json")
              .header("X-Tiergate-Session", "#{sessionKey}")
              .body(StringBody(BODY))
              .check(status().is(200))
              .check(header("x-tiergate-route").optional().saveAs("route"))
              .check(STREAM ? substring("[DONE]") : substring("chat.completion")))
          .exec(session -> {
            if (session.isFailed()) {
              Recorder.count("error");
              return session.remove("route");
            }
            Recorder.count("ok");
            String route = session.contains("route") ? session.getString("route") : "none";
            Recorder.count("route_" + route);
            String first = session.contains("firstRoute") ? session.getString("firstRoute") : null;
            if (first == null) {
              Recorder.count("sessions_" + route);
              return session.set("firstRoute", route).remove("route");
            }
            if (!first.equals(route)) {
              Recorder.count("session_route_changed");
            }
            return session.remove("route");
          }));

  {
    setUp(Params.inject(scn, "rate", 100, 100, 30)).protocols(Streams.protocol());
  }

  @Override
  public void after() {
    Recorder.write(NAME);
  }
}
