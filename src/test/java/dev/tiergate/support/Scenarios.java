package dev.tiergate.support;

import dev.tiergate.support.FakeUpstream.Exchange;
import dev.tiergate.support.FakeUpstream.Scenario;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/** Behaviours of the {@link FakeUpstream}: real answers and the faults real providers show. */
public final class Scenarios {

  private Scenarios() {
  }

  /** A normal non-streamed completion, or a stream of {@code text}'s words when the request asks for one. */
  public static Scenario completion(String text) {
    return exchange -> {
      if (exchange.body().getBoolean("stream", false)) {
        boolean usage = exchange.body().getJsonObject("stream_options", new io.vertx.core.json.JsonObject())
            .getBoolean("include_usage", false);
        stream(StreamPlan.of(OpenAiFrames.stream(usage, text.split("(?<= )")))).answer(exchange);
      } else {
        exchange.request().response().putHeader("content-type", "application/json")
            .end(OpenAiFrames.completion(text).encode());
      }
    };
  }

  /** Answers {@code status} with a JSON body and optional header pairs. */
  public static Scenario status(int status, String body, String... headers) {
    return exchange -> {
      HttpServerResponse response = exchange.request().response().setStatusCode(status)
          .putHeader("content-type", "application/json");
      for (int i = 0; i + 1 < headers.length; i += 2) {
        response.putHeader(headers[i], headers[i + 1]);
      }
      response.end(body);
    };
  }

  /** Answers the n-th request with the n-th step; the last step answers every request after it. */
  public static Scenario sequence(Scenario... steps) {
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    return exchange -> steps[Math.min(next.getAndIncrement(), steps.length - 1)].answer(exchange);
  }

  /** Closes the connection without answering. */
  public static Scenario resetBeforeHeaders() {
    return exchange -> exchange.request().connection().close();
  }

  /** Never answers (the gateway must time out or cancel). */
  public static Scenario hang() {
    return exchange -> {
    };
  }

  /** Sends 200 SSE headers, then nothing. */
  public static Scenario headersThenStall() {
    return exchange -> exchange.request().response().setChunked(true)
        .putHeader("content-type", "text/event-stream").writeHead();
  }

  /** Streams according to {@code plan}. */
  public static Scenario stream(StreamPlan plan) {
    return exchange -> new Streamer(exchange, plan).start();
  }

  /** Progress of a {@link #flood} answer, read by the test. */
  public static final class FloodProbe {
    private volatile long framesWritten;
    private volatile boolean queueFull;
    private volatile boolean finished;

    public long framesWritten() {
      return framesWritten;
    }

    /** Whether the fake's write queue is full right now (the gateway is not reading). */
    public boolean queueFull() {
      return queueFull;
    }

    public boolean finished() {
      return finished;
    }
  }

  /**
   * Streams {@code maxFrames} copies of {@code frame} as fast as the gateway reads them: writes until the write queue
   * is full, waits for a drain, repeats; then [DONE].
   */
  public static Scenario flood(String frame, int maxFrames, FloodProbe probe) {
    return exchange -> {
      HttpServerResponse response = exchange.request().response().setChunked(true)
          .putHeader("content-type", "text/event-stream");
      Buffer bytes = Buffer.buffer(frame);
      Runnable[] fill = new Runnable[1];
      fill[0] = () -> {
        probe.queueFull = false;
        while (probe.framesWritten < maxFrames) {
          response.write(bytes.copy());
          probe.framesWritten++;
          if (response.writeQueueFull()) {
            probe.queueFull = true;
            response.drainHandler(v -> fill[0].run());
            return;
          }
        }
        response.end("data: [DONE]\n\n");
        probe.finished = true;
      };
      fill[0].run();
    };
  }

  /** Plays a {@link StreamPlan} with timers (never sleeps). */
  private static final class Streamer {
    private final Exchange exchange;
    private final StreamPlan plan;
    private final HttpServerResponse response;
    private final List<Buffer> pieces = new ArrayList<>();
    private int next;

    Streamer(Exchange exchange, StreamPlan plan) {
      this.exchange = exchange;
      this.plan = plan;
      this.response = exchange.request().response();
    }

    void start() {
      List<String> frames = plan.frames();
      int last = plan.cutAfterFrames() >= 0 ? Math.min(plan.cutAfterFrames(), frames.size()) : frames.size();
      int stall = plan.stallAfterFrames() >= 0 ? Math.min(plan.stallAfterFrames(), last) : last;
      Buffer all = Buffer.buffer();
      frames.subList(0, stall).forEach(all::appendString);
      split(all);
      response.setStatusCode(plan.status()).setChunked(true).putHeader("content-type", plan.contentType());
      exchange.vertx().setTimer(Math.max(1, plan.firstDelayMs()), id -> writeNext());
    }

    private void split(Buffer all) {
      int[] sizes = plan.splitSizes();
      int offset = 0;
      int i = 0;
      while (offset < all.length()) {
        int size = sizes.length == 0 ? all.length() : Math.max(1, sizes[i++ % sizes.length]);
        int end = Math.min(all.length(), offset + size);
        pieces.add(all.getBuffer(offset, end));
        offset = end;
      }
    }

    private void writeNext() {
      if (next < pieces.size()) {
        response.write(pieces.get(next++));
        if (plan.gapMs() == 0) {
          writeNext();
        } else {
          exchange.vertx().setTimer(plan.gapMs(), id -> writeNext());
        }
        return;
      }
      finish();
    }

    private void finish() {
      if (plan.cutAfterFrames() >= 0) {
        exchange.request().connection().close();
      } else if (plan.stallAfterFrames() < 0) {
        response.end();
      }
    }
  }

  /**
   * How a stream is played.
   *
   * @param splitSizes       byte sizes of successive writes, cycled; empty = one write for everything
   * @param cutAfterFrames   close the connection after this many frames (-1 = never)
   * @param stallAfterFrames stop writing after this many frames and keep the connection open (-1 = never)
   */
  public record StreamPlan(List<String> frames, int status, String contentType, int[] splitSizes, long gapMs,
                           long firstDelayMs, int cutAfterFrames, int stallAfterFrames) {

    public static StreamPlan of(List<String> frames) {
      return new StreamPlan(frames, 200, "text/event-stream", new int[0], 0, 0, -1, -1);
    }

    public StreamPlan split(int... sizes) {
      return new StreamPlan(frames, status, contentType, sizes, gapMs, firstDelayMs, cutAfterFrames, stallAfterFrames);
    }

    public StreamPlan gap(long ms) {
      return new StreamPlan(frames, status, contentType, splitSizes, ms, firstDelayMs, cutAfterFrames,
          stallAfterFrames);
    }

    public StreamPlan firstDelay(long ms) {
      return new StreamPlan(frames, status, contentType, splitSizes, gapMs, ms, cutAfterFrames, stallAfterFrames);
    }

    public StreamPlan cutAfter(int count) {
      return new StreamPlan(frames, status, contentType, splitSizes, gapMs, firstDelayMs, count, stallAfterFrames);
    }

    public StreamPlan stallAfter(int count) {
      return new StreamPlan(frames, status, contentType, splitSizes, gapMs, firstDelayMs, cutAfterFrames, count);
    }
  }
}
