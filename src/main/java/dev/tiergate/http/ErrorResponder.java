package dev.tiergate.http;

import dev.tiergate.wire.ClientFormat;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes an HTTP error response in the client's wire format, and the one place it is
 * logged. Unexpected exceptions become a 500 whose body says nothing about internals.
 */
public final class ErrorResponder {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);
  /** How long a refused oversized upload may go on before its connection is closed. */
  static final long LINGER_MS = 2_000;

  private final long maxBodyBytes;

  public ErrorResponder(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Failure handler for a route: maps {@code ctx.failure()} or {@code ctx.statusCode()} and answers in the format of
   * the API the path belongs to.
   */
  public void handle(RoutingContext ctx) {
    GatewayException error = toGatewayException(ctx);
    Future<Void> written = answer(ctx.response(), ClientFormat.forPath(ctx.request().path()), error,
        RequestIds.of(ctx));
    if (unreadBody(error) && ctx.request().version() != HttpVersion.HTTP_2) {
      closeAfterLinger(ctx, written);
    }
  }

  /** Refusals that leave the request body unread (too large, too slow): the connection cannot be reused. */
  private static boolean unreadBody(GatewayException error) {
    return error.status() == 413 || error.status() == 408;
  }

  /**
   * After a 413 or 408 the rest of the body is never read, so the connection cannot carry another request; Vert.x would keep
   * it open, reading on, for as long as the client sends ("connection: close" or not). It is closed once the client
   * has finished sending, or {@value #LINGER_MS} ms after the answer went out: closing at once, with the client's
   * bytes unread, makes the kernel reset the connection and the client can lose the answer (RFC 9112 §9.6).
   */
  private static void closeAfterLinger(RoutingContext ctx, Future<Void> written) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    written.onComplete(ar -> {
      if (request.isEnded()) {
        connection.close();
        return;
      }
      long timer = ctx.vertx().setTimer(LINGER_MS, id -> connection.close());
      request.endHandler(v -> {
        ctx.vertx().cancelTimer(timer);
        connection.close();
      });
    });
  }

  /** Writes {@code error} in {@code format} if the response has not started; otherwise just closes it. */
  public void send(HttpServerResponse response, ClientFormat format, GatewayException error, String requestId) {
    answer(response, format, error, requestId);
  }

  private Future<Void> answer(HttpServerResponse response, ClientFormat format, GatewayException error,
                              String requestId) {
    if (error.status() >= 500) {
      LOG.warn("request {} failed: {} {} ({})", requestId, error.status(), error.errorClass(), error.getMessage());
    } else {
      LOG.debug("request {} refused: {} {}", requestId, error.status(), error.getMessage());
    }
    if (response.headWritten()) {
      if (!response.ended()) {
        response.reset();
      }
      return Future.succeededFuture();
    }
    if (response.closed()) {
      return Future.succeededFuture();
    }
    response.setStatusCode(error.status()).putHeader("content-type", "application/json");
    if (error.retryAfter() != null) {
      response.putHeader("retry-after", error.retryAfter());
    }
    if (unreadBody(error)) {
      response.putHeader("connection", "close");
    }
    return response.end(format.errorBody(error));
  }

  private GatewayException toGatewayException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof GatewayException gatewayException) {
      return gatewayException;
    }
    int status = failure instanceof io.vertx.ext.web.handler.HttpException http ? http.getStatusCode()
        : ctx.statusCode();
    // Vert.x Web refuses some requests itself with a 4xx and a plain exception (an invalid Host header, a path that
    // does not start with '/'): the client's mistake, not a 500.
    if (failure == null || failure instanceof io.vertx.ext.web.handler.HttpException
        || failure instanceof VertxException && status >= 400 && status < 500) {
      return switch (status) {
        case 413 -> GatewayException.tooLarge(maxBodyBytes);
        case 404 -> GatewayException.notFound("not_found", "No such endpoint: " + ctx.request().method() + " "
            + ctx.request().path());
        case 405 -> GatewayException.methodNotAllowed(ctx.request().method() + " is not allowed on "
            + ctx.request().path());
        case 400 -> GatewayException.badRequest("invalid_request", failure instanceof VertxException
            && failure.getMessage() != null ? "The request could not be read: " + failure.getMessage()
            : "The request could not be read");
        default -> {
          LOG.error("request {} failed with status {}", RequestIds.of(ctx), status);
          yield GatewayException.internal("Internal gateway error");
        }
      };
    }
    LOG.error("request {} failed unexpectedly", RequestIds.of(ctx), failure);
    return GatewayException.internal("Internal gateway error");
  }
}
