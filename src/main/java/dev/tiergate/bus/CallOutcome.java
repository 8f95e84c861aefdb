package dev.tiergate.bus;

/**
 * What happened to one request; published once per request on {@link Addresses#OUTCOMES}.
 *
 * @param requestId        the {@code X-Request-Id} answered to the client
 * @param clientFormat     wire format the client spoke ({@code openai}, …)
 * @param route            {@code local} or {@code cloud}: where the answer came from
 * @param arm              {@code local} or {@code cloud}: where routing sent the request first (the canary arm; a
 *                         local request rescued by a cloud fallback still failed on the local arm)
 * @param tier             tier the request was planned for
 * @param provider         provider that served (or last tried) the request; {@code none} when none was tried
 * @param model            model key that served (or last tried) the request
 * @param status           HTTP status answered to the client
 * @param stream           whether the client asked for a stream
 * @param fallback         whether a fallback target served it
 * @param ttftMs           time to the first content byte sent to the client, -1 when none was sent
 * @param durationMs       whole request, from arrival to the end of the response
 * @param promptTokens     as reported by the upstream, -1 when unknown
 * @param completionTokens as reported by the upstream, -1 when unknown
 * @param finishReason     why the answer ended, in the gateway's terms ({@code end_turn}, {@code max_tokens},
 *                         {@code tool_use}, …); {@code null} when it never finished
 * @param errorClass       {@code null} on success; otherwise a stable class such as {@code upstream_timeout}
 * @param reasoningStripped whether {@code <think>} blocks were removed from the answer
 * @param contentFailure   an answer that arrived but is not what was asked for ({@code leaked_think},
 *                         {@code invalid_json}); null when none was seen
 */
public record CallOutcome(String requestId, String clientFormat, String route, String arm, String tier, String provider,
                          String model, int status, boolean stream, boolean fallback, double ttftMs, double durationMs,
                          long promptTokens, long completionTokens, String finishReason, String errorClass,
                          boolean reasoningStripped, String contentFailure) {

  public boolean success() {
    return errorClass == null;
  }
}
