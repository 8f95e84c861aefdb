package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.Fixture;
import dev.tiergate.support.Http;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The non-completion endpoints, routing hints and response headers, and the admin port. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ApiEndpointsTest {

  private static final String ADMIN_TOKEN = "admin-token-0123456789";

  @Test
  void healthReadinessAndModels(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx)
        .compose(f -> Future.all(f.http().get("/healthz"), f.http().get("/readyz"), f.http().get("/v1/models")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Http.Response health = all.resultAt(0);
          Http.Response ready = all.resultAt(1);
          Http.Response models = all.resultAt(2);
          assertEquals(200, health.status());
          assertEquals("ok", health.json().getString("status"));
          assertEquals(200, ready.status());
          assertEquals("ready", ready.json().getString("status"));
          assertEquals("list", models.json().getString("object"));
          JsonArray data = models.json().getJsonArray("data");
          List<String> ids = data.stream().map(m -> ((JsonObject) m).getString("id")).toList();
          assertTrue(ids.containsAll(List.of("auto", "tier:haiku", "tier:sonnet", "tier:opus", "gpt-4o",
              "backup-model", "chained")), ids.toString());
          JsonObject gpt = data.stream().map(JsonObject.class::cast).filter(m -> m.getString("id").equals("gpt-4o"))
              .findFirst().orElseThrow();
          assertEquals("fake", gpt.getString("owned_by"));
          assertEquals("model", gpt.getString("object"));
          ctx.completeNow();
        })));
  }

  @Test
  void tierHintRequestIdAndRoutingHeaders(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx).compose(f -> Future.all(
            f.http().post("/v1/chat/completions", Http.chat("auto", false), "x-tiergate-tier", "haiku",
                "x-request-id", "trace-42"),
            f.http().post("/v1/chat/completions", Http.chat("purpose:security", false), "x-request-id", "bad id!")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Http.Response hinted = all.resultAt(0);
          Http.Response byPurpose = all.resultAt(1);
          assertEquals(200, hinted.status());
          assertEquals("haiku", hinted.headers().get("x-tiergate-tier"));
          assertEquals("cloud", hinted.headers().get("x-tiergate-route"));
          assertEquals("trace-42", hinted.headers().get("x-request-id"));
          assertEquals("opus", byPurpose.headers().get("x-tiergate-tier"));
          String generated = byPurpose.headers().get("x-request-id");
          assertTrue(generated.startsWith("tg-"), generated);
          assertNotEquals("bad id!", generated);
          ctx.completeNow();
        })));
  }

  @Test
  void prometheusCountsCompletedRequests(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx).compose(f -> f.http().post("/v1/chat/completions", Http.chat("gpt-4o", true))
            .compose(r -> eventually(vertx, new Http(vertx, f.gateway().adminPort()), "tiergate_requests_total{")))
        .onComplete(ctx.succeeding(scrape -> ctx.verify(() -> {
          String line = scrape.lines().filter(l -> l.startsWith("tiergate_requests_total{")).findFirst().orElseThrow();
          assertTrue(line.contains("provider=\"fake\""), line);
          assertTrue(line.contains("status=\"200\""), line);
          assertTrue(line.contains("stream=\"true\""), line);
          assertTrue(line.endsWith(" 1.0"), line);
          assertTrue(scrape.contains("tiergate_ttft_seconds_count"), "ttft timer missing");
          assertTrue(scrape.contains("tiergate_tokens_total{"), "token counter missing");
          ctx.completeNow();
        })));
  }

  @Test
  void adminStatusAnswersLoopbackWithoutTokenAndNeverShowsKeys(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx).compose(f -> new Http(vertx, f.gateway().adminPort()).get("/admin/status"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.status());
          JsonObject body = r.json();
          assertEquals("ok", body.getString("status"));
          assertEquals(3, body.getInteger("models"));
          JsonObject fake = body.getJsonArray("providers").stream().map(JsonObject.class::cast)
              .filter(p -> p.getString("name").equals("fake")).findFirst().orElseThrow();
          assertTrue(fake.getBoolean("keyConfigured"));
          assertFalse(r.text().contains(TestGateway.UPSTREAM_KEY));
          ctx.completeNow();
        })));
  }

  @Test
  void adminTokenIsRequiredWhenConfigured(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx, gw -> gw.env("TIERGATE_ADMIN_TOKEN", ADMIN_TOKEN))
        .compose(f -> {
          Http admin = new Http(vertx, f.gateway().adminPort());
          return Future.all(admin.get("/admin/status"), admin.get("/admin/status", "authorization", "Bearer nope"),
              admin.get("/admin/status", "authorization", "Bearer " + ADMIN_TOKEN), admin.get("/metrics"));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(401, ((Http.Response) all.resultAt(0)).status());
          assertEquals(401, ((Http.Response) all.resultAt(1)).status());
          assertEquals(200, ((Http.Response) all.resultAt(2)).status());
          assertEquals(200, ((Http.Response) all.resultAt(3)).status());
          ctx.completeNow();
        })));
  }

  /** The metrics verticle counts asynchronously: scrape until {@code needle} shows up (bounded by the test timeout). */
  private static Future<String> eventually(Vertx vertx, Http admin, String needle) {
    Promise<String> found = Promise.promise();
    vertx.setPeriodic(20, timer -> admin.get("/metrics").onSuccess(r -> {
      if (r.text().contains(needle) && found.tryComplete(r.text())) {
        vertx.cancelTimer(timer);
      }
    }));
    return found.future();
  }
}
