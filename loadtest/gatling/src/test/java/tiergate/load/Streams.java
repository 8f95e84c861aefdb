package tiergate.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One streamed request as a Gatling chain, for the OpenAI ({@code data: [DONE]}) and Anthropic ({@code message_stop})
 * formats.
 *
 * <p>Gatling side: {@code sse(name).post(path)} (Gatling fails the connect unless the status is 200) with one blocking
 * check, {@code await(timeoutS).on(sse.checkMessage(name + " done").matching(…))}, that waits for the end-of-stream
 * message; Gatling reports it as the request {@code NAME done}, whose time is the whole stream. Gatling evaluates the
 * {@code matching} condition on every message that arrives while the check waits, on its event loop as the message
 * comes in: the condition feeds each message to this stream's {@link Probe} (kept in the session), which takes the
 * time with {@link System#nanoTime()} and records TTFT (request start to the first message carrying content) and the
 * gaps between consecutive content messages in {@link Recorder}. After the check, the chain judges the stream:
 * missing end-of-stream, fewer than {@code chunks} content messages or an error frame are errors.
 *
 * <p>Why not {@code sse.processUnmatchedMessages} in an {@code asLongAs} loop: while a check is pending Gatling does
 * not keep the messages the check does not match (the unmatched buffer stays empty), and a polling loop with a pause
 * per virtual user costs hundreds of thousands of actions per second at 10,000 streams on one core.
 */
final class Streams {

  enum Format {
    OPENAI("[DONE]"), ANTHROPIC("message_stop");

    final String doneMarker;

    Format(String doneMarker) {
      this.doneMarker = doneMarker;
    }
  }

  /** {@code -DdebugMessages=true}: print the messages of the first stream as Gatling hands them over. */
  static final boolean DEBUG = Params.bool("debugMessages", false);
  static final AtomicBoolean DEBUG_PRINTED = new AtomicBoolean();

  private Streams() {
  }

  static HttpProtocolBuilder protocol() {
    HttpProtocolBuilder p = http.baseUrl(Params.baseUrl()).disableWarmUp().disableCaching()
        .acceptEncodingHeader("identity").userAgentHeader("tiergate-gatling");
    return Params.bool("shareConnections", true) ? p.shareConnections() : p;
  }

  /** The mock knobs as headers (the gateway does not forward them; the body's metadata carries them too). */
  static Map<String, String> mockHeaders() {
    return Map.of(
        "x-mock-chunks", Integer.toString(Params.integer("chunks", 20)),
        "x-mock-gap-ms", Integer.toString(Params.integer("gapMs", 50)),
        "x-mock-first-token-ms", Integer.toString(Params.integer("firstTokenMs", 0)),
        "x-mock-fault-rate", Double.toString(Params.dbl("faultRate", 0)));
  }

  static String metadataJson() {
    return "{\"mock_chunks\":" + Params.integer("chunks", 20) + ",\"mock_gap_ms\":" + Params.integer("gapMs", 50)
        + ",\"mock_first_token_ms\":" + Params.integer("firstTokenMs", 0) + ",\"mock_fault_rate\":"
        + Params.dbl("faultRate", 0) + "}";
  }

  /** The chain for one stream; {@code extraHeaders} are added to the request (e.g. an API version). */
  static ChainBuilder stream(String name, String path, String body, Format format, Map<String, String> extraHeaders) {
    int chunks = Params.integer("chunks", 20);
    Duration timeout = Duration.ofSeconds(Params.integer("timeoutS", 30));
    Map<String, String> headers = new HashMap<>(mockHeaders());
    headers.putAll(extraHeaders);
    headers.put("content-type", "application/json");
    headers.put("accept", "text/event-stream");
    return exec(session -> session.set("probe", new Probe(format)))
        .exec(sse(name).post(path).headers(headers).body(StringBody(body))
            .await(timeout).on(sse.checkMessage(name + " done")
                .matching(bodyString().transformWithSession((msg, session) -> {
                  Probe probe = session.get("probe");
                  return probe.onMessage(msg, System.nanoTime());
                }).is(true))))
        .exec(session -> account(session, chunks))
        .exec(sse(name + " close").close());
  }

  /** What one stream received; fed by Gatling's event loop, read by the chain after the stream. */
  static final class Probe {
    final Format format;
    final long start = System.nanoTime();
    int messages;
    int content;
    long prev;
    boolean done;
    String errorFrame;

    Probe(Format format) {
      this.format = format;
    }

    /** Returns true for the end-of-stream message. */
    boolean onMessage(String msg, long now) {
      messages++;
      if (DEBUG && DEBUG_PRINTED.compareAndSet(false, true)) {
        System.out.println("DEBUG first message of the first stream: " + msg);
      }
      if (msg.contains(format.doneMarker)) {
        done = true;
        if (Recorder.measured(start)) {
          Recorder.recordNanos("total_ms", now - start);
        }
        return true;
      }
      if (hasContent(msg, format)) {
        if (!Recorder.measured(start)) {
          content++;
        } else if (content++ == 0) {
          Recorder.recordNanos("ttft_ms", now - start);
        } else {
          Recorder.recordNanos("gap_ms", now - prev);
        }
        prev = now;
      } else if (msg.contains("\"error\"")) {
        errorFrame = msg.length() > 300 ? msg.substring(0, 300) : msg;
      }
      return false;
    }
  }

  /** Judges and counts one finished (or failed) stream. */
  static Session account(Session session, int chunks) {
    Probe p = session.get("probe");
    if (p.messages == 0 && session.isFailed()) {
      // Gatling's SSE connect has no HTTP checks: a non-200 answer (e.g. a 503 refusal) or a connect error fails the
      // connect request (KO "NAME" in the report, with the status in its error message) and no message arrives.
      Recorder.count("error_connect_or_refused");
      if (Recorder.measured(p.start)) {
        Recorder.recordNanos("failed_connect_ms", System.nanoTime() - p.start);
      }
      return session;
    }
    if (!p.done) {
      Recorder.count("error_no_end_of_stream");
      return session.markAsFailed();
    }
    if (p.errorFrame != null) {
      Recorder.count("error_frame");
      return session.markAsFailed();
    }
    if (p.content < chunks) {
      Recorder.count("error_short_stream");
      return session.markAsFailed();
    }
    Recorder.count("ok");
    return session;
  }

  /** Whether a message carries content: an Anthropic text_delta, an OpenAI chunk with a non-empty content string. */
  static boolean hasContent(String msg, Format format) {
    if (format == Format.ANTHROPIC) {
      return msg.contains("text_delta");
    }
    int i = msg.indexOf("content");
    while (i >= 0) {
      int j = i + 7;
      // the key's closing quote (maybe escaped), the colon, then an opening quote (maybe escaped) and one character
      while (j < msg.length() && (msg.charAt(j) == '\\' || msg.charAt(j) == '"' || msg.charAt(j) == ' ')) {
        j++;
      }
      if (j < msg.length() && msg.charAt(j) == ':') {
        j++;
        while (j < msg.length() && msg.charAt(j) == ' ') {
          j++;
        }
        if (j < msg.length() && msg.charAt(j) == '\\') {
          j++;
        }
        if (j < msg.length() && msg.charAt(j) == '"') {
          j++;
          if (j < msg.length() && msg.charAt(j) != '"' && msg.charAt(j) != '\\') {
            return true;
          }
        }
      }
      i = msg.indexOf("content", i + 7);
    }
    return false;
  }
}
