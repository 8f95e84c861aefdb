package dev.tiergate.http;

import dev.tiergate.config.ConfigException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.random.RandomGenerator;

/**
 * What to do after an attempt on one target failed: retry the same target after a delay, fall back to the next target
 * of the chain at once, or stop and show the error. Pure: no clock, no timers, no state — the caller passes the time,
 * the call's deadline and a random source, and owns the attempt counting.
 *
 * <p>The rules, first match wins:
 * <ol>
 *   <li>The call is over ({@code cancelled}, {@code upstream_max_duration}): FAIL.</li>
 *   <li>Not {@link GatewayException#retryable() retryable} (the client's fault — 400, 404, 409, 413, 422, context
 *       length, content policy — or our own bug): FAIL, the same request would fail anywhere.</li>
 *   <li>The deadline has passed: FAIL.</li>
 *   <li>{@code upstream_auth} (the upstream's 401/403: our key for that provider is bad): FALLBACK, another provider
 *       has another key.</li>
 *   <li>A stall ({@code upstream_timeout}: the first-byte timer, an upstream 408; {@code upstream_idle_timeout}):
 *       FALLBACK at once — retrying a silent upstream costs retries × timeout.</li>
 *   <li>{@code upstream_not_streaming}: FALLBACK, the same target answers a stream request the same way again.</li>
 *   <li>429: wait what {@code Retry-After} says (delta-seconds or an IMF-fixdate HTTP-date; missing or unreadable:
 *       the backoff below); RETRY_SAME when the wait is at most {@code retryAfterCapMs}, ends before the deadline and
 *       attempts remain, else FALLBACK.</li>
 *   <li>Everything else retryable (5xx, connection failures, connect timeouts, malformed answers): RETRY_SAME after a
 *       full-jitter backoff {@code uniform[0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))]} while attempts remain and
 *       the wait ends before the deadline, else FALLBACK.</li>
 * </ol>
 *
 * @param maxAttemptsPerTarget attempts on one target, the first included ({@code 1} = never retry the same target)
 * @param baseDelayMs          backoff ceiling after the first failure; doubles with each further failure
 * @param maxDelayMs           the backoff ceiling never exceeds this
 * @param retryAfterCapMs      a 429 asking for a longer wait falls back instead of waiting
 */
public record RetryPolicy(int maxAttemptsPerTarget, long baseDelayMs, long maxDelayMs, long retryAfterCapMs) {

  public static final RetryPolicy DEFAULT = new RetryPolicy(3, 100, 2000, 5000);

  /** Over already: retrying or falling back cannot help. */
  private static final Set<String> CALL_OVER = Set.of("cancelled", "upstream_max_duration");
  private static final Set<String> STALLS = Set.of("upstream_timeout", "upstream_idle_timeout");
  private static final Pattern DELTA_SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

  public RetryPolicy {
    if (maxAttemptsPerTarget < 1) {
      throw new ConfigException("retry.maxAttemptsPerTarget", "must be at least 1, got " + maxAttemptsPerTarget);
    }
    if (baseDelayMs < 0) {
      throw new ConfigException("retry.baseDelayMs", "must be at least 0, got " + baseDelayMs);
    }
    if (maxDelayMs < baseDelayMs) {
      throw new ConfigException("retry.maxDelayMs", "must be at least baseDelayMs (" + baseDelayMs + "), got "
          + maxDelayMs);
    }
    if (retryAfterCapMs < 0) {
      throw new ConfigException("retry.retryAfterCapMs", "must be at least 0, got " + retryAfterCapMs);
    }
  }

  /**
   * A decision with a short, stable reason for logs and metrics ({@code backoff}, {@code retry_after},
   * {@code not_retryable}, {@code upstream_stalled}, {@code attempts_exhausted}, ...).
   *
   * @param delayMs how long to wait before retrying; 0 unless {@link Kind#RETRY_SAME}
   */
  public record Decision(Kind kind, long delayMs, String reason) {

    public enum Kind {
      /** Retry the same target after {@code delayMs}. */
      RETRY_SAME,
      /** Move on to the next target of the chain now (the caller fails the call when none is left). */
      FALLBACK,
      /** Stop and show this error to the client. */
      FAIL
    }

    public Decision {
      if (kind == null || reason == null) {
        throw new IllegalArgumentException("kind and reason are required");
      }
      if (delayMs < 0 || (kind != Kind.RETRY_SAME && delayMs != 0)) {
        throw new IllegalArgumentException("delay " + delayMs + " is not valid for " + kind);
      }
    }

    static Decision retry(long delayMs, String reason) {
      return new Decision(Kind.RETRY_SAME, delayMs, reason);
    }

    static Decision fallback(String reason) {
      return new Decision(Kind.FALLBACK, 0, reason);
    }

    static Decision fail(String reason) {
      return new Decision(Kind.FAIL, 0, reason);
    }
  }

  /**
   * Decides after a failed attempt.
   *
   * @param error                the attempt's failure
   * @param attemptsOnThisTarget attempts made on this target so far, the failed one included (at least 1)
   * @param nowMs                the current time, epoch milliseconds (an HTTP-date in Retry-After is compared to it)
   * @param deadlineMs           when the call must be over, epoch milliseconds ({@link Long#MAX_VALUE}: none)
   * @param random               the jitter source (seed it in tests)
   */
  public Decision next(GatewayException error, int attemptsOnThisTarget, long nowMs, long deadlineMs,
                       RandomGenerator random) {
    if (attemptsOnThisTarget < 1) {
      throw new IllegalArgumentException("attemptsOnThisTarget must be at least 1, got " + attemptsOnThisTarget);
    }
    String errorClass = error.errorClass();
    if (CALL_OVER.contains(errorClass)) {
      return Decision.fail("call_over");
    }
    boolean upstreamAuth = "upstream_auth".equals(errorClass);
    if (!error.retryable() && !upstreamAuth) {
      return Decision.fail("not_retryable");
    }
    if (nowMs >= deadlineMs) {
      return Decision.fail("deadline_passed");
    }
    if (upstreamAuth) {
      return Decision.fallback("upstream_auth");
    }
    if (STALLS.contains(errorClass)) {
      return Decision.fallback("upstream_stalled");
    }
    if ("upstream_not_streaming".equals(errorClass)) {
      return Decision.fallback("upstream_not_streaming");
    }
    if (attemptsOnThisTarget >= maxAttemptsPerTarget) {
      return Decision.fallback("attempts_exhausted");
    }
    if (error.status() == 429) {
      return afterRateLimit(error.retryAfter(), attemptsOnThisTarget, nowMs, deadlineMs, random);
    }
    return retryIfInTime(backoff(attemptsOnThisTarget, random), "backoff", nowMs, deadlineMs);
  }

  private Decision afterRateLimit(String retryAfter, int attempts, long nowMs, long deadlineMs,
                                  RandomGenerator random) {
    long asked = retryAfterMs(retryAfter, nowMs);
    if (asked < 0) {
      return retryIfInTime(backoff(attempts, random), "backoff", nowMs, deadlineMs);
    }
    if (asked > retryAfterCapMs) {
      return Decision.fallback("retry_after_over_cap");
    }
    return retryIfInTime(asked, "retry_after", nowMs, deadlineMs);
  }

  private static Decision retryIfInTime(long delayMs, String reason, long nowMs, long deadlineMs) {
    // nowMs < deadlineMs here, so the subtraction cannot overflow for any sane epoch value.
    return delayMs < deadlineMs - nowMs ? Decision.retry(delayMs, reason) : Decision.fallback("deadline_too_close");
  }

  /** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, ceiling]. */
  long backoff(int attempt, RandomGenerator random) {
    long ceiling = backoffCeiling(attempt);
    return ceiling == 0 ? 0 : random.nextLong(ceiling + 1);
  }

  /** {@code min(maxDelayMs, baseDelayMs * 2^(attempt-1))} without overflow. */
  long backoffCeiling(int attempt) {
    int shift = attempt - 1;
    if (shift < Long.SIZE - 1 && baseDelayMs <= (maxDelayMs >> shift)) {
      return baseDelayMs << shift;
    }
    return maxDelayMs;
  }

  /**
   * The wait a {@code Retry-After} value asks for (RFC 9110 §10.2.3), in ms from {@code nowMs}; a date in the past is
   * 0; -1 when the value is missing or neither delta-seconds nor an IMF-fixdate. Fractional seconds ("1.5"), which
   * some providers send, are accepted and rounded up. The obsolete RFC 850 and asctime date forms fall back to the
   * backoff.
   */
  static long retryAfterMs(String value, long nowMs) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String trimmed = value.trim();
    if (DELTA_SECONDS.matcher(trimmed).matches()) {
      return secondsToMs(trimmed);
    }
    try {
      long at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0, at - nowMs);
    } catch (DateTimeException e) {
      return -1;
    }
  }

  private static long secondsToMs(String seconds) {
    try {
      return new BigDecimal(seconds).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
