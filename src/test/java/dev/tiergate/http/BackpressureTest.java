package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Fixture;
import dev.tiergate.support.Http;
import dev.tiergate.support.OpenAiFrames;
import dev.tiergate.support.Scenarios;
import dev.tiergate.support.Scenarios.FloodProbe;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A slow client pauses the upstream: while the client does not read, the fake upstream's write queue fills up (the
 * gateway stopped reading it instead of buffering), and it drains only after the client resumes. Modelled on
 * vertx-http-proxy's ProxyRequestTest.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class BackpressureTest {

  private static final int MAX_FRAMES = 100_000;

  private FakeUpstream fake;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx, gw -> gw.timeouts(10_000, 10_000, 60_000))
        .onSuccess(f -> {
          fake = f.fake();
          gateway = f.gateway();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPausedClientPausesTheUpstreamAndResumingDrainsIt(Vertx vertx, VertxTestContext ctx) {
    String frame = OpenAiFrames.chunk(new JsonObject().put("content", "x".repeat(1000)), null);
    FloodProbe probe = new FloodProbe();
    fake.answer(Scenarios.flood(frame, MAX_FRAMES, probe));
    vertx.createHttpClient()
        .request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.port())
            .setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
        .compose(request -> request.send(Http.chat("gpt-4o", true)))
        .onComplete(ctx.succeeding(response -> {
          response.pause();
          Buffer received = Buffer.buffer();
          response.handler(received::appendBuffer);
          long[] last = {-1};
          int[] stillChecks = {0};
          vertx.setPeriodic(100, timer -> ctx.verify(() -> {
            assertFalse(probe.finished(), "the upstream wrote the whole stream while the client was paused");
            long written = probe.framesWritten();
            stillChecks[0] = probe.queueFull() && written == last[0] ? stillChecks[0] + 1 : 0;
            last[0] = written;
            if (stillChecks[0] < 3) {
              return;
            }
            // The upstream has been blocked for 300 ms: the gateway stopped reading it. What sits in between is
            // socket buffers and bounded write queues, far below the stream's size.
            vertx.cancelTimer(timer);
            assertTrue(written * frame.length() < 64L * 1024 * 1024, "buffered " + written + " frames");
            response.endHandler(end -> ctx.verify(() -> {
              assertTrue(probe.finished());
              assertTrue(received.toString().endsWith("data: [DONE]\n\n"));
              assertEquals((long) MAX_FRAMES * frame.length() + "data: [DONE]\n\n".length(), received.length());
              ctx.completeNow();
            }));
            response.resume();
          }));
        }));
  }
}
