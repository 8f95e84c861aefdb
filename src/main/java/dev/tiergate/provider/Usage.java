package dev.tiergate.provider;

/**
 * Token counts and finish reason of one call, as reported by the upstream.
 *
 * @param promptTokens     -1 when unknown
 * @param completionTokens -1 when unknown
 * @param finishReason     null when the upstream never said
 */
public record Usage(long promptTokens, long completionTokens, String finishReason) {

  public static final Usage UNKNOWN = new Usage(-1, -1, null);

  public Usage withTokens(long prompt, long completion) {
    return new Usage(prompt, completion, finishReason);
  }

  public Usage withFinishReason(String reason) {
    return new Usage(promptTokens, completionTokens, reason);
  }
}
