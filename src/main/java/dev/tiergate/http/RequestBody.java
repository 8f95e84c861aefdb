package dev.tiergate.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit. A declared {@code Content-Length} over the limit is refused before a byte is
 * read; a chunked body is refused the moment it crosses the limit, so an oversized body is never buffered whole.
 */
final class RequestBody {

  private RequestBody() {
  }

  static Future<Buffer> read(HttpServerRequest request, long limit) {
    String declared = request.getHeader("content-length");
    if (declared != null && parse(declared) > limit) {
      return Future.failedFuture(GatewayException.tooLarge(limit));
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        promise.tryFail(GatewayException.tooLarge(limit));
        return;
      }
      if (!promise.future().isComplete()) {
        body.appendBuffer(chunk);
      }
    });
    // The client reset or broke the stream (a cancelled upload, a bad chunk): its doing, so a 4xx, not a 500 with a
    // stack trace in the log for every client that gives up.
    request.exceptionHandler(e -> promise.tryFail(GatewayException.badRequest("invalid_request",
        "The request body ended early: the connection failed while it was being sent")));
    request.endHandler(v -> promise.tryComplete(body));
    request.resume();
    return promise.future();
  }

  private static long parse(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw GatewayException.badRequest("invalid_request", "Invalid Content-Length header");
    }
  }
}
