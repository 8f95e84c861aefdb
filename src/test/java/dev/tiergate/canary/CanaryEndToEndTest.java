package dev.tiergate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.bus.Addresses;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The canary end to end, through the admin API: at stage 50 a local fake starts failing, the gates roll the canary
 * back on their own (admin state, audit row, bus event), and every following eligible request goes to the cloud fake.
 * Sessions with known buckets (BucketHashTest): {@code user-42} + {@code SECURITY} → 21, {@code session-1} → 94.
 */
class CanaryEndToEndTest {

  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void aFailingLocalModelIsRolledBackAutomatically() throws Exception {
    vertx = Vertx.vertx();
    FakeUpstream cloud = await(FakeUpstream.start(vertx));
    FakeUpstream local = await(FakeUpstream.start(vertx));
    cloud.answer(Scenarios.completion("from the cloud"));
    local.answer(Scenarios.completion("from the box"));
    JsonObject routing = new JsonObject().put("classify", false).put("useLocal", true)
        .put("localModels", new JsonObject().put("haiku", "local-model"))
        .put("canary", new JsonObject().put("enabled", true).put("stage", 50));
    TestGateway gateway = await(TestGateway.to(cloud)
        .provider("box", new JsonObject().put("family", "openai-compatible").put("local", true)
            .put("baseUrl", local.baseUrl()))
        .model("local-model", new JsonObject().put("provider", "box").put("tier", "haiku"))
        .routing(routing).start(vertx));
    Http http = new Http(vertx, gateway.port());
    Http admin = new Http(vertx, gateway.adminPort());
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.CANARY_EVENTS, m -> events.add(m.body()));

    assertEquals(50, await(admin.get("/admin/canary")).json().getInteger("stage"));
    Http.Response inBucket = await(chat(http, "user-42", "SECURITY"));
    assertEquals("local", inBucket.headers().get("x-tiergate-route"));
    assertEquals("21", inBucket.headers().get("x-tiergate-bucket"));
    assertEquals("cloud", await(chat(http, "session-1", null)).headers().get("x-tiergate-route"));

    local.answer(Scenarios.status(500, OpenAiFrames.error("model crashed", "server_error")));
    for (int i = 0; i < 3; i++) {
      // Each is rescued by the cloud fallback, but failed on the local arm.
      assertEquals(200, await(chat(http, "user-42", "SECURITY")).status());
    }
    JsonObject state = await(until(() -> admin.get("/admin/canary"),
        r -> "rolled_back".equals(r.json().getString("status")))).json();
    assertEquals(0, state.getInteger("effectiveStage"));
    JsonArray history = await(admin.get("/admin/canary/history")).json().getJsonArray("history");
    JsonObject rollback = history.getJsonObject(0);
    assertEquals("rollback", rollback.getString("action"));
    assertEquals("gates", rollback.getString("actor"));
    assertTrue(rollback.getString("reason").contains("consecutive_failures"), rollback.encode());
    assertEquals(50, rollback.getInteger("fromStage"));
    await(until(() -> Future.succeededFuture(null), r -> events.size() == 1));
    assertEquals("rollback", events.getFirst().getString("action"));

    int localCalls = local.requests().size();
    Http.Response after = await(chat(http, "user-42", "SECURITY"));
    assertEquals("cloud", after.headers().get("x-tiergate-route"));
    assertEquals(localCalls, local.requests().size(), "eligible traffic goes to the cloud after the rollback");

    Http.Response refused = await(admin.post("/admin/canary/advance", "{}"));
    assertEquals(409, refused.status(), "a rolled-back canary does not advance");
    assertEquals(200, await(admin.post("/admin/canary/resume", "{\"reason\":\"fixed\"}")).status());
    assertEquals(200, await(admin.post("/admin/canary/set", "{\"stage\":25}")).status());
    assertEquals(25, await(admin.get("/admin/canary")).json().getInteger("effectiveStage"));
    assertEquals(3, await(admin.get("/admin/canary/history")).json().getJsonArray("history").size());
  }

  private static Future<Http.Response> chat(Http http, String session, String subAgent) {
    return subAgent == null
        ? http.post("/v1/chat/completions", Http.chat("tier:haiku", false), "x-tiergate-session", session)
        : http.post("/v1/chat/completions", Http.chat("tier:haiku", false), "x-tiergate-session", session,
            "x-tiergate-sub-agent", subAgent);
  }

  private <T> Future<T> until(Supplier<Future<T>> call, Predicate<T> done) {
    Promise<T> result = Promise.promise();
    poll(call, done, result);
    return result.future();
  }

  private <T> void poll(Supplier<Future<T>> call, Predicate<T> done, Promise<T> result) {
    call.get().onComplete(ar -> {
      if (ar.succeeded() && done.test(ar.result())) {
        result.tryComplete(ar.result());
      } else {
        vertx.setTimer(25, id -> poll(call, done, result));
      }
    });
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
