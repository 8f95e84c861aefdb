package dev.tiergate.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/** Reads a whole (small) upstream body, refusing more than a limit instead of growing without bound. */
final class BoundedBody {

  private BoundedBody() {
  }

  static Future<Buffer> read(HttpClientResponse response, int limit) {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        if (promise.tryFail(GatewayException.badGateway("upstream_response_too_large",
            "The upstream response exceeded " + limit + " bytes"))) {
          response.request().reset();
        }
        return;
      }
      body.appendBuffer(chunk);
    });
    response.exceptionHandler(promise::tryFail);
    response.endHandler(v -> promise.tryComplete(body));
    response.resume();
    return promise.future();
  }
}
