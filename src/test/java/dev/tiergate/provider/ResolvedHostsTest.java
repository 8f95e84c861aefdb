package dev.tiergate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resolver cache behind the connect-time guard: lookups off the event loop, shared, cached, refreshed, expired. */
class ResolvedHostsTest {

  private static final InetAddress FIRST = UpstreamGuard.literal("203.0.113.7");
  private static final InetAddress SECOND = UpstreamGuard.literal("198.51.100.9");

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Map<String, InetAddress> dns = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final AtomicBoolean lookedUpOnEventLoop = new AtomicBoolean();
  private Vertx vertx;
  private ResolvedHosts hosts;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    hosts = new ResolvedHosts(vertx, this::lookUp, new FixedClock());
    dns.put("api.example.com", FIRST);
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void aNameIsLookedUpOnceOffTheEventLoopAndThenServedFromTheCache() throws Exception {
    assertNull(hosts.cached("api.example.com"));
    assertEquals(List.of(FIRST), await(hosts.resolve("api.example.com")));
    now.addAndGet(ResolvedHosts.REFRESH_AFTER_MS - 1);
    assertEquals(List.of(FIRST), hosts.cached("api.example.com"));
    assertEquals(List.of(FIRST), await(hosts.resolve("api.example.com")));
    assertEquals(1, lookups.get());
    assertFalse(lookedUpOnEventLoop.get(), "a lookup ran on an event loop");
  }

  @Test
  void anOldAnswerIsServedWhileABackgroundRefreshReplacesIt() throws Exception {
    await(hosts.resolve("api.example.com"));
    dns.put("api.example.com", SECOND);
    now.addAndGet(ResolvedHosts.REFRESH_AFTER_MS);
    assertEquals(List.of(FIRST), hosts.cached("api.example.com"), "the old answer serves during the refresh");
    until(() -> List.of(SECOND).equals(hosts.cached("api.example.com")));
    assertEquals(2, lookups.get());
  }

  @Test
  void anExpiredAnswerIsNotServedAndTheNextRequestLooksUpAgain() throws Exception {
    await(hosts.resolve("api.example.com"));
    dns.put("api.example.com", SECOND);
    now.addAndGet(ResolvedHosts.TTL_MS);
    assertNull(hosts.cached("api.example.com"));
    assertEquals(List.of(SECOND), await(hosts.resolve("api.example.com")));
  }

  @Test
  void aFailedLookupIsNotCached() throws Exception {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> await(hosts.resolve("nowhere.test")));
    assertEquals(UnknownHostException.class, failed.getCause().getClass());
    dns.put("nowhere.test", FIRST);
    assertEquals(List.of(FIRST), await(hosts.resolve("nowhere.test")));
    assertEquals(2, lookups.get());
  }

  @Test
  void concurrentRequestsForOneNameShareOneLookup() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    hosts = new ResolvedHosts(vertx, host -> {
      lookups.incrementAndGet();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new InetAddress[] {FIRST};
    }, new FixedClock());
    Future<List<InetAddress>> one = hosts.resolve("api.example.com");
    Future<List<InetAddress>> two = hosts.resolve("api.example.com");
    release.countDown();
    assertEquals(await(one), await(two));
    assertEquals(1, lookups.get());
  }

  @Test
  void oneCachePerVertxInstance() throws Exception {
    assertSame(ResolvedHosts.of(vertx), ResolvedHosts.of(vertx));
    Vertx other = Vertx.vertx();
    try {
      assertNotSame(ResolvedHosts.of(vertx), ResolvedHosts.of(other));
    } finally {
      await(other.close());
    }
  }

  private InetAddress[] lookUp(String host) throws UnknownHostException {
    lookups.incrementAndGet();
    if (Context.isOnEventLoopThread()) {
      lookedUpOnEventLoop.set(true);
    }
    InetAddress address = dns.get(host);
    if (address == null) {
      throw new UnknownHostException(host);
    }
    return new InetAddress[] {address};
  }

  private void until(BooleanSupplier condition) throws Exception {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      await(vertx.timer(10));
    }
    if (!condition.getAsBoolean()) {
      throw new AssertionError("the condition never held");
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A clock this test moves by hand. */
  private final class FixedClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }

    @Override
    public long millis() {
      return now.get();
    }
  }
}
