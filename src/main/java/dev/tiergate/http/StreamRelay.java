package dev.tiergate.http;

import dev.tiergate.provider.FrameParser;
import dev.tiergate.provider.Framing;
import dev.tiergate.provider.SseEvent;
import dev.tiergate.provider.SseFormatException;
import dev.tiergate.provider.Usage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.LongConsumer;

/**
 * Relays one upstream stream (SSE or NDJSON) to the client, frame by frame, as it arrives. The
 * {@link StreamTransformer} decides what each frame becomes for the client: its own bytes (same format) or its
 * translation. Backpressure: when the client's
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

  private final Vertx vertx;
  private final HttpClientResponse upstream;
  private final HttpServerResponse client;
  private final StreamTransformer transformer;
  private final long idleMs;
  private final Listener listener;
  private final FrameParser parser;
  private final LongConsumer chunkGaps;
  private long processingNanos;
  private long lastWriteNanos = -1;
  private Buffer out;
  private boolean started;
  private boolean done;
  private boolean stopped;
  private boolean paused;
  private boolean receiving;
  private long lastActivity;
  private long idleTimer = -1;

  StreamRelay(Vertx vertx, HttpClientResponse upstream, HttpServerResponse client, Framing framing,
              StreamTransformer transformer, int maxEventBytes, long idleMs, Listener listener,
              LongConsumer chunkGaps) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.client = client;
    this.transformer = transformer;
    this.idleMs = idleMs;
    this.listener = listener;
    this.parser = framing.newParser(maxEventBytes, this::onEvent);
    this.chunkGaps = chunkGaps;
  }

  void start() {
    upstream.handler(this::onChunk);
    upstream.endHandler(v -> onUpstreamEnd());
    upstream.exceptionHandler(e -> onUpstreamError());
    upstream.resume();
  }

  Usage usage() {
    return transformer.usage();
  }

  boolean reasoningStripped() {
    return transformer.reasoningStripped();
  }

  String contentFailure() {
    return transformer.contentFailure();
  }

  long outputChars() {
    return transformer.outputChars();
  }

  /** What the client received through this relay, for a continuation; null when it cannot be continued. */
  Resume resumePoint() {
    return transformer.resumePoint();
  }

  /** Time spent parsing, transforming and writing the upstream's chunks: the gateway's share of the stream. */
  long processingNanos() {
    return processingNanos;
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
    long arrived = System.nanoTime();
    lastActivity = arrived;
    if (!receiving) {
      receiving = true;
      armIdle();
    }
    relay(chunk);
    processingNanos += System.nanoTime() - arrived;
  }

  private void relay(Buffer chunk) {
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
    done = transformer.onFrame(event, started, this::append);
  }

  private void append(Buffer raw) {
    if (out == null) {
      out = raw;
    } else {
      out.appendBuffer(raw);
    }
  }

  private void flush() {
    if (stopped) {
      return;
    }
    if (out == null) {
      if (done) {
        finishDone();
      }
      return;
    }
    Buffer data = out;
    out = null;
    if (!started) {
      started = true;
      listener.onFirstContent();
    } else {
      chunkGaps.accept(lastActivity - lastWriteNanos);
    }
    lastWriteNanos = lastActivity;
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
    try {
      if (parser.buffered() == 0 && transformer.onUpstreamEnd(this::append)) {
        // A stream that ends without its end marker but provably complete still gets a well-formed end.
        done = true;
        flush();
        return;
      }
    } catch (GatewayException e) {
      flush();
      fail(e);
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
