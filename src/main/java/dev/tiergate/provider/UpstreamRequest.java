package dev.tiergate.provider;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;

/** A request ready to send to a provider: where, with which headers, and the body in the provider's format. */
public record UpstreamRequest(RequestOptions options, Buffer body) {
}
