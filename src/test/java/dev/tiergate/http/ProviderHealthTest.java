package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.OllamaTranscripts;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Provider health checks run off the request path: each family's model-list GET with its own credentials, a cloud
 * provider without a key is never called, Ollama's tags tell which local models exist, and readiness follows.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ProviderHealthTest {

  @Test
  void everyFamilyIsCheckedWithItsOwnCredentials(Vertx vertx, VertxTestContext ctx) {
    FakeUpstream.start(vertx).compose(fake -> {
      fake.answer(Scenarios.status(200, OllamaTranscripts.tags()));
      return TestGateway.to(fake).withEveryFamily(fake).healthEveryMs(60_000)
          .provider("keyless-cloud", new JsonObject().put("family", "anthropic")
              .put("baseUrl", "http://127.0.0.1:" + fake.port()).put("allowPrivateNetwork", true))
          .start(vertx)
          .compose(gateway -> providersWhen(vertx, gateway, all -> all.size() == 8
              && all.values().stream().noneMatch(p -> p.getString("status").equals("unknown"))))
          .map(providers -> {
            ctx.verify(() -> {
              for (String name : new String[] {"p-openai", "p-anthropic", "p-ollama", "p-gemini", "p-cohere"}) {
                assertEquals("up", providers.get(name).getString("status"), name);
              }
              assertEquals("skipped", providers.get("keyless-cloud").getString("status"));
              assertEquals(new JsonArray().add("llama3.2:latest").add("qwen3:8b"),
                  providers.get("p-ollama").getJsonArray("models"));
              Map<String, FakeUpstream.Recorded> byPath = new HashMap<>();
              fake.requests().forEach(r -> byPath.put(r.path(), r));
              // OpenAI-compatible and Cohere send a bearer key; Anthropic its x-api-key and version; Gemini a header.
              assertTrue(fake.requests().stream().anyMatch(r -> r.path().equals("/v1/models")
                  && ("Bearer " + TestGateway.UPSTREAM_KEY).equals(r.headers().get("authorization"))));
              assertTrue(fake.requests().stream().anyMatch(r -> r.path().equals("/v1/models")
                  && TestGateway.UPSTREAM_KEY.equals(r.headers().get("x-api-key"))
                  && r.headers().get("anthropic-version") != null));
              assertEquals(TestGateway.UPSTREAM_KEY, byPath.get("/v1beta/models").headers().get("x-goog-api-key"));
              assertTrue(byPath.containsKey("/api/tags"));
              assertTrue(fake.requests().stream().noneMatch(r -> r.path().contains(TestGateway.UPSTREAM_KEY)));
              assertTrue(fake.requests().stream().allMatch(r -> r.body().isEmpty()), "checks are GETs");
            });
            return fake;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void readinessFailsWhenNoProviderAnswers(Vertx vertx, VertxTestContext ctx) {
    FakeUpstream.start(vertx).compose(fake -> {
      fake.answer(Scenarios.status(503, "{\"error\":{\"message\":\"down\"}}"));
      return TestGateway.to(fake).healthEveryMs(60_000).start(vertx)
          .compose(gateway -> providersWhen(vertx, gateway, all -> all.values().stream()
              .allMatch(p -> p.getString("status").equals("down")))
              .compose(providers -> new Http(vertx, gateway.port()).get("/readyz"))
              .map(ready -> {
                ctx.verify(() -> {
                  assertEquals(503, ready.status());
                  assertEquals("no_provider_up", ready.json().getString("status"));
                });
                return ready;
              }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void readinessHoldsWhileOneProviderAnswers(Vertx vertx, VertxTestContext ctx) {
    FakeUpstream.start(vertx).compose(fake -> {
      fake.answer(Scenarios.status(200, "{\"object\":\"list\",\"data\":[]}"));
      return TestGateway.to(fake).healthEveryMs(60_000)
          .provider("gone", new JsonObject().put("family", "ollama").put("local", true)
              .put("baseUrl", "http://127.0.0.1:9"))
          .start(vertx)
          .compose(gateway -> providersWhen(vertx, gateway, all -> all.size() == 3
              && all.values().stream().noneMatch(p -> p.getString("status").equals("unknown")))
              .compose(providers -> {
                ctx.verify(() -> {
                  assertEquals("down", providers.get("gone").getString("status"));
                  assertFalse(providers.get("gone").getString("detail").isBlank());
                  assertEquals("up", providers.get("fake").getString("status"));
                });
                return new Http(vertx, gateway.port()).get("/readyz");
              })
              .map(ready -> {
                ctx.verify(() -> assertEquals(200, ready.status()));
                return ready;
              }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** Polls {@code /admin/providers} until the health entries satisfy {@code done}. */
  private static Future<Map<String, JsonObject>> providersWhen(Vertx vertx, TestGateway gateway,
                                                               Predicate<Map<String, JsonObject>> done) {
    Promise<Map<String, JsonObject>> promise = Promise.promise();
    poll(vertx, new Http(vertx, gateway.adminPort()), done, promise, 200);
    return promise.future();
  }

  private static void poll(Vertx vertx, Http admin, Predicate<Map<String, JsonObject>> done,
                           Promise<Map<String, JsonObject>> promise, int triesLeft) {
    admin.get("/admin/providers").onComplete(ar -> {
      Map<String, JsonObject> health = new HashMap<>();
      if (ar.succeeded()) {
        for (Object entry : ar.result().json().getJsonArray("providers")) {
          JsonObject provider = (JsonObject) entry;
          health.put(provider.getString("name"), provider.getJsonObject("health"));
        }
      }
      if (ar.succeeded() && done.test(health)) {
        promise.complete(health);
      } else if (triesLeft == 0) {
        promise.fail("health never settled: " + health);
      } else {
        vertx.setTimer(25, id -> poll(vertx, admin, done, promise, triesLeft - 1));
      }
    });
  }
}
