package dev.tiergate.wire;

/**
 * Checks the bytes of a request body before Jackson reads them, for what Jackson lets through: JSON between systems is
 * UTF-8 (RFC 8259 §8.1), but Jackson guesses UTF-16 and UTF-32 from NUL bytes, skips a byte order mark, decodes
 * overlong forms ({@code C0 AF} as {@code /}), CESU-8 surrogates and code points past U+10FFFF, and accepts unpaired
 * surrogate escapes ({@code "\ud800"}) that then go upstream as bytes no UTF-8 decoder accepts. One pass, no copy;
 * the ASCII fast path is a sign test.
 */
final class JsonBytes {

  private JsonBytes() {
  }

  /** What is wrong with {@code bytes} as the UTF-8 text of a JSON document, or null when nothing this checks is. */
  static String problem(byte[] bytes) {
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
      return "starts with a byte order mark; send UTF-8 JSON without one";
    }
    int i = 0;
    while (i < bytes.length) {
      byte b = bytes[i];
      if (b > 0 && b != '\\') {
        i++;
      } else if (b == '\\') {
        int next = escapeEnd(bytes, i);
        if (next < 0) {
          return "holds an unpaired UTF-16 surrogate escape at byte " + i;
        }
        i = next;
      } else if (b == 0) {
        return "holds a NUL byte at byte " + i + "; JSON must be sent as UTF-8";
      } else {
        int length = sequenceLength(bytes, i);
        if (length < 0) {
          return "is not valid UTF-8 at byte " + i;
        }
        i += length;
      }
    }
    return null;
  }

  /**
   * The index after the escape at {@code i}, or -1 for a surrogate escape that is not a high one directly followed by
   * a low one. Anything else malformed is left to Jackson, which names it better.
   */
  private static int escapeEnd(byte[] bytes, int i) {
    if (i + 1 >= bytes.length || bytes[i + 1] != 'u') {
      // The escaped byte is skipped, so "\\ud800" (a backslash, then text) is not read as an escape.
      return i + 1 < bytes.length && bytes[i + 1] > 0 ? i + 2 : i + 1;
    }
    int unit = hex4(bytes, i + 2);
    if (unit < 0xD800 || unit > 0xDFFF) {
      return i + 2;
    }
    if (unit >= 0xDC00 || i + 11 >= bytes.length || bytes[i + 6] != '\\' || bytes[i + 7] != 'u') {
      return -1;
    }
    int low = hex4(bytes, i + 8);
    return low >= 0xDC00 && low <= 0xDFFF ? i + 12 : -1;
  }

  /** The four hex digits at {@code from} as a number, or -1 when they are not four hex digits. */
  private static int hex4(byte[] bytes, int from) {
    if (from + 4 > bytes.length) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < from + 4; i++) {
      int digit = Character.digit(bytes[i], 16);
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  /** The length of the well-formed multi-byte sequence at {@code i} (RFC 3629 §4), or -1. */
  private static int sequenceLength(byte[] bytes, int i) {
    int lead = bytes[i] & 0xff;
    int length;
    int min = 0x80;
    int max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      // E0 would be overlong below A0; ED followed by A0..BF is a UTF-16 surrogate (CESU-8).
      min = lead == 0xE0 ? 0xA0 : 0x80;
      max = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      // F0 would be overlong below 90; F4 above 8F is past U+10FFFF.
      min = lead == 0xF0 ? 0x90 : 0x80;
      max = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      return -1;
    }
    if (i + length > bytes.length) {
      return -1;
    }
    int second = bytes[i + 1] & 0xff;
    if (second < min || second > max) {
      return -1;
    }
    for (int k = i + 2; k < i + length; k++) {
      if ((bytes[k] & 0xC0) != 0x80) {
        return -1;
      }
    }
    return length;
  }
}
