package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Airgap and privacy end to end: whatever a client asks, the cloud fakes receive nothing they must not; and the
 * admin API explains a decision. Cloud providers {@code fake} and {@code backup}; local provider {@code box} serves
 * {@code local-model} (haiku).
 */
class PolicyEndToEndTest {

  private static final String PRIVATE = "Patient record: SSN 123-45-6789, please summarise";

  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    TranslationMatrixTest.await(vertx.close());
  }

  @Test
  void airgapNeverReachesTheCloudWhateverTheHints() throws Exception {
    Setup s = start(new JsonObject().put("airgap", true), true);
    List<Integer> statuses = new ArrayList<>();
    statuses.add(post(s, "auto", "hello").status());
    statuses.add(post(s, "tier:haiku", "hello").status());
    statuses.add(post(s, "tier:sonnet", "hello").status());
    statuses.add(post(s, "gpt-4o", "hello").status());
    statuses.add(post(s, "tier:opus", "hello").status());
    statuses.add(post(s, "purpose:security", "hello").status());
    statuses.add(TranslationMatrixTest.await(s.http.post("/v1/chat/completions", Http.chat("auto", false),
        "x-tiergate-provider", "fake")).status());
    assertEquals(List.of(200, 200, 200, 403, 503, 503, 403), statuses);
    assertEquals(0, s.cloud.requests().size() + s.backup.requests().size(), "a cloud fake was called");
    assertEquals(3, s.local.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).count());
    JsonArray providers = TranslationMatrixTest.await(s.admin.get("/admin/providers")).json()
        .getJsonArray("providers");
    for (Object entry : providers) {
      JsonObject provider = (JsonObject) entry;
      if (!provider.getBoolean("local")) {
        assertEquals("skipped", provider.getJsonObject("health").getString("status"), provider.encode());
      }
    }
  }

  @Test
  void privatePromptsAreServedLocallyOnly() throws Exception {
    Setup s = start(new JsonObject(), false);
    Http.Response answer = post(s, "auto", PRIVATE);
    assertEquals(200, answer.status());
    assertEquals("local", answer.headers().get("x-tiergate-route"));
    assertEquals(403, post(s, "gpt-4o", PRIVATE).status(), "a cloud pin for a private prompt is refused");
    assertEquals(0, s.cloud.requests().size());
    assertEquals(200, post(s, "auto", "What is the capital of France?").status());
    assertEquals(1, s.cloud.requests().size(), "ordinary prompts still go to the cloud");
    assertTrue(s.cloud.requests().stream().noneMatch(r -> r.body().encode().contains("123-45-6789")));
  }

  @Test
  void theAdminApiExplainsADecision() throws Exception {
    Setup s = start(new JsonObject().put("useLocal", true), false);
    JsonObject security = TranslationMatrixTest.await(s.admin.get("/admin/route?model=auto&purpose=security"))
        .json();
    assertEquals("opus", security.getString("tier"));
    assertEquals("cloud", security.getString("route"));
    assertTrue(security.getJsonArray("reasons").encode().contains("purpose 'security'"), security.encode());
    JsonObject haiku = TranslationMatrixTest.await(s.admin.get("/admin/route?model=tier:haiku")).json();
    assertEquals("local", haiku.getString("route"));
    assertEquals("local-model", haiku.getJsonArray("chain").getJsonObject(0).getString("model"));
    JsonObject refused = TranslationMatrixTest.await(s.admin.get(
        "/admin/route?model=gpt-4o&prompt=" + URLEncoder.encode(PRIVATE, StandardCharsets.UTF_8))).json();
    assertEquals(403, refused.getJsonObject("refused").getInteger("status"));
    assertEquals(0, s.cloud.requests().size() + s.local.requests().size(), "explaining sends nothing");
  }

  private record Setup(FakeUpstream cloud, FakeUpstream backup, FakeUpstream local, Http http, Http admin) {
  }

  private Setup start(JsonObject routing, boolean healthChecks) throws Exception {
    vertx = Vertx.vertx();
    FakeUpstream cloud = TranslationMatrixTest.await(FakeUpstream.start(vertx));
    FakeUpstream backup = TranslationMatrixTest.await(FakeUpstream.start(vertx));
    FakeUpstream local = TranslationMatrixTest.await(FakeUpstream.start(vertx));
    JsonObject policy = new JsonObject().put("classify", false).put("localModels", new JsonObject()
        .put("haiku", "local-model")).put("privacyPatterns", new JsonArray().add("ssn=\\b\\d{3}-\\d{2}-\\d{4}\\b"))
        .mergeIn(routing);
    TestGateway gateway = TestGateway.to(cloud, backup)
        .provider("box", new JsonObject().put("family", "openai-compatible").put("local", true)
            .put("baseUrl", local.baseUrl()))
        .model("local-model", new JsonObject().put("provider", "box").put("tier", "haiku"))
        .routing(policy);
    if (healthChecks) {
      gateway.healthEveryMs(60_000);
    }
    TranslationMatrixTest.await(gateway.start(vertx));
    Future<Void> settled = healthChecks ? settle(new Http(vertx, gateway.adminPort())) : Future.succeededFuture();
    TranslationMatrixTest.await(settled);
    return new Setup(cloud, backup, local, new Http(vertx, gateway.port()), new Http(vertx, gateway.adminPort()));
  }

  /** Waits until every provider was checked once. */
  private Future<Void> settle(Http admin) {
    return admin.get("/admin/providers").compose(r -> {
      boolean done = r.json().getJsonArray("providers").stream().map(JsonObject.class::cast)
          .noneMatch(p -> p.getJsonObject("health").getString("status").equals("unknown"));
      return done ? Future.<Void>succeededFuture() : settle(admin);
    });
  }

  private static Http.Response post(Setup s, String model, String prompt) throws Exception {
    String body = new JsonObject().put("model", model).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", prompt))).encode();
    return TranslationMatrixTest.await(s.http.post("/v1/chat/completions", body));
  }
}
