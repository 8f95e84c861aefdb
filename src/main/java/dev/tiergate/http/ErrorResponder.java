package dev.tiergate.http;

import dev.tiergate.wire.ClientFormat;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes an HTTP error response in the client's wire format, and the one place it is
 * logged. Unexpected exceptions become a 500 whose body says nothing about internals.
 */
public final class ErrorResponder {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

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
    send(ctx.response(), ClientFormat.forPath(ctx.request().path()), error, RequestIds.of(ctx));
  }

  /** Writes {@code error} in {@code format} if the response has not started; otherwise just closes it. */
  public void send(HttpServerResponse response, ClientFormat format, GatewayException error, String requestId) {
    if (error.status() >= 500) {
      LOG.warn("request {} failed: {} {} ({})", requestId, error.status(), error.errorClass(), error.getMessage());
    } else {
      LOG.debug("request {} refused: {} {}", requestId, error.status(), error.getMessage());
    }
    if (response.headWritten()) {
      if (!response.ended()) {
        response.reset();
      }
      return;
    }
    if (response.closed()) {
      return;
    }
    response.setStatusCode(error.status()).putHeader("content-type", "application/json");
    if (error.retryAfter() != null) {
      response.putHeader("retry-after", error.retryAfter());
    }
    if (error.status() == 413) {
      // The rest of the oversized body is never read: close rather than drain it.
      response.putHeader("connection", "close");
    }
    response.end(format.errorBody(error));
  }

  private GatewayException toGatewayException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof GatewayException gatewayException) {
      return gatewayException;
    }
    if (failure == null || failure instanceof io.vertx.ext.web.handler.HttpException) {
      int status = failure == null ? ctx.statusCode()
          : ((io.vertx.ext.web.handler.HttpException) failure).getStatusCode();
      return switch (status) {
        case 413 -> GatewayException.tooLarge(maxBodyBytes);
        case 404 -> GatewayException.notFound("not_found", "No such endpoint: " + ctx.request().method() + " "
            + ctx.request().path());
        case 405 -> GatewayException.methodNotAllowed(ctx.request().method() + " is not allowed on "
            + ctx.request().path());
        case 400 -> GatewayException.badRequest("invalid_request", "The request could not be read");
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
