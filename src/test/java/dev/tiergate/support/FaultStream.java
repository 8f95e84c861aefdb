package dev.tiergate.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Plays the frames of one streamed answer with timers (never sleeps): 200 headers at once, the first frame after
 * {@code firstDelayMs}, one frame per {@code gapMs}, then the {@link Ending}. With {@code splitBytes > 0} the bytes
 * go out in writes of that size, cut across frame boundaries (each write is its own HTTP chunk); what is left of the
 * last frame is written before the ending. Stops writing once the connection is gone.
 */
final class FaultStream {

  /** What happens after the last frame. */
  enum Ending {
    /** End the response normally. */
    END,
    /** Close the connection: no last chunk. */
    CLOSE,
    /** Send nothing more and keep the connection open. */
    STALL
  }

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final List<String> frames;
  private final Ending ending;
  private final long gapMs;
  private final int splitBytes;
  private Buffer pending = Buffer.buffer();
  private int next;

  FaultStream(Vertx vertx, HttpServerRequest request, List<String> frames, Ending ending, long gapMs,
              int splitBytes) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.frames = frames;
    this.ending = ending;
    this.gapMs = gapMs;
    this.splitBytes = splitBytes;
  }

  void start(String contentType, long firstDelayMs) {
    response.setStatusCode(200).setChunked(true).putHeader("content-type", contentType)
        .putHeader("cache-control", "no-cache").writeHead();
    vertx.setTimer(Math.max(1, firstDelayMs), id -> writeNext());
  }

  private void writeNext() {
    if (response.closed()) {
      return;
    }
    if (next < frames.size()) {
      write(Buffer.buffer(frames.get(next++)));
      vertx.setTimer(Math.max(1, gapMs), id -> writeNext());
      return;
    }
    if (pending.length() > 0) {
      response.write(pending);
    }
    switch (ending) {
      case END -> response.end();
      case CLOSE -> request.connection().close();
      case STALL -> {
      }
    }
  }

  private void write(Buffer frame) {
    if (splitBytes <= 0) {
      response.write(frame);
      return;
    }
    pending.appendBuffer(frame);
    int whole = pending.length() / splitBytes * splitBytes;
    for (int offset = 0; offset < whole; offset += splitBytes) {
      response.write(pending.getBuffer(offset, offset + splitBytes));
    }
    pending = pending.getBuffer(whole, pending.length());
  }
}
