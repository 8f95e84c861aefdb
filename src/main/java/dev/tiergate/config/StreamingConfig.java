package dev.tiergate.config;

/**
 * Stream relay settings shared by every provider.
 *
 * @param heartbeatMs   SSE comment heartbeat interval while waiting for the first token (at most 15 s)
 * @param maxEventBytes largest single upstream SSE event or NDJSON line; larger ones fail the stream
 * @param maxResponseBytes largest non-streamed upstream response body the gateway will read
 */
public record StreamingConfig(long heartbeatMs, int maxEventBytes, int maxResponseBytes) {

  public StreamingConfig {
    Checks.range("streaming.heartbeatMs", heartbeatMs, 10, 15_000);
    Checks.atLeast("streaming.maxEventBytes", maxEventBytes, 1024);
    Checks.atLeast("streaming.maxResponseBytes", maxResponseBytes, 1024);
  }
}
