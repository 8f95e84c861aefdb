package dev.tiergate.usage;

import dev.tiergate.bus.CallOutcome;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per finished request on the {@code tiergate.access} logger: who asked (request id, client key id),
 * where it went (route, provider, model, tier), how it went (status, error class, fallback, retries), how long
 * (TTFT, duration, the gateway's own overhead) and how much (tokens, cost, bytes). Never prompt text, never a key:
 * the outcome carries neither, except the redacted prompt excerpt of the explicit debug option.
 *
 * <p>Lines are batched: one log event carries the lines of up to {@code flushMs} (or {@code maxBatchChars}), so that
 * the logger's per-event cost and its write to the output are paid per batch, not per request. The logger is
 * asynchronous and drops batches rather than block (see {@code logback.xml}). Used on the metrics verticle only.
 */
public final class AccessLog {

  /** The logger name; route it to a file or a collector in a custom logback configuration. */
  public static final String LOGGER = "tiergate.access";

  private static final int MAX_BATCH_CHARS = 256 * 1024;

  private final Logger log;
  private final Clock clock;
  private final StringBuilder batch = new StringBuilder(16 * 1024);

  public AccessLog(Clock clock) {
    this(LoggerFactory.getLogger(LOGGER), clock);
  }

  AccessLog(Logger log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /** Adds the line of one request to the batch; writes the batch when it is full. */
  public void write(CallOutcome o, double costUsd) {
    if (!log.isInfoEnabled()) {
      return;
    }
    if (!batch.isEmpty()) {
      batch.append('\n');
    }
    batch.append(line(o, costUsd, clock).encode());
    if (batch.length() >= MAX_BATCH_CHARS) {
      flush();
    }
  }

  /** Writes the lines batched so far (called every few hundred milliseconds and when the verticle stops). */
  public void flush() {
    if (batch.isEmpty()) {
      return;
    }
    log.info(batch.toString());
    batch.setLength(0);
  }

  /** The fields of one line. */
  static JsonObject line(CallOutcome o, double costUsd, Clock clock) {
    JsonObject line = new JsonObject()
        .put("ts", clock.instant().toString())
        .put("requestId", o.requestId())
        .put("key", o.clientKeyId())
        .put("format", o.clientFormat())
        .put("route", o.route())
        .put("provider", o.provider())
        .put("model", o.model())
        .put("tier", o.tier())
        .put("status", o.status())
        .put("stream", o.stream())
        .put("ttftMs", o.ttftMs() < 0 ? null : round(o.ttftMs()))
        .put("durationMs", round(o.durationMs()))
        .put("overheadMs", round(o.overheadMs()))
        .put("promptTokens", o.promptTokens() < 0 ? null : o.promptTokens())
        .put("completionTokens", o.completionTokens() < 0 ? null : o.completionTokens())
        .put("tokensEstimated", o.tokensEstimated())
        .put("costUsd", Math.round(costUsd * 1e8) / 1e8)
        .put("fallback", o.fallback())
        .put("retries", o.retries())
        .put("bytes", o.bytesOut())
        .put("finish", o.finishReason())
        .put("partial", o.partial())
        .put("error", o.errorClass());
    if (o.contentFailure() != null) {
      line.put("contentFailure", o.contentFailure());
    }
    if (o.promptExcerpt() != null) {
      line.put("prompt", o.promptExcerpt());
    }
    return line;
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
