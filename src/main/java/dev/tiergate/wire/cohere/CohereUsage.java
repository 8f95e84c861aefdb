package dev.tiergate.wire.cohere;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token counts of a Cohere v2 {@code usage} object. {@code tokens} (what the model processed, the prompt template
 * included) is preferred; {@code billed_units} is the fallback when a deployment reports only that.
 *
 * @param promptTokens     -1 when unknown
 * @param completionTokens -1 when unknown
 */
record CohereUsage(long promptTokens, long completionTokens) {

  static CohereUsage read(JsonNode usage) {
    JsonNode tokens = usage.path("tokens");
    JsonNode billed = usage.path("billed_units");
    return new CohereUsage(count(tokens, billed, "input_tokens"), count(tokens, billed, "output_tokens"));
  }

  boolean known() {
    return promptTokens >= 0 || completionTokens >= 0;
  }

  private static long count(JsonNode tokens, JsonNode billed, String field) {
    if (tokens.path(field).isNumber()) {
      return tokens.get(field).asLong();
    }
    return billed.path(field).isNumber() ? billed.get(field).asLong() : -1;
  }
}
