package dev.tiergate.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (API key, token, password). Its {@link #toString()} never shows the value, so a secret can sit in a
 * record that gets logged without leaking.
 */
public record Secret(String value) {

  public Secret {
    Objects.requireNonNull(value, "value");
  }

  /** Constant-time comparison against a candidate supplied by a client. */
  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }
}
