package dev.tiergate.http;

import dev.tiergate.provider.SseEvent;
import dev.tiergate.provider.SseFormatException;
import dev.tiergate.provider.SseParser;
import dev.tiergate.provider.StreamTap;
import dev.tiergate.provider.Usage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays one upstream SSE stream to the client, event by event, as it arrives. Bytes pass through untouched; the
 * {@link StreamTap} only reads them (and may drop an event the client did not ask for). Backpressure: when the client's
 * write queue is full the upstream is paused until the client drains, so memory per stream stays bounded by the
 * write queue plus one partial event. Idle time is only counted while the relay is not paused by the client.
 *
 * <p>Not thread-safe: used on the call's event loop only. It never ends the client response itself; it reports to its
 * {@link Listener}, which decides between success, fallback and an error frame.
 */
final class StreamRelay {

  /** Callbacks to the call that owns the relay. */
  interface Listener {

    /** Called once, just before the first bytes of content are written to the client. */
    void onFirstContent();

    /** The upstream signalled the end of the stream and every byte was written. */
    void onStreamEnd();

    /** The stream failed; the upstream must be torn down. */
    void onStreamFailure(GatewayException error);
  }

  private static final Buffer DONE_FRAME = Buffer.buffer("data: [DONE]\n\n");

  private final Vertx vertx;
  private final HttpClientResponse upstream;
  private final HttpServerResponse client;
  private final StreamTap tap;
  private final long idleMs;
  private final Listener listener;
  private final SseParser parser;
  private Buffer out;
  private boolean started;
  private boolean done;
  private boolean stopped;
  private boolean paused;
  private boolean receiving;
  private long lastActivity;
  private long idleTimer = -1;

  StreamRelay(Vertx vertx, HttpClientResponse upstream, HttpServerResponse client, StreamTap tap, int maxEventBytes,
              long idleMs, Listener listener) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.client = client;
    this.tap = tap;
    this.idleMs = idleMs;
    this.listener = listener;
    this.parser = new SseParser(maxEventBytes, this::onEvent);
  }

  void start() {
    upstream.handler(this::onChunk);
    upstream.endHandler(v -> onUpstreamEnd());
    upstream.exceptionHandler(e -> onUpstreamError());
    upstream.resume();
  }

  Usage usage() {
    return tap.usage();
  }

  /** Stops relaying; the owner resets the upstream request. */
  void stop() {
    stopped = true;
    cancelIdle();
  }

  private void onChunk(Buffer chunk) {
    if (stopped || done) {
      return;
    }
    lastActivity = System.nanoTime();
    if (!receiving) {
      receiving = true;
      armIdle();
    }
    try {
      parser.feed(chunk);
    } catch (SseFormatException e) {
      flush();
      fail(GatewayException.badGateway("upstream_malformed_stream", e.getMessage()));
      return;
    } catch (GatewayException e) {
      flush();
      fail(e);
      return;
    }
    flush();
  }

  private void onEvent(SseEvent event) {
    if (done) {
      return;
    }
    switch (tap.inspect(event)) {
      case FORWARD -> append(event.raw());
      case KEEPALIVE -> {
        if (started) {
          append(event.raw());
        }
      }
      case DONE -> {
        append(event.raw());
        done = true;
      }
      case DROP -> {
      }
    }
  }

  private void append(Buffer raw) {
    if (out == null) {
      out = raw;
    } else {
      out.appendBuffer(raw);
    }
  }

  private void flush() {
    if (stopped || out == null) {
      return;
    }
    Buffer data = out;
    out = null;
    if (!started) {
      started = true;
      listener.onFirstContent();
    }
    client.write(data);
    if (done) {
      finishDone();
    } else if (client.writeQueueFull()) {
      pauseForClient();
    }
  }

  private void pauseForClient() {
    paused = true;
    upstream.pause();
    cancelIdle();
    client.drainHandler(v -> {
      if (stopped || !paused) {
        return;
      }
      paused = false;
      lastActivity = System.nanoTime();
      armIdle();
      upstream.resume();
    });
  }

  private void finishDone() {
    // The client has everything; let the upstream finish in the background (its connection goes back to the pool).
    cancelIdle();
    upstream.resume();
    listener.onStreamEnd();
  }

  private void onUpstreamEnd() {
    cancelIdle();
    if (stopped || done) {
      return;
    }
    if (parser.buffered() == 0 && tap.usage().finishReason() != null) {
      // Some OpenAI-compatible servers finish cleanly without the [DONE] sentinel; the finish reason proves the answer
      // is complete, so the client still gets a well-formed end.
      append(DONE_FRAME.copy());
      done = true;
      flush();
      return;
    }
    fail(GatewayException.badGateway("upstream_stream_cut", "The upstream ended the stream before it was complete"));
  }

  private void onUpstreamError() {
    if (stopped || done) {
      return;
    }
    fail(GatewayException.badGateway("upstream_stream_reset", "The upstream connection failed mid-stream"));
  }

  private void fail(GatewayException error) {
    if (stopped) {
      return;
    }
    stop();
    listener.onStreamFailure(error);
  }

  private void armIdle() {
    cancelIdle();
    if (!stopped && !paused && !done) {
      idleTimer = vertx.setTimer(idleMs, id -> onIdleCheck());
    }
  }

  /** One timer per idle period: re-armed for the remainder when data arrived meanwhile (cheaper than per chunk). */
  private void onIdleCheck() {
    idleTimer = -1;
    if (stopped || paused || done) {
      return;
    }
    long silentMs = (System.nanoTime() - lastActivity) / 1_000_000;
    if (silentMs < idleMs) {
      idleTimer = vertx.setTimer(idleMs - silentMs, id -> onIdleCheck());
      return;
    }
    fail(GatewayException.timeout("upstream_idle_timeout",
        "The upstream sent nothing for " + idleMs + " ms in the middle of the stream"));
  }

  private void cancelIdle() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }
}
