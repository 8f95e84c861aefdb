package dev.tiergate.provider;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The DNS answers for upstream host names, shared by every verticle of one Vertx instance and safe to use from any
 * thread. A name is looked up with {@link InetAddress#getAllByName} on a worker thread (never an event loop), at most
 * one lookup per name at a time; an answer is used for {@link #TTL_MS} and refreshed in the background by the first
 * request that finds it older than {@link #REFRESH_AFTER_MS}. A failed lookup is not cached. The caller checks every
 * address with {@link UpstreamGuard} and connects to the one it checked, so nothing resolves the name again in
 * between.
 */
final class ResolvedHosts implements Shareable {

  static final long TTL_MS = 60_000;
  static final long REFRESH_AFTER_MS = 30_000;
  private static final int MAX_HOSTS = 1024;
  private static final String SHARED_MAP = "tiergate.resolved-hosts";

  /** Resolves a name; blocking. */
  @FunctionalInterface
  interface Lookup {
    InetAddress[] addresses(String host) throws UnknownHostException;
  }

  private final Vertx vertx;
  private final Lookup lookup;
  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  ResolvedHosts(Vertx vertx, Lookup lookup, Clock clock) {
    this.vertx = vertx;
    this.lookup = lookup;
    this.clock = clock;
  }

  /** The instance of {@code vertx}, created on first use (kept in its local shared data, not in a static). */
  static ResolvedHosts of(Vertx vertx) {
    LocalMap<String, ResolvedHosts> shared = vertx.sharedData().getLocalMap(SHARED_MAP);
    return shared.computeIfAbsent("hosts", key -> new ResolvedHosts(vertx, InetAddress::getAllByName,
        Clock.systemUTC()));
  }

  /**
   * The answer for {@code host} when one is cached and still valid, else null; an answer past its refresh age starts a
   * background refresh. Never blocks.
   */
  List<InetAddress> cached(String host) {
    Entry entry = entries.get(host);
    long now = clock.millis();
    if (entry == null || !entry.usable(now)) {
      return null;
    }
    refreshIfOld(host, entry, now);
    return entry.answer.result().addresses();
  }

  /**
   * The answer for {@code host}: the cached one, or a lookup on a worker thread. The future may complete on another
   * verticle's context (a lookup is shared): callers that care hop back to their own.
   */
  Future<List<InetAddress>> resolve(String host) {
    long now = clock.millis();
    if (entries.size() >= MAX_HOSTS) {
      // Bounded: names the registry no longer uses age out (never inside compute(), which must not touch the map).
      entries.values().removeIf(e -> e.answer.isComplete() && !e.usable(now));
    }
    Entry[] created = new Entry[1];
    Entry entry = entries.compute(host, (name, old) -> {
      if (old != null && (old.usable(now) || !old.answer.isComplete())) {
        return old;
      }
      created[0] = new Entry(query(name));
      return created[0];
    });
    if (entry == created[0]) {
      // Outside compute(): the listener may run at once, and it updates the map.
      entry.answer.onFailure(failure -> entries.remove(host, entry));
    } else if (entry.usable(now)) {
      refreshIfOld(host, entry, now);
    }
    return entry.answer.map(Answer::addresses);
  }

  private void refreshIfOld(String host, Entry entry, long now) {
    if (now - entry.answer.result().resolvedAtMs() < REFRESH_AFTER_MS || !entry.refreshing.compareAndSet(false, true)) {
      return;
    }
    query(host).onComplete(ar -> {
      if (ar.succeeded()) {
        entries.replace(host, entry, new Entry(Future.succeededFuture(ar.result())));
      }
      // A failed refresh keeps the old answer until it expires; the next request after that looks up again.
      entry.refreshing.set(false);
    });
  }

  private Future<Answer> query(String host) {
    // Unordered: one slow name must not hold up lookups of the others.
    return vertx.executeBlocking(() -> new Answer(List.of(lookup.addresses(host)), clock.millis()), false);
  }

  /** The addresses a name resolved to, and when. */
  private record Answer(List<InetAddress> addresses, long resolvedAtMs) {
  }

  /** One name's answer, pending or resolved. */
  private static final class Entry {
    final Future<Answer> answer;
    final AtomicBoolean refreshing = new AtomicBoolean();

    Entry(Future<Answer> answer) {
      this.answer = answer;
    }

    boolean usable(long now) {
      return answer.succeeded() && now - answer.result().resolvedAtMs() < TTL_MS;
    }
  }
}
