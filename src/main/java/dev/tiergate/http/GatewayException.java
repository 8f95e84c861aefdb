package dev.tiergate.http;

/**
 * The one error type of the gateway. Carries the HTTP status, the error type and code shown to clients, and a stable
 * error class for outcomes and metrics. Stackless: these are expected outcomes, not bugs. Messages never contain
 * secrets; {@link ErrorResponder} turns it into the client's wire format and logs it once.
 *
 * @see ErrorResponder
 */
public final class GatewayException extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;
  private final String errorClass;
  private final boolean retryable;
  private final String retryAfter;

  private GatewayException(int status, String type, String code, String errorClass, boolean retryable,
                           String retryAfter, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.errorClass = errorClass;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public static GatewayException badRequest(String code, String message) {
    return new GatewayException(400, "invalid_request_error", code, "bad_request", false, null, message);
  }

  public static GatewayException unauthorized(String message) {
    return new GatewayException(401, "authentication_error", "invalid_api_key", "unauthorized", false, null, message);
  }

  public static GatewayException forbidden(String message) {
    return new GatewayException(403, "permission_error", "forbidden", "forbidden", false, null, message);
  }

  public static GatewayException notFound(String code, String message) {
    return new GatewayException(404, "invalid_request_error", code, "not_found", false, null, message);
  }

  public static GatewayException methodNotAllowed(String message) {
    return new GatewayException(405, "invalid_request_error", "method_not_allowed", "bad_request", false, null,
        message);
  }

  public static GatewayException tooLarge(long limit) {
    return new GatewayException(413, "invalid_request_error", "request_too_large", "too_large", false, null,
        "Request body exceeds the limit of " + limit + " bytes");
  }

  /** An upstream 429: retryable on another target; the client sees 429 when no target is left. */
  public static GatewayException rateLimited(String retryAfter, String message) {
    return new GatewayException(429, "rate_limit_error", "rate_limit_exceeded", "upstream_rate_limited", true,
        retryAfter, message);
  }

  /** The gateway's own per-key limit: never retried, never a provider's fault. */
  public static GatewayException keyLimited(String code, long retryAfterSeconds, String message) {
    return new GatewayException(429, "rate_limit_error", code, code, false, Long.toString(retryAfterSeconds),
        message);
  }

  /** The gateway is at its in-flight ceiling: refused at once, come back shortly. */
  public static GatewayException overloaded() {
    return new GatewayException(503, "service_unavailable", "overloaded", "overloaded", false, "1",
        "The gateway is at capacity; retry shortly");
  }

  /** The client took longer than allowed to send its request. */
  public static GatewayException requestTimeout(String message) {
    return new GatewayException(408, "invalid_request_error", "request_timeout", "request_timeout", false, null,
        message);
  }

  /**
   * The gateway's own policy refused to contact the upstream (its address is not allowed): 502, never retried, no
   * fallback, never counted against the provider's circuit.
   */
  public static GatewayException upstreamRefused(String code, String message) {
    return new GatewayException(502, "upstream_error", code, code, false, null, message);
  }

  /** The upstream failed or misbehaved; retryable unless it rejected the request itself. */
  public static GatewayException badGateway(String errorClass, String message) {
    return new GatewayException(502, "upstream_error", errorClass, errorClass, true, null, message);
  }

  /** The upstream refused the request as invalid (its 4xx); not retried, shown as the client's error. */
  public static GatewayException upstreamRejected(int status, String message) {
    return upstreamRejected(status, null, message);
  }

  /**
   * The upstream refused the request as invalid, with its own error code (such as {@code context_length_exceeded}),
   * which the client sees so that it can tell one refusal from another; null for {@code upstream_rejected}.
   */
  public static GatewayException upstreamRejected(int status, String upstreamCode, String message) {
    int shown = status == 404 ? 404 : 400;
    return new GatewayException(shown, "invalid_request_error", upstreamCode != null ? upstreamCode
        : "upstream_rejected", "upstream_rejected", false, null, message);
  }

  public static GatewayException timeout(String errorClass, String message) {
    return new GatewayException(504, "timeout_error", errorClass, errorClass, true, null, message);
  }

  /** Routing policy forbids what the request asked for (a pin to a cloud model under airgap, local for opus). */
  public static GatewayException policyRefused(String message) {
    return new GatewayException(403, "permission_error", "policy_forbidden", "policy_forbidden", false, null,
        message);
  }

  /** No target may serve the request now (policy leaves none, or every circuit is open); says when to retry. */
  public static GatewayException unavailable(String code, String retryAfter, String message) {
    return new GatewayException(503, "service_unavailable", code, code, false, retryAfter, message);
  }

  public static GatewayException internal(String message) {
    return new GatewayException(500, "server_error", "internal_error", "internal_error", false, null, message);
  }

  /** The same error told with {@code message} (for instance with how much of the answer had been sent). */
  public GatewayException withMessage(String message) {
    return new GatewayException(status, type, code, errorClass, retryable, retryAfter, message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String errorClass() {
    return errorClass;
  }

  /** Whether the next target of a chain may be tried (only before the first byte reached the client). */
  public boolean retryable() {
    return retryable;
  }

  /** The {@code Retry-After} value to send, or null. */
  public String retryAfter() {
    return retryAfter;
  }
}
