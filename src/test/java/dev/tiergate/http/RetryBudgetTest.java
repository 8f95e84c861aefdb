package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryBudgetTest {

  private static final int THREADS = 8;

  private static RetryBudget withActive(int active) {
    RetryBudget budget = new RetryBudget();
    for (int i = 0; i < active; i++) {
      budget.requestStarted();
    }
    return budget;
  }

  private static int acquireAll(RetryBudget budget) {
    int acquired = 0;
    while (budget.tryAcquireRetry()) {
      acquired++;
    }
    return acquired;
  }

  @ParameterizedTest(name = "{0} active requests allow {1} retries in flight")
  @CsvSource({"0, 3", "1, 3", "10, 3", "15, 3", "19, 3", "20, 4", "24, 4", "25, 5", "50, 10", "1000, 200"})
  void allowsTheLargerOfTheMinimumAndTheRatio(int active, int allowed) {
    RetryBudget budget = withActive(active);
    assertEquals(allowed, budget.limit());
    assertEquals(allowed, acquireAll(budget));
    assertEquals(allowed, budget.retriesInFlight());
    assertFalse(budget.tryAcquireRetry());
  }

  @Test
  void releasingARetryMakesRoomForAnother() {
    RetryBudget budget = withActive(0);
    assertEquals(3, acquireAll(budget));
    budget.releaseRetry();
    assertEquals(2, budget.retriesInFlight());
    assertTrue(budget.tryAcquireRetry());
    assertFalse(budget.tryAcquireRetry());
  }

  @Test
  void theBudgetFollowsTheTraffic() {
    RetryBudget budget = withActive(50);
    assertEquals(10, acquireAll(budget));
    for (int i = 0; i < 40; i++) {
      budget.requestEnded();
    }
    assertEquals(10, budget.active());
    // Retries already running are not taken back, but no new one starts until they drop below the new limit.
    assertFalse(budget.tryAcquireRetry());
    for (int i = 0; i < 7; i++) {
      budget.releaseRetry();
    }
    assertEquals(3, budget.retriesInFlight());
    assertFalse(budget.tryAcquireRetry());
    budget.releaseRetry();
    assertTrue(budget.tryAcquireRetry());
  }

  @Test
  void customRatioAndMinimum() {
    RetryBudget none = new RetryBudget(0, 0);
    none.requestStarted();
    assertFalse(none.tryAcquireRetry());

    RetryBudget half = new RetryBudget(0.5, 1);
    assertEquals(1, acquireAll(half));
    for (int i = 0; i < 6; i++) {
      half.requestStarted();
    }
    assertEquals(2, acquireAll(half));
    assertEquals(3, half.retriesInFlight());
  }

  @Test
  void unpairedEndsAreBugsAndDoNotCorruptTheCounts() {
    RetryBudget budget = new RetryBudget();
    assertThrows(IllegalStateException.class, budget::requestEnded);
    assertThrows(IllegalStateException.class, budget::releaseRetry);
    assertEquals(0, budget.active());
    assertEquals(0, budget.retriesInFlight());
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThrows(ConfigException.class, () -> new RetryBudget(-0.1, 3));
    assertThrows(ConfigException.class, () -> new RetryBudget(1.1, 3));
    assertThrows(ConfigException.class, () -> new RetryBudget(Double.NaN, 3));
    assertThrows(ConfigException.class, () -> new RetryBudget(0.2, -1));
  }

  /** With the traffic fixed the limit is fixed, so racing acquirers can never hold more than it. */
  @Test
  void racingThreadsNeverExceedTheLimit() throws Exception {
    RetryBudget budget = withActive(50);
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger mostHeld = new AtomicInteger();
    AtomicInteger granted = new AtomicInteger();
    runTogether(() -> {
      for (int i = 0; i < 20_000; i++) {
        if (budget.tryAcquireRetry()) {
          granted.incrementAndGet();
          mostHeld.accumulateAndGet(holding.incrementAndGet(), Math::max);
          holding.decrementAndGet();
          budget.releaseRetry();
        }
      }
    });
    assertTrue(mostHeld.get() <= 10, "held " + mostHeld.get() + " retries at once, limit 10");
    assertTrue(granted.get() > 0);
    assertEquals(0, budget.retriesInFlight());
    assertEquals(50, budget.active());
  }

  @Test
  void exactlyTheLimitWinsASimultaneousGrab() throws Exception {
    RetryBudget budget = withActive(25);
    AtomicInteger granted = new AtomicInteger();
    runTogether(() -> {
      for (int i = 0; i < 100; i++) {
        if (budget.tryAcquireRetry()) {
          granted.incrementAndGet();
        }
      }
    });
    assertEquals(5, granted.get());
    assertEquals(5, budget.retriesInFlight());
  }

  @Test
  void countsBalanceAfterConcurrentTraffic() throws Exception {
    RetryBudget budget = new RetryBudget();
    runTogether(() -> {
      for (int i = 0; i < 20_000; i++) {
        budget.requestStarted();
        if (budget.tryAcquireRetry()) {
          budget.releaseRetry();
        }
        budget.requestEnded();
      }
    });
    assertEquals(0, budget.active());
    assertEquals(0, budget.retriesInFlight());
  }

  /** Runs the task on {@link #THREADS} threads released at the same instant and waits for all of them. */
  private static void runTogether(Runnable task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        running.add(pool.submit(() -> {
          start.await();
          task.run();
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : running) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
