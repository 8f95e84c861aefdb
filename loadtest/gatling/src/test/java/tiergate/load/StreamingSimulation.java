package tiergate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI chat completions with {@code "stream": true} over Gatling's SSE support. Default injection: open, the
 * arrival rate rising in steps ({@code -Dinjection=steps -DstartRate=50 -DstepRate=50 -Dsteps=4 -DlevelS=10});
 * {@code -Dinjection=closed -Dusers=10000} holds that many concurrent streams (the streams10k scenario).
 * Model: {@code -Dmodel=gpt-4o}. Checks: status 200, the {@code [DONE]} message, at least {@code chunks} content
 * chunks; TTFT and chunk gaps recorded by {@link Streams} / {@link Recorder}.
 *
 * <p>Overload: {@code -DprobeRate=N} adds a second scenario, non-streamed completions at N/s for the same time that
 * accept 200, 429 and 503 and count the refusals, their {@code Retry-After} and latency (counters prefixed
 * {@code probe_}) — Gatling's SSE connect cannot check a status or a header, a plain request can.
 */
public class StreamingSimulation extends Simulation {

  static final String NAME = "StreamingSimulation";

  ScenarioBuilder scn = scenario("openai-stream").exec(Streams.stream("chat stream",
      Params.str("path", "/v1/chat/completions"),
      "{\"model\":\"" + Params.str("model", "gpt-4o") + "\",\"stream\":true,"
          + "\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":" + Streams.metadataJson() + "}",
      Streams.Format.OPENAI, Map.of()));

  {
    List<PopulationBuilder> populations = new ArrayList<>();
    populations.add(Params.inject(scn, "steps", 200, 1000, 40));
    double probeRate = Params.dbl("probeRate", 0);
    if (probeRate > 0) {
      ScenarioBuilder probe = scenario("refusal-probe")
          .exec(NonStreamingSimulation.chat("probe chat", "probe_", new int[] {200, 429, 503}));
      populations.add(probe.injectOpen(constantUsersPerSec(probeRate)
          .during(Params.integer("rampS", 5) + Params.integer("durationS", 40))));
    }
    setUp(populations).protocols(Streams.protocol());
  }

  @Override
  public void after() {
    Recorder.write(NAME);
  }
}
