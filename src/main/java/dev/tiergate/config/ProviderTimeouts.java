package dev.tiergate.config;

/**
 * Timeouts for one provider. There is deliberately no total timeout for streams: a healthy stream may run as long as
 * {@code maxStreamMs} allows.
 *
 * @param connectMs   TCP (and TLS) connect
 * @param firstByteMs from sending the request to the first content token (streams) or to the response (non-streams)
 * @param idleMs      longest silence between two upstream chunks once the response started
 * @param maxStreamMs longest a single call may last
 */
public record ProviderTimeouts(long connectMs, long firstByteMs, long idleMs, long maxStreamMs) {

  public ProviderTimeouts {
    Checks.atLeast("timeouts.connectMs", connectMs, 1);
    Checks.atLeast("timeouts.firstByteMs", firstByteMs, 1);
    Checks.atLeast("timeouts.idleMs", idleMs, 1);
    Checks.atLeast("timeouts.maxStreamMs", maxStreamMs, 1);
  }
}
