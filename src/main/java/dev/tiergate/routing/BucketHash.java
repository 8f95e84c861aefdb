package dev.tiergate.routing;

import java.nio.charset.StandardCharsets;

/**
 * The canary bucket of a session: a stable number 0..99 that puts a session (and one sub-agent of it) on the same side
 * of a canary stage on every request, on every gateway instance, and in any other language.
 *
 * <p>Exact definition, so that scripts and SQL can reproduce it:
 * <pre>
 *   key    = UTF-8 bytes of (sessionKey ?? "") + U+001F + (subAgent ?? "")   -- U+001F: the unit separator, byte 0x1F
 *   h      = MurmurHash3_x86_32(key, seed = 0)                                   -- Austin Appleby's reference
 *   bucket = h as an unsigned 32-bit integer mod 100
 * </pre>
 * Both strings are hashed exactly as given (no trimming, no case folding).
 * In Python: {@code mmh3.hash(key_bytes, 0, signed=False) % 100}. A session is in the canary at stage {@code s}
 * (percent) when {@code bucket < s}, so stage 0 holds nobody and stage 100 everybody.
 */
public final class BucketHash {

  /** U+001F keeps ("ab", "c") and ("a", "bc") apart; it does not occur in session keys or sub-agent names. */
  private static final String SEPARATOR = "\u001f";
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private BucketHash() {
  }

  /** The bucket 0..99 of {@code sessionKey} and {@code subAgent}; null counts as "". */
  public static int bucket(String sessionKey, String subAgent) {
    String key = (sessionKey == null ? "" : sessionKey) + SEPARATOR + (subAgent == null ? "" : subAgent);
    int hash = murmur3(key.getBytes(StandardCharsets.UTF_8), 0);
    return (int) (Integer.toUnsignedLong(hash) % 100);
  }

  /** MurmurHash3 x86_32 of {@code data}: little-endian 4-byte blocks, then the 1-3 byte tail, then the finaliser. */
  static int murmur3(byte[] data, int seed) {
    int h = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int at = i * 4;
      int k = data[at] & 0xff | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16 | (data[at + 3] & 0xff) << 24;
      h ^= mixKey(k);
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    if (tail < data.length) {
      int k = 0;
      for (int i = data.length - 1; i >= tail; i--) {
        k = k << 8 | data[i] & 0xff;
      }
      h ^= mixKey(k);
    }
    h ^= data.length;
    return finalMix(h);
  }

  private static int mixKey(int k) {
    return Integer.rotateLeft(k * C1, 15) * C2;
  }

  private static int finalMix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
