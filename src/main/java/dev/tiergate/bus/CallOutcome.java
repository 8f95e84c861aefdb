package dev.tiergate.bus;

/**
 * What happened to one request; published once per request on {@link Addresses#OUTCOMES}. The metrics verticle turns
 * it into meters, usage totals, a usage row and an access-log line, all off the request path.
 *
 * @param requestId        the {@code X-Request-Id} answered to the client
 * @param clientKeyId      id of the client key presented ({@code key-1}, …), {@code anonymous} without client auth
 * @param clientFormat     wire format the client spoke ({@code openai}, …)
 * @param route            {@code local} or {@code cloud}: where the answer came from
 * @param arm              {@code local} or {@code cloud}: where routing sent the request first (the canary arm; a
 *                         local request rescued by a cloud fallback still failed on the local arm)
 * @param tier             tier the request was planned for
 * @param provider         provider that served (or last tried) the request; {@code none} when none was tried
 * @param model            registry key of the model that served (or last tried) the request
 * @param status           HTTP status answered to the client
 * @param stream           whether the client asked for a stream
 * @param fallback         whether a fallback target served it
 * @param retries          attempts repeated on the same target (fallbacks not counted)
 * @param ttftMs           time to the first content byte sent to the client, -1 when none was sent
 * @param durationMs       whole request, from arrival to the end of the response
 * @param overheadMs       the gateway's own time: from arrival until the first upstream request was issued, plus
 *                         the time spent reading, translating and writing the answer (upstream waits excluded)
 * @param promptTokens     reported by the upstream, or estimated when {@code tokensEstimated}; -1 when unknown
 * @param completionTokens reported by the upstream, or estimated (tokens relayed so far for a cut stream); -1 when
 *                         unknown
 * @param tokensEstimated  whether the token counts are the gateway's estimate, not the provider's report
 * @param partial          a stream that sent content but did not finish (cut, timed out, or abandoned by the client)
 * @param continued        a stream that broke off mid-answer was continued by a fallback model (prefill): the client
 *                         got one answer from two models; the token counts are the sum of both calls
 * @param bytesOut         bytes of the response body written to the client
 * @param finishReason     why the answer ended, in the gateway's terms ({@code end_turn}, {@code max_tokens},
 *                         {@code tool_use}, …); {@code null} when it never finished
 * @param errorClass       {@code null} on success; otherwise a stable class such as {@code upstream_timeout}
 * @param reasoningStripped whether {@code <think>} blocks were removed from the answer
 * @param contentFailure   an answer that arrived but is not what was asked for ({@code leaked_think},
 *                         {@code invalid_json}); null when none was seen
 * @param promptExcerpt    the start of the last user message, secrets redacted, only when the access log's debug
 *                         option asks for prompts; null otherwise
 */
public record CallOutcome(String requestId, String clientKeyId, String clientFormat, String route, String arm,
                          String tier, String provider, String model, int status, boolean stream, boolean fallback,
                          int retries, double ttftMs, double durationMs, double overheadMs, long promptTokens,
                          long completionTokens, boolean tokensEstimated, boolean partial, boolean continued,
                          long bytesOut,
                          String finishReason, String errorClass, boolean reasoningStripped, String contentFailure,
                          String promptExcerpt) {

  /** The client key id of requests made without client auth. */
  public static final String ANONYMOUS = "anonymous";

  public boolean success() {
    return errorClass == null;
  }
}
