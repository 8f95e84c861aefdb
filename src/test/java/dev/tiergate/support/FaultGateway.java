package dev.tiergate.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A real gateway in front of one {@link FaultUpstream}, for the fault-conformance suite: providers
 * {@code fault-openai}, {@code fault-anthropic} and {@code fault-ollama} (one per wire family) all reach the fake, and
 * model {@code oa-<fault>}, {@code an-<fault>} or {@code ol-<fault>} asks the matching provider for upstream model
 * {@code <fault>}; {@code oa-<fault>-then-an-ok} falls back to {@code an-ok}. The Anthropic and Ollama models are
 * marked {@code prefill}, as those APIs continue a trailing assistant message; the OpenAI ones are not.
 */
public final class FaultGateway {

  public static final long FIRST_BYTE_MS = 1000;
  public static final long IDLE_MS = 600;
  public static final long MAX_STREAM_MS = 20_000;
  public static final int ATTEMPTS = 3;
  public static final int BREAKER_FAILURES = 2;
  public static final long BREAKER_RESET_MS = 1000;
  /** The fallback of the {@code -then-an-ok} chains. */
  public static final String FALLBACK = "an-ok";

  private FaultGateway() {
  }

  /** Starts the gateway of {@link #configure}. */
  public static Future<TestGateway> start(Vertx vertx, FaultUpstream fault, List<List<String>> chains) {
    return configure(fault, chains).start(vertx);
  }

  /**
   * The gateway, not yet started.
   *
   * @param chains extra models: key, provider, upstream fault, then the fallback keys
   */
  public static TestGateway configure(FaultUpstream fault, List<List<String>> chains) {
    TestGateway gateway = TestGateway.at(fault.root() + "/v1").routing(routing())
        .timeouts(FIRST_BYTE_MS, IDLE_MS, MAX_STREAM_MS);
    providers(fault.root()).forEach(p -> gateway.provider(p.getKey(), (JsonObject) p.getValue()));
    models().forEach(m -> gateway.model(m.getKey(), (JsonObject) m.getValue()));
    for (List<String> chain : chains) {
      gateway.model(chain.get(0), model(chain.get(1), chain.get(2))
          .put("fallbacks", new JsonArray(List.copyOf(chain.subList(3, chain.size())))));
    }
    return gateway;
  }

  /** Small delays; breakers that open after {@value #BREAKER_FAILURES} failed calls. */
  static JsonObject routing() {
    return new JsonObject().put("classify", false).put("resilience", new JsonObject().put("chainDeadlineMs", 10_000)
        .put("maxAttemptsPerTarget", ATTEMPTS).put("baseDelayMs", 10).put("maxDelayMs", 40)
        .put("retryAfterCapMs", 3000).put("breakerMaxFailures", BREAKER_FAILURES)
        .put("breakerResetMs", BREAKER_RESET_MS).put("breakerWindowMs", 5000));
  }

  private static JsonObject providers(String root) {
    return new JsonObject()
        .put("fault-openai", provider("openai-compatible", root + "/v1"))
        .put("fault-anthropic", provider("anthropic", root))
        .put("fault-ollama", provider("ollama", root));
  }

  private static JsonObject models() {
    JsonObject models = new JsonObject();
    for (String name : FaultUpstream.MODELS) {
      models.put("oa-" + name, model("fault-openai", name));
      models.put("an-" + name, model("fault-anthropic", name));
      models.put("ol-" + name, model("fault-ollama", name));
      models.put("oa-" + name + "-then-" + FALLBACK, model("fault-openai", name)
          .put("fallbacks", new JsonArray().add(FALLBACK)));
    }
    return models;
  }

  private static JsonObject provider(String family, String baseUrl) {
    return new JsonObject().put("family", family).put("baseUrl", baseUrl).put("apiKeyEnv", "FAKE_KEY")
        .put("allowPrivateNetwork", true);
  }

  private static JsonObject model(String provider, String upstreamModel) {
    JsonObject model = new JsonObject().put("provider", provider).put("upstreamModel", upstreamModel)
        .put("tier", "sonnet");
    return provider.equals("fault-openai") ? model : model.put("prefill", true);
  }
}
