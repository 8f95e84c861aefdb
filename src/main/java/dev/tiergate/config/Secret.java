package dev.tiergate.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A secret value (API key, token, password). Its {@link #toString()} never shows the value, so a secret can sit in a
 * record that gets logged without leaking.
 */
public record Secret(String value) {

  public Secret {
    Objects.requireNonNull(value, "value");
  }

  /**
   * Constant-time comparison against a candidate supplied by a client. Both sides are hashed first, so that neither
   * the content nor the length of the secret shows in the time taken.
   */
  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(value), sha256(candidate));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }
}
