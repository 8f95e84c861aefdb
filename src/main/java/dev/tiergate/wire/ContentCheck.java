package dev.tiergate.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.JsonSupport;
import java.io.IOException;

/**
 * Answers that arrived but are not what was asked for, which the canary counts as errors: a reasoning block leaked into
 * the text of a model that is not set to strip it, or text that is not a JSON object when JSON output was requested.
 */
public final class ContentCheck {

  public static final String LEAKED_THINK = "leaked_think";
  public static final String INVALID_JSON = "invalid_json";

  private ContentCheck() {
  }

  /** The content failure of a whole answer's text, or null when it is fine. */
  public static String check(String text, boolean stripThinking, ResponseFormat format) {
    if (!stripThinking && text.contains("<think>")) {
      return LEAKED_THINK;
    }
    if (format != null && format.json() && !isJsonObject(text)) {
      return INVALID_JSON;
    }
    return null;
  }

  private static boolean isJsonObject(String text) {
    try {
      JsonNode node = JsonSupport.MAPPER.readTree(text.strip());
      return node != null && node.isObject();
    } catch (IOException e) {
      return false;
    }
  }
}
