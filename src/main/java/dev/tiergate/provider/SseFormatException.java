package dev.tiergate.provider;

/** An upstream stream broke the framing rules or a size limit. */
public final class SseFormatException extends RuntimeException {

  public SseFormatException(String message) {
    super(message, null, false, false);
  }
}
