package dev.tiergate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.provider.Breakers.Attempt;
import dev.tiergate.provider.Breakers.BreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The breaker's state machine as the gateway drives it. Steps run as tasks on one event-loop context: an outcome is
 * applied one tick after it is reported, so the next step (queued after it) sees it. The reset timeout is waited for by
 * polling with a Vert.x timer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class BreakersTest {

  private static final String P = "openai";
  private static final String M = "gpt-4o";
  private static final BreakerConfig FAST = new BreakerConfig(3, 200, 10_000);

  private Vertx vertx;
  private Context loop;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
  }

  @Test
  void opensAfterMaxFailuresAndSkipsTheTarget(VertxTestContext ctx) {
    Breakers breakers = new Breakers(vertx, new BreakerConfig(3, 60_000, 10_000), null);
    step(() -> failTimes(breakers, 2))
        .compose(v -> step(() -> {
          assertEquals("closed", breakers.states().get(P + "/" + M));
          assertTrue(breakers.allows(P, M));
          failTimes(breakers, 1);
        }))
        .compose(v -> step(() -> {
          assertEquals("open", breakers.states().get(P + "/" + M));
          assertFalse(breakers.allows(P, M));
          Attempt refused = breakers.begin(P, M);
          assertFalse(refused.admitted());
          refused.succeeded();
        }))
        .compose(v -> step(() -> {
          assertEquals("open", breakers.states().get(P + "/" + M), "a refused attempt reports nothing");
          assertTrue(breakers.allows("anthropic", M), "other targets are not affected");
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void halfOpenLetsExactlyOneProbeThroughAndClosesOnSuccess(VertxTestContext ctx) {
    Breakers breakers = new Breakers(vertx, FAST, null);
    Attempt[] probe = new Attempt[1];
    step(() -> failTimes(breakers, 3))
        .compose(v -> until(() -> "half_open".equals(breakers.states().get(P + "/" + M))))
        .compose(v -> step(() -> {
          assertTrue(breakers.allows(P, M));
          probe[0] = breakers.begin(P, M);
          assertTrue(probe[0].admitted());
          assertTrue(probe[0].probe());
          assertFalse(breakers.allows(P, M), "the probe is in flight");
          assertFalse(breakers.begin(P, M).admitted());
          assertFalse(breakers.begin(P, M).admitted());
          probe[0].succeeded();
        }))
        .compose(v -> step(() -> {
          assertEquals("closed", breakers.states().get(P + "/" + M));
          assertTrue(breakers.allows(P, M));
          Attempt next = breakers.begin(P, M);
          assertTrue(next.admitted());
          assertFalse(next.probe());
          next.succeeded();
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aFailedProbeOpensAgainAndProbesAfterAnotherResetTimeout(VertxTestContext ctx) {
    Breakers breakers = new Breakers(vertx, FAST, null);
    step(() -> failTimes(breakers, 3))
        .compose(v -> until(() -> "half_open".equals(breakers.states().get(P + "/" + M))))
        .compose(v -> step(() -> breakers.begin(P, M).failed()))
        .compose(v -> step(() -> {
          assertEquals("open", breakers.states().get(P + "/" + M));
          assertFalse(breakers.allows(P, M));
        }))
        .compose(v -> until(() -> breakers.allows(P, M)))
        .compose(v -> step(() -> {
          assertEquals("half_open", breakers.states().get(P + "/" + M));
          Attempt probe = breakers.begin(P, M);
          assertTrue(probe.admitted() && probe.probe(), "a new half-open period has a new probe slot");
          probe.succeeded();
        }))
        .compose(v -> step(() -> assertEquals("closed", breakers.states().get(P + "/" + M))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anAbandonedProbeOpensAgainRatherThanHoldingTheSlot(VertxTestContext ctx) {
    Breakers breakers = new Breakers(vertx, FAST, null);
    step(() -> failTimes(breakers, 3))
        .compose(v -> until(() -> "half_open".equals(breakers.states().get(P + "/" + M))))
        .compose(v -> step(() -> breakers.begin(P, M).abandoned()))
        .compose(v -> step(() -> assertEquals("open", breakers.states().get(P + "/" + M))))
        .compose(v -> until(() -> breakers.allows(P, M)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void abandonedAttemptsCountNothingAndASuccessClearsTheFailures(VertxTestContext ctx) {
    Breakers breakers = new Breakers(vertx, FAST, null);
    step(() -> {
      failTimes(breakers, 2);
      for (int i = 0; i < 10; i++) {
        breakers.begin(P, M).abandoned();
      }
    })
        .compose(v -> step(() -> {
          assertEquals("closed", breakers.states().get(P + "/" + M));
          breakers.begin(P, M).succeeded();
        }))
        .compose(v -> step(() -> failTimes(breakers, 2)))
        .compose(v -> step(() -> {
          assertEquals("closed", breakers.states().get(P + "/" + M), "the success started the count anew");
          failTimes(breakers, 1);
        }))
        .compose(v -> step(() -> assertEquals("open", breakers.states().get(P + "/" + M))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void outcomesAreIdempotentAndTheFirstOneWins(VertxTestContext ctx) {
    Breakers breakers = new Breakers(vertx, FAST, null);
    step(() -> {
      Attempt attempt = breakers.begin(P, M);
      for (int i = 0; i < 5; i++) {
        attempt.failed();
        attempt.succeeded();
        attempt.abandoned();
      }
      Attempt other = breakers.begin(P, M);
      other.failed();
    })
        .compose(v -> step(() -> {
          assertEquals("closed", breakers.states().get(P + "/" + M), "two failures, not ten");
          failTimes(breakers, 1);
        }))
        .compose(v -> step(() -> assertEquals("open", breakers.states().get(P + "/" + M))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void disabledNeverOpens(VertxTestContext ctx) {
    Breakers breakers = new Breakers(vertx, BreakerConfig.DISABLED, null);
    step(() -> {
      for (int i = 0; i < 100; i++) {
        Attempt attempt = breakers.begin(P, M);
        assertTrue(attempt.admitted());
        attempt.failed();
      }
    })
        .compose(v -> step(() -> {
          assertTrue(breakers.allows(P, M));
          assertTrue(breakers.begin(P, M).admitted());
          assertEquals(Map.of(P + "/" + M, "closed"), breakers.states());
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void statesAndTheGaugeFollowEveryTarget(VertxTestContext ctx) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Breakers breakers = new Breakers(vertx, FAST, registry);
    step(() -> {
      breakers.register("anthropic", "claude-sonnet");
      assertEquals(0, gauge(registry, "anthropic", "claude-sonnet"));
      failTimes(breakers, 3);
    })
        .compose(v -> step(() -> {
          assertEquals(Map.of("anthropic/claude-sonnet", "closed", P + "/" + M, "open"), breakers.states());
          assertEquals(List.of("anthropic/claude-sonnet", P + "/" + M), List.copyOf(breakers.states().keySet()));
          assertEquals(2, gauge(registry, P, M));
          assertEquals(0, gauge(registry, "anthropic", "claude-sonnet"));
        }))
        .compose(v -> until(() -> "half_open".equals(breakers.states().get(P + "/" + M))))
        .compose(v -> step(() -> {
          assertEquals(1, gauge(registry, P, M));
          breakers.begin(P, M).succeeded();
        }))
        .compose(v -> step(() -> {
          assertEquals(0, gauge(registry, P, M));
          assertEquals(2, registry.find(Breakers.STATE_GAUGE).gauges().size(), "one gauge per target");
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** As in the gateway: several verticle instances, each on its own event loop, share one {@link Breakers}. */
  @Test
  void failuresFromSeveralEventLoopsAllCount(VertxTestContext ctx) {
    Breakers breakers = new Breakers(vertx, new BreakerConfig(100, 60_000, 10_000), null);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        threads.add(Thread.currentThread().getName());
        failTimes(breakers, 25);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(4))
        .compose(id -> until(() -> "open".equals(breakers.states().get(P + "/" + M))))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertTrue(threads.size() > 1, "ran on " + threads);
          ctx.completeNow();
        })));
  }

  @Test
  void racingThreadsGetOneProbe(VertxTestContext ctx) {
    Breakers breakers = new Breakers(vertx, FAST, null);
    AtomicInteger admitted = new AtomicInteger();
    step(() -> failTimes(breakers, 3))
        .compose(v -> until(() -> "half_open".equals(breakers.states().get(P + "/" + M))))
        .compose(v -> vertx.executeBlocking(() -> {
          CountDownLatch start = new CountDownLatch(1);
          List<Thread> threads = new ArrayList<>();
          for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
              awaitQuietly(start);
              if (breakers.begin(P, M).admitted()) {
                admitted.incrementAndGet();
              }
            }));
          }
          start.countDown();
          for (Thread thread : threads) {
            thread.join();
          }
          return admitted.get();
        }))
        .onComplete(ctx.succeeding(count -> ctx.verify(() -> {
          assertEquals(1, count);
          ctx.completeNow();
        })));
  }

  private static void failTimes(Breakers breakers, int times) {
    for (int i = 0; i < times; i++) {
      Attempt attempt = breakers.begin(P, M);
      assertTrue(attempt.admitted());
      attempt.failed();
    }
  }

  private static double gauge(SimpleMeterRegistry registry, String provider, String model) {
    return registry.get(Breakers.STATE_GAUGE).tags("provider", provider, "model", model).gauge().value();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code body} as the next task of the test's event loop; its assertion errors fail the future. */
  private Future<Void> step(Runnable body) {
    return step(loop, body);
  }

  private static Future<Void> step(Context context, Runnable body) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        body.run();
        done.complete();
      } catch (Throwable failure) {
        done.fail(failure);
      }
    });
    return done.future();
  }

  /** Completes once {@code condition} holds, checked every 20 ms on a Vert.x timer. */
  private Future<Void> until(BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(20, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }
}
