package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigException;
import dev.tiergate.http.RetryPolicy.Decision;
import dev.tiergate.http.RetryPolicy.Decision.Kind;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {

  /** 2023-11-14T22:13:20Z, a Tuesday: whole seconds, so HTTP-dates around it are exact. */
  private static final long NOW = 1_700_000_000_000L;
  private static final long NO_DEADLINE = Long.MAX_VALUE;
  private static final RetryPolicy POLICY = RetryPolicy.DEFAULT;
  /** Marks a case whose delay is a backoff: checked against the ceiling, not an exact value. */
  private static final long BACKOFF = -1;

  private static GatewayException limited(String retryAfter) {
    return GatewayException.rateLimited(retryAfter, "slow down");
  }

  private static GatewayException status(int status) {
    return GatewayException.badGateway("upstream_status_" + status, "failed");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // 429 with Retry-After
        row("429 Retry-After 2", limited("2"), 1, NO_DEADLINE, Kind.RETRY_SAME, 2000, "retry_after"),
        row("429 Retry-After padded", limited(" 2 "), 1, NO_DEADLINE, Kind.RETRY_SAME, 2000, "retry_after"),
        row("429 Retry-After 0", limited("0"), 1, NO_DEADLINE, Kind.RETRY_SAME, 0, "retry_after"),
        row("429 fractional seconds", limited("1.5"), 1, NO_DEADLINE, Kind.RETRY_SAME, 1500, "retry_after"),
        row("429 HTTP-date in 3 s", limited("Tue, 14 Nov 2023 22:13:23 GMT"), 1, NO_DEADLINE, Kind.RETRY_SAME,
            3000, "retry_after"),
        row("429 HTTP-date in the past", limited("Tue, 14 Nov 2023 22:13:10 GMT"), 1, NO_DEADLINE, Kind.RETRY_SAME,
            0, "retry_after"),
        row("429 at the cap", limited("5"), 1, NO_DEADLINE, Kind.RETRY_SAME, 5000, "retry_after"),
        row("429 over the cap", limited("6"), 1, NO_DEADLINE, Kind.FALLBACK, 0, "retry_after_over_cap"),
        row("429 HTTP-date over the cap", limited("Tue, 14 Nov 2023 22:13:30 GMT"), 1, NO_DEADLINE, Kind.FALLBACK,
            0, "retry_after_over_cap"),
        row("429 absurd delta", limited("99999999999999999999999"), 1, NO_DEADLINE, Kind.FALLBACK, 0,
            "retry_after_over_cap"),
        row("429 wait ends at the deadline", limited("2"), 1, NOW + 2000, Kind.FALLBACK, 0, "deadline_too_close"),
        row("429 wait ends before the deadline", limited("2"), 1, NOW + 2001, Kind.RETRY_SAME, 2000, "retry_after"),
        row("429 attempts exhausted", limited("2"), 3, NO_DEADLINE, Kind.FALLBACK, 0, "attempts_exhausted"),
        row("429 without Retry-After", limited(null), 1, NO_DEADLINE, Kind.RETRY_SAME, BACKOFF, "backoff"),
        row("429 unreadable Retry-After", limited("soon"), 2, NO_DEADLINE, Kind.RETRY_SAME, BACKOFF, "backoff"),
        row("429 negative Retry-After", limited("-3"), 1, NO_DEADLINE, Kind.RETRY_SAME, BACKOFF, "backoff"),
        // 5xx, connection failures
        row("500 first failure", status(500), 1, NO_DEADLINE, Kind.RETRY_SAME, BACKOFF, "backoff"),
        row("503 second failure", status(503), 2, NO_DEADLINE, Kind.RETRY_SAME, BACKOFF, "backoff"),
        row("502 attempts exhausted", status(502), 3, NO_DEADLINE, Kind.FALLBACK, 0, "attempts_exhausted"),
        row("unreachable", GatewayException.badGateway("upstream_unreachable", "x"), 1, NO_DEADLINE,
            Kind.RETRY_SAME, BACKOFF, "backoff"),
        row("connect timeout", GatewayException.timeout("upstream_connect_timeout", "x"), 1, NO_DEADLINE,
            Kind.RETRY_SAME, BACKOFF, "backoff"),
        row("connection failed", GatewayException.badGateway("upstream_connection_failed", "x"), 2, NO_DEADLINE,
            Kind.RETRY_SAME, BACKOFF, "backoff"),
        // falls back at once
        row("stalled: first-byte timer", GatewayException.timeout("upstream_timeout", "x"), 1, NO_DEADLINE,
            Kind.FALLBACK, 0, "upstream_stalled"),
        row("stalled: idle timer", GatewayException.timeout("upstream_idle_timeout", "x"), 1, NO_DEADLINE,
            Kind.FALLBACK, 0, "upstream_stalled"),
        row("upstream auth", GatewayException.badGateway("upstream_auth", "x"), 1, NO_DEADLINE, Kind.FALLBACK, 0,
            "upstream_auth"),
        row("not streaming", GatewayException.badGateway("upstream_not_streaming", "x"), 1, NO_DEADLINE,
            Kind.FALLBACK, 0, "upstream_not_streaming"),
        // fails
        row("upstream 400", GatewayException.upstreamRejected(400, "context length"), 1, NO_DEADLINE, Kind.FAIL, 0,
            "not_retryable"),
        row("upstream 404", GatewayException.upstreamRejected(404, "no such model"), 1, NO_DEADLINE, Kind.FAIL, 0,
            "not_retryable"),
        row("upstream 409", GatewayException.upstreamRejected(409, "conflict"), 1, NO_DEADLINE, Kind.FAIL, 0,
            "not_retryable"),
        row("upstream 413", GatewayException.upstreamRejected(413, "too large"), 1, NO_DEADLINE, Kind.FAIL, 0,
            "not_retryable"),
        row("upstream 422", GatewayException.upstreamRejected(422, "content policy"), 1, NO_DEADLINE, Kind.FAIL, 0,
            "not_retryable"),
        row("our bad request", GatewayException.badRequest("invalid_json", "x"), 1, NO_DEADLINE, Kind.FAIL, 0,
            "not_retryable"),
        row("our internal error", GatewayException.internal("bug"), 1, NO_DEADLINE, Kind.FAIL, 0, "not_retryable"),
        row("cancelled", UpstreamFailures.CANCELLED, 1, NO_DEADLINE, Kind.FAIL, 0, "call_over"),
        row("max duration", GatewayException.timeout("upstream_max_duration", "x"), 1, NO_DEADLINE, Kind.FAIL, 0,
            "call_over"),
        row("deadline passed", status(500), 1, NOW, Kind.FAIL, 0, "deadline_passed"),
        row("deadline passed, auth", GatewayException.badGateway("upstream_auth", "x"), 1, NOW - 1, Kind.FAIL, 0,
            "deadline_passed"));
  }

  private static Arguments row(String name, GatewayException error, int attempts, long deadline, Kind kind,
                               long delay, String reason) {
    return Arguments.of(name, error, attempts, deadline, kind, delay, reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, GatewayException error, int attempts, long deadline, Kind kind, long delay,
               String reason) {
    Decision decision = POLICY.next(error, attempts, NOW, deadline, new SplittableRandom(7));
    assertEquals(kind, decision.kind(), name);
    assertEquals(reason, decision.reason(), name);
    if (delay == BACKOFF) {
      long ceiling = POLICY.backoffCeiling(attempts);
      assertTrue(decision.delayMs() >= 0 && decision.delayMs() <= ceiling, decision + " within [0, " + ceiling + "]");
    } else {
      assertEquals(delay, decision.delayMs(), name);
    }
  }

  @ParameterizedTest(name = "attempt {0}: ceiling {1} ms")
  @CsvSource({"1, 100", "2, 200", "3, 400", "4, 800", "5, 1600", "6, 2000", "7, 2000", "63, 2000", "64, 2000",
      "1000, 2000"})
  void backoffCeilingDoublesUpToTheMaximum(int attempt, long ceiling) {
    assertEquals(ceiling, POLICY.backoffCeiling(attempt));
  }

  @Test
  void jitterSpansTheWholeRangeAndNeverLeavesIt() {
    RetryPolicy policy = new RetryPolicy(20, 100, 2000, 5000);
    SplittableRandom random = new SplittableRandom(42);
    for (int attempt = 1; attempt < 20; attempt++) {
      long ceiling = policy.backoffCeiling(attempt);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < 2000; i++) {
        long delay = policy.next(status(500), attempt, NOW, NO_DEADLINE, random).delayMs();
        assertTrue(delay >= 0 && delay <= ceiling, "attempt " + attempt + ": " + delay + " > " + ceiling);
        min = Math.min(min, delay);
        max = Math.max(max, delay);
      }
      // Full jitter, not "ceiling plus a little": both ends of the range are reached.
      assertTrue(min < ceiling / 10, "attempt " + attempt + " never waited briefly: " + min);
      assertTrue(max > ceiling * 9 / 10, "attempt " + attempt + " never waited long: " + max);
    }
  }

  @Test
  void backoffMustEndBeforeTheDeadline() {
    RandomGenerator longest = new Longest();
    assertEquals(Decision.retry(100, "backoff"), POLICY.next(status(500), 1, NOW, NOW + 101, longest));
    assertEquals(Decision.fallback("deadline_too_close"), POLICY.next(status(500), 1, NOW, NOW + 100, longest));
    assertEquals(Decision.retry(200, "backoff"), POLICY.next(limited(null), 2, NOW, NOW + 201, longest));
    assertEquals(Decision.fallback("deadline_too_close"), POLICY.next(limited(null), 2, NOW, NOW + 200, longest));
  }

  @Test
  void sameSeedSameDelays() {
    for (int attempt = 1; attempt < 3; attempt++) {
      long first = POLICY.next(status(500), attempt, NOW, NO_DEADLINE, new SplittableRandom(99)).delayMs();
      long second = POLICY.next(status(500), attempt, NOW, NO_DEADLINE, new SplittableRandom(99)).delayMs();
      assertEquals(first, second);
    }
  }

  @Test
  void zeroBaseDelayRetriesAtOnce() {
    RetryPolicy policy = new RetryPolicy(3, 0, 0, 0);
    assertEquals(Decision.retry(0, "backoff"), policy.next(status(500), 1, NOW, NO_DEADLINE, new SplittableRandom()));
    assertEquals(Kind.FALLBACK, policy.next(limited("1"), 1, NOW, NO_DEADLINE, new SplittableRandom()).kind());
  }

  @Test
  void oneAttemptPerTargetNeverRetriesTheSameTarget() {
    RetryPolicy policy = new RetryPolicy(1, 100, 2000, 5000);
    assertEquals(Decision.fallback("attempts_exhausted"),
        policy.next(status(500), 1, NOW, NO_DEADLINE, new SplittableRandom()));
    assertEquals(Decision.fallback("attempts_exhausted"),
        policy.next(limited("1"), 1, NOW, NO_DEADLINE, new SplittableRandom()));
  }

  @ParameterizedTest(name = "Retry-After \"{0}\" = {1} ms")
  @CsvSource(nullValues = "NULL", value = {
      "NULL, -1", "'', -1", "'   ', -1", "0, 0", "2, 2000", "120, 120000", "0.25, 250", "1.0001, 1001",
      "'Tue, 14 Nov 2023 22:13:21 GMT', 1000", "'Tue, 14 Nov 2023 22:13:20 GMT', 0",
      "'Wed, 15 Nov 2023 22:13:20 GMT', 86400000", "'Mon, 13 Nov 2023 22:13:20 GMT', 0",
      "'Tuesday, 14-Nov-23 22:13:21 GMT', -1", "'Tue Nov 14 22:13:21 2023', -1", "2s, -1", "1e3, -1", "-1, -1",
      "'٣', -1"})
  void readsRetryAfter(String value, long expected) {
    assertEquals(expected, RetryPolicy.retryAfterMs(value, NOW));
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThrows(ConfigException.class, () -> new RetryPolicy(0, 100, 2000, 5000));
    assertThrows(ConfigException.class, () -> new RetryPolicy(3, -1, 2000, 5000));
    assertThrows(ConfigException.class, () -> new RetryPolicy(3, 100, 99, 5000));
    assertThrows(ConfigException.class, () -> new RetryPolicy(3, 100, 2000, -1));
    assertThrows(IllegalArgumentException.class,
        () -> POLICY.next(status(500), 0, NOW, NO_DEADLINE, new SplittableRandom()));
    assertThrows(IllegalArgumentException.class, () -> new Decision(Kind.FALLBACK, 10, "x"));
    assertThrows(IllegalArgumentException.class, () -> new Decision(Kind.RETRY_SAME, -1, "x"));
    assertThrows(IllegalArgumentException.class, () -> new Decision(null, 0, "x"));
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertEquals(new RetryPolicy(3, 100, 2000, 5000), RetryPolicy.DEFAULT);
  }

  /** Always draws the top of the range: the longest wait full jitter can pick. */
  private static final class Longest implements RandomGenerator {

    @Override
    public long nextLong() {
      return 0;
    }

    @Override
    public long nextLong(long bound) {
      return bound - 1;
    }
  }
}
