package dev.tiergate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.admin.CanaryCli;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rollout from the command line against a running gateway: status, refused advance, set, pause, history. */
class CanaryCliTest {

  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void theRolloutRunsFromTheCli() throws Exception {
    vertx = Vertx.vertx();
    FakeUpstream fake = await(FakeUpstream.start(vertx));
    TestGateway gateway = await(TestGateway.to(fake).env("TIERGATE_ADMIN_TOKEN", "tok-123456")
        .routing(new JsonObject().put("canary", new JsonObject().put("enabled", true).put("stage", 5)))
        .start(vertx));
    Map<String, String> env = Map.of("TIERGATE_ADMIN_URL", "http://127.0.0.1:" + gateway.adminPort(),
        "TIERGATE_ADMIN_TOKEN", "tok-123456");

    CanaryCli.Run status = CanaryCli.run(env, "status");
    assertEquals(0, status.exitCode(), status.err());
    assertTrue(status.out().contains("stage 5"), status.out());

    CanaryCli.Run advance = CanaryCli.run(env, "advance");
    assertEquals(1, advance.exitCode(), "an advance without passing gates is refused");
    assertTrue(advance.err().contains("inconclusive"), advance.err());

    assertEquals(0, CanaryCli.run(env, "set", "25").exitCode());
    assertEquals(0, CanaryCli.run(env, "pause", "--reason", "holiday").exitCode());
    CanaryCli.Run json = CanaryCli.run(env, "status", "--json");
    assertEquals("paused", new JsonObject(json.out()).getString("status"));
    assertEquals(25, new JsonObject(json.out()).getInteger("stage"));

    CanaryCli.Run quality = CanaryCli.run(env, "quality");
    assertTrue(quality.out().contains("error_rate") && quality.out().contains("INCONCLUSIVE"), quality.out());
    CanaryCli.Run history = CanaryCli.run(env, "history");
    assertTrue(history.out().contains("pause") && history.out().contains("holiday"), history.out());

    CanaryCli.Run unauthorized = CanaryCli.run(Map.of("TIERGATE_ADMIN_URL", env.get("TIERGATE_ADMIN_URL")), "status");
    assertEquals(1, unauthorized.exitCode(), "the admin token is required");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
