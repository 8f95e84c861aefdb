package dev.tiergate.config;

/**
 * How much the public listener takes on, and how long it waits for slow clients ({@code http.limits}).
 *
 * @param maxInFlight        chat requests in flight across the process; past it new ones get 503 with
 *                           {@code Retry-After} at once [20000]; 0 = no ceiling
 * @param maxConnections     open client connections; past it new connections are closed at once [25000]; 0 = none
 * @param headTimeoutMs      a new connection must send a whole request head within this [10000]
 * @param keepAliveTimeoutMs an idle keep-alive connection must send its next request head within this [75000]
 * @param bodyTimeoutMs      a request body must arrive whole within this after its head [30000]
 * @param maxHeaderBytes     largest request head, all headers together [81920]: room for long bearer tokens, and
 *                           a bound
 * @param maxRequestLineBytes longest request line [8192]
 */
public record ListenerLimits(int maxInFlight, int maxConnections, long headTimeoutMs, long keepAliveTimeoutMs,
                             long bodyTimeoutMs, int maxHeaderBytes, int maxRequestLineBytes) {

  public static final ListenerLimits DEFAULT = new ListenerLimits(20_000, 25_000, 10_000, 75_000, 30_000, 81_920,
      8_192);

  public ListenerLimits {
    Checks.atLeast("http.limits.maxInFlight", maxInFlight, 0);
    Checks.atLeast("http.limits.maxConnections", maxConnections, 0);
    Checks.range("http.limits.headTimeoutMs", headTimeoutMs, 100, 600_000);
    Checks.range("http.limits.keepAliveTimeoutMs", keepAliveTimeoutMs, 100, 3_600_000);
    Checks.range("http.limits.bodyTimeoutMs", bodyTimeoutMs, 100, 3_600_000);
    Checks.range("http.limits.maxHeaderBytes", maxHeaderBytes, 1024, 1024 * 1024);
    Checks.range("http.limits.maxRequestLineBytes", maxRequestLineBytes, 256, 1024 * 1024);
  }
}
