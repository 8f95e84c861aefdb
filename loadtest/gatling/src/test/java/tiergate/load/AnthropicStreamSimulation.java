package tiergate.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.*;

/**
 * Anthropic Messages API streams: {@code POST /v1/messages} with {@code "stream": true}; checks status 200, the
 * {@code message_stop} event and at least {@code chunks} {@code text_delta} events; TTFT and gaps as in
 * {@link StreamingSimulation}. Model {@code -Dmodel=claude-haiku-3-5-20241022} (a gateway model routed to the
 * Anthropic provider). Default injection: open, constant rate ({@code -Drate=100 -DdurationS=30}).
 */
public class AnthropicStreamSimulation extends Simulation {

  static final String NAME = "AnthropicStreamSimulation";

  ScenarioBuilder scn = scenario("anthropic-stream").exec(Streams.stream("messages stream",
      Params.str("path", "/v1/messages"),
      "{\"model\":\"" + Params.str("model", "claude-haiku-3-5-20241022") + "\",\"max_tokens\":256,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      Streams.Format.ANTHROPIC, Map.of("anthropic-version", "2023-06-01", "x-api-key", "bench-key")));

  {
    setUp(Params.inject(scn, "rate", 100, 100, 30)).protocols(Streams.protocol());
  }

  @Override
  public void after() {
    Recorder.write(NAME);
  }
}
