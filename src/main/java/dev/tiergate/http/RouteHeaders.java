package dev.tiergate.http;

import dev.tiergate.routing.RouteDecision;
import dev.tiergate.routing.Target;
import io.vertx.core.http.HttpServerResponse;

/** The {@code X-Tiergate-*} response headers that tell a client how its request was routed (CONTRACT.md). */
final class RouteHeaders {

  private RouteHeaders() {
  }

  /**
   * @param target   the target that answers
   * @param fallback whether it is a fallback rather than the chain's first target
   */
  static void write(HttpServerResponse response, RouteDecision decision, Target target, boolean fallback) {
    response.putHeader("x-tiergate-tier", decision.tier().wireName())
        .putHeader("x-tiergate-route", target.route())
        .putHeader("x-tiergate-provider", target.provider().name())
        .putHeader("x-tiergate-model", target.model().key())
        .putHeader("x-tiergate-fallback", Boolean.toString(fallback));
    if (decision.bucket() >= 0) {
      response.putHeader("x-tiergate-bucket", Integer.toString(decision.bucket()))
          .putHeader("x-tiergate-canary-stage", Integer.toString(decision.canaryStage()));
    }
  }
}
