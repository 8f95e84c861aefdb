package dev.tiergate.support;

import dev.tiergate.support.FaultFrames.Failure;
import dev.tiergate.support.FaultStream.Ending;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of {@link FaultUpstream} to one request: an error in the request's format, or {@link FaultUpstream#ANSWER}
 * (what a prefill leaves of it) in one of the {@link Shape}s, streamed or whole as the request asks.
 */
final class FaultReply {

  /** How the answer goes wrong, if it does. */
  enum Shape {
    /** Healthy. */
    WHOLE,
    /** Healthy, but the first frame (a whole answer: the body) comes after {@code firstTokenDelayMs}. */
    LATE,
    /** Stops after {@code cutAfterWords} pieces and closes the connection (a whole answer: half the body). */
    CUT,
    /** Stops after {@code cutAfterWords} pieces and keeps the connection open (a whole answer: half the body). */
    STALL,
    /** A malformed frame after {@code cutAfterWords} pieces, then the rest (a whole answer: half the body). */
    MALFORMED,
    /** Every piece, then a clean end without finish reason or end marker (a whole answer: healthy). */
    NO_DONE
  }

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final FaultFrames wire;
  private final JsonObject body;
  private final String model;
  private final String prefill;
  private final FaultUpstream.Knobs knobs;

  FaultReply(Vertx vertx, HttpServerRequest request, FaultFrames wire, JsonObject body, String model, String prefill,
             FaultUpstream.Knobs knobs) {
    this.vertx = vertx;
    this.request = request;
    this.wire = wire;
    this.body = body;
    this.model = model;
    this.prefill = prefill;
    this.knobs = knobs;
  }

  /** Answers {@code failure} in the request's format, with optional header pairs. */
  void fail(Failure failure, String... headers) {
    HttpServerResponse response = request.response().setStatusCode(failure.status())
        .putHeader("content-type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      response.putHeader(headers[i], headers[i + 1]);
    }
    response.end(wire.error(failure));
  }

  /** Answers with what is left of ANSWER after the prefill, or 400 when the prefill does not start it. */
  void answer(Shape shape) {
    String text = FaultUpstream.remainder(prefill);
    if (text == null) {
      fail(Failure.prefillMismatch());
    } else if (wire.streams(body)) {
      stream(shape, FaultUpstream.pieces(text));
    } else {
      whole(shape, wire.whole(model, text, FaultUpstream.pieces(text).size()));
    }
  }

  private void stream(Shape shape, List<String> pieces) {
    int cut = Math.min(knobs.cutAfterWords(), pieces.size());
    List<String> frames = new ArrayList<>(wire.head(model));
    List<String> before = shape == Shape.CUT || shape == Shape.STALL || shape == Shape.MALFORMED
        ? pieces.subList(0, cut) : pieces;
    before.forEach(piece -> frames.add(wire.piece(model, piece)));
    if (shape == Shape.MALFORMED) {
      frames.add(wire.malformed());
      pieces.subList(cut, pieces.size()).forEach(piece -> frames.add(wire.piece(model, piece)));
    }
    if (shape == Shape.WHOLE || shape == Shape.LATE || shape == Shape.MALFORMED) {
      frames.addAll(wire.tail(body, pieces.size()));
    }
    Ending ending = switch (shape) {
      case CUT -> Ending.CLOSE;
      case STALL -> Ending.STALL;
      default -> Ending.END;
    };
    new FaultStream(vertx, request, frames, ending, knobs.gapMs(), knobs.splitBytes())
        .start(wire.streamType(), shape == Shape.LATE ? knobs.firstTokenDelayMs() : 0);
  }

  private void whole(Shape shape, String json) {
    HttpServerResponse response = request.response().putHeader("content-type", "application/json");
    String half = json.substring(0, json.length() / 2);
    switch (shape) {
      case LATE -> vertx.setTimer(Math.max(1, knobs.firstTokenDelayMs()), id -> {
        if (!response.closed()) {
          response.end(json);
        }
      });
      case CUT -> response.setChunked(true).write(half).onComplete(ar -> request.connection().close());
      case STALL -> response.setChunked(true).write(half);
      case MALFORMED -> response.end(half);
      default -> response.end(json);
    }
  }

  /**
   * The text of the last message when it is the assistant's (the same shape in all three formats: a string, or
   * blocks with {@code text}), else null.
   */
  static String prefillOf(JsonObject body) {
    JsonArray messages = body.getValue("messages") instanceof JsonArray array ? array : new JsonArray();
    if (messages.isEmpty() || !(messages.getValue(messages.size() - 1) instanceof JsonObject last)
        || !"assistant".equals(last.getValue("role"))) {
      return null;
    }
    Object content = last.getValue("content");
    if (content instanceof String text) {
      return text;
    }
    StringBuilder text = new StringBuilder();
    if (content instanceof JsonArray blocks) {
      for (Object block : blocks) {
        if (block instanceof JsonObject part && part.getValue("text") instanceof String piece) {
          text.append(piece);
        }
      }
    }
    return text.toString();
  }
}
