package dev.tiergate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BucketHashTest {

  private static final int SAMPLES = 100_000;

  /** Published MurmurHash3 x86_32 vectors (SMHasher-derived set also used by Boost.Hash2) plus well-known strings. */
  @ParameterizedTest(name = "murmur3(0x{0}, seed {1}) = {2}")
  @CsvSource({
      "'', 00000000, 00000000",
      "'', 00000001, 514e28b7",
      "'', ffffffff, 81f16f39",
      "ffffffff, 00000000, 76293b50",
      "21436587, 00000000, f55b516b",
      "21436587, 5082edee, 2362f9de",
      "214365, 00000000, 7e4a8634",
      "2143, 00000000, a0f7b07a",
      "21, 00000000, 72661cf4",
      "00000000, 00000000, 2362f9de",
      "000000, 00000000, 85f0b427",
      "0000, 00000000, 30f4c306",
      "00, 00000000, 514e28b7",
  })
  void referenceVectorsOverBytes(String hexData, String hexSeed, String hexExpected) {
    byte[] data = HexFormat.of().parseHex(hexData);
    int seed = Integer.parseUnsignedInt(hexSeed, 16);
    assertEquals(Integer.parseUnsignedInt(hexExpected, 16), BucketHash.murmur3(data, seed));
  }

  @ParameterizedTest(name = "murmur3(\"{0}\", seed {1}) = {2}")
  @CsvSource({
      "hello, 0, 248bfa47",
      "'hello, world', 0, 149bbb7f",
      "The quick brown fox jumps over the lazy dog, 0, 2e4ff723",
      "'Hello, world!', 1234, faf6cdb3",
      "'Hello, world!', 4321, bf505788",
      "'Hello, world!', 2538058380, 24884cba",
      "aaaa, 2538058380, 5a97808a",
      "ππππππππ, 2538058380, d58063c1",
  })
  void referenceVectorsOverText(String text, long seed, String hexExpected) {
    int hash = BucketHash.murmur3(text.getBytes(StandardCharsets.UTF_8), (int) seed);
    assertEquals(Integer.parseUnsignedInt(hexExpected, 16), hash);
  }

  /** Computed once with an independent Python implementation; a change here re-buckets every live session. */
  @ParameterizedTest(name = "({0}, {1}) -> {2}")
  @CsvSource(nullValues = "NULL", value = {
      "session-1, NULL, 94",
      "session-1, GITHUB, 68",
      "user-42, SECURITY, 21",
      "ck_live_7f3a, NULL, 73",
      "ключ-сессии, DOCS, 62",
  })
  void pinnedBuckets(String sessionKey, String subAgent, int expected) {
    assertEquals(expected, BucketHash.bucket(sessionKey, subAgent));
  }

  @Test
  void nullMeansEmpty() {
    assertEquals(75, BucketHash.bucket(null, null));
    assertEquals(BucketHash.bucket("", ""), BucketHash.bucket(null, null));
    assertEquals(BucketHash.bucket("abc", ""), BucketHash.bucket("abc", null));
    assertEquals(BucketHash.bucket("", "DOCS"), BucketHash.bucket(null, "DOCS"));
  }

  @Test
  void hashesSessionUnitSeparatorSubAgent() {
    assertEquals(Integer.toUnsignedLong(murmur3("ab\u001fc")) % 100, BucketHash.bucket("ab", "c"));
    assertEquals(Integer.toUnsignedLong(murmur3("a\u001fbc")) % 100, BucketHash.bucket("a", "bc"));
    assertNotEquals(murmur3("ab\u001fc"), murmur3("a\u001fbc"));
  }

  private static int murmur3(String text) {
    return BucketHash.murmur3(text.getBytes(StandardCharsets.UTF_8), 0);
  }

  @Test
  void deterministicAndInRange() {
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      String key = Long.toHexString(random.nextLong());
      int bucket = BucketHash.bucket(key, "REVIEW");
      assertTrue(bucket >= 0 && bucket < 100, key + " -> " + bucket);
      assertEquals(bucket, BucketHash.bucket(new String(key.toCharArray()), "REVIEW"));
    }
  }

  @ParameterizedTest(name = "stage {0}%")
  @ValueSource(ints = {0, 5, 25, 50, 100})
  void stageShareMatchesStage(int stage) {
    Random random = new Random(20_251_101L);
    int inside = 0;
    for (int i = 0; i < SAMPLES; i++) {
      String sessionKey = "sess-" + Long.toUnsignedString(random.nextLong(), 36);
      if (BucketHash.bucket(sessionKey, null) < stage) {
        inside++;
      }
    }
    double percent = 100.0 * inside / SAMPLES;
    if (stage == 0 || stage == 100) {
      assertEquals(stage, percent);
    } else {
      assertEquals(stage, percent, 1.0, "share of sessions below stage " + stage);
    }
  }
}
