package dev.tiergate.provider;

import java.util.regex.Pattern;

/**
 * Cleans text that came from an upstream before it is shown to a client or logged: provider error messages can echo
 * a key ("Incorrect API key provided: sk-ab…"). Key-shaped tokens are replaced and the text is clipped.
 */
public final class Redactor {

  private static final Pattern KEY_LIKE = Pattern.compile(
      "(?i)(sk-[a-z0-9_\\-*]{6,}|AIza[0-9A-Za-z_\\-]{10,}|bearer\\s+\\S+|(?:api[_-]?key|token)[\"'=:\\s]+\\S+)");
  private static final int MAX = 500;

  private Redactor() {
  }

  public static String clip(String text) {
    if (text == null) {
      return "";
    }
    String cleaned = KEY_LIKE.matcher(text).replaceAll("[redacted]");
    return cleaned.length() > MAX ? cleaned.substring(0, MAX) + "…" : cleaned;
  }
}
