package dev.tiergate.usage;

import dev.tiergate.bus.CallOutcome;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
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
  private long stampMillis = -1;
  private String stamp;

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
    append(batch, o, costUsd, timestamp());
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

  /** The line of one request, as a JSON object. */
  static JsonObject line(CallOutcome o, double costUsd, Clock clock) {
    StringBuilder out = new StringBuilder(512);
    append(out, o, costUsd, clock.instant().toString());
    return new JsonObject(out.toString());
  }

  /**
   * Appends one line. Written by hand rather than through a JSON tree: this runs once per request and the tree and
   * its encoding cost ten times more than the rest of the line.
   */
  private static void append(StringBuilder out, CallOutcome o, double costUsd, String ts) {
    out.append("{\"ts\":\"").append(ts).append('"');
    string(out, "requestId", o.requestId());
    string(out, "key", o.clientKeyId());
    string(out, "format", o.clientFormat());
    string(out, "route", o.route());
    string(out, "provider", o.provider());
    string(out, "model", o.model());
    string(out, "tier", o.tier());
    out.append(",\"status\":").append(o.status());
    out.append(",\"stream\":").append(o.stream());
    millis(out, "ttftMs", o.ttftMs());
    millis(out, "durationMs", o.durationMs());
    millis(out, "overheadMs", o.overheadMs());
    count(out, "promptTokens", o.promptTokens());
    count(out, "completionTokens", o.completionTokens());
    out.append(",\"tokensEstimated\":").append(o.tokensEstimated());
    out.append(",\"costUsd\":");
    decimal(out, Math.round(costUsd * 1e8), 100_000_000L);
    out.append(",\"fallback\":").append(o.fallback());
    out.append(",\"retries\":").append(o.retries());
    out.append(",\"bytes\":").append(o.bytesOut());
    string(out, "finish", o.finishReason());
    out.append(",\"partial\":").append(o.partial());
    if (o.continued()) {
      out.append(",\"continued\":true");
    }
    string(out, "error", o.errorClass());
    if (o.contentFailure() != null) {
      string(out, "contentFailure", o.contentFailure());
    }
    if (o.promptExcerpt() != null) {
      string(out, "prompt", o.promptExcerpt());
    }
    out.append('}');
  }

  /** The time now, ISO-8601; formatted once per millisecond. */
  private String timestamp() {
    long now = clock.millis();
    if (now != stampMillis) {
      stampMillis = now;
      stamp = Instant.ofEpochMilli(now).toString();
    }
    return stamp;
  }

  private static void string(StringBuilder out, String name, String value) {
    out.append(",\"").append(name).append("\":");
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void millis(StringBuilder out, String name, double ms) {
    out.append(",\"").append(name).append("\":");
    if (ms < 0) {
      out.append("null");
    } else {
      decimal(out, Math.round(ms * 1000), 1000);
    }
  }

  /** {@code scaled / unit} as a decimal number without trailing zeros ({@code Double.toString} costs more). */
  private static void decimal(StringBuilder out, long scaled, long unit) {
    if (scaled < 0) {
      out.append('-');
      scaled = -scaled;
    }
    out.append(scaled / unit);
    long fraction = scaled % unit;
    if (fraction == 0) {
      return;
    }
    out.append('.');
    for (long digit = unit / 10; digit > 0 && fraction > 0; digit /= 10) {
      out.append((char) ('0' + fraction / digit));
      fraction %= digit;
    }
  }

  private static void count(StringBuilder out, String name, long value) {
    out.append(",\"").append(name).append("\":");
    if (value < 0) {
      out.append("null");
    } else {
      out.append(value);
    }
  }
}
