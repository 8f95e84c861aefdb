package dev.tiergate.provider;

import dev.tiergate.config.Secret;
import java.util.Optional;
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
    return clip(text, Optional.empty());
  }

  /** Redacts key-shaped tokens and, when given, every occurrence of the provider's own key; then clips. */
  public static String clip(String text, Optional<Secret> key) {
    if (text == null) {
      return "";
    }
    String cleaned = key.map(k -> text.replace(k.value(), "[redacted]")).orElse(text);
    cleaned = KEY_LIKE.matcher(cleaned).replaceAll("[redacted]");
    return cleaned.length() > MAX ? cleaned.substring(0, MAX) + "…" : cleaned;
  }
}
