package dev.tiergate.http;

import dev.tiergate.config.ProviderTimeouts;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;

/** Maps transport failures of an upstream call to the gateway's errors. */
public final class UpstreamFailures {

  /** Marker for an attempt abandoned because the call already ended. */
  static final GatewayException CANCELLED = GatewayException.badGateway("cancelled", "The call was cancelled");

  private UpstreamFailures() {
  }

  public static GatewayException classify(Throwable failure, ProviderTimeouts timeouts) {
    if (failure instanceof GatewayException gatewayException) {
      return gatewayException;
    }
    if (failure instanceof java.util.concurrent.TimeoutException) {
      return GatewayException.timeout("upstream_timeout", "The upstream did not answer in time");
    }
    if (failure instanceof ConnectTimeoutException) {
      return GatewayException.timeout("upstream_connect_timeout",
          "Could not connect to the upstream within " + timeouts.connectMs() + " ms");
    }
    if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
      return GatewayException.badGateway("upstream_unreachable", "Could not connect to the upstream");
    }
    return GatewayException.badGateway("upstream_connection_failed",
        "The upstream connection failed before the answer started");
  }

  static GatewayException classifyBody(Throwable failure) {
    if (failure instanceof GatewayException gatewayException) {
      return gatewayException;
    }
    return GatewayException.badGateway("upstream_connection_failed", "The upstream connection failed mid-answer");
  }
}
