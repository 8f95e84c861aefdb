package dev.tiergate.config;

/** Range checks for config records; each failure names the key. */
final class Checks {

  private Checks() {
  }

  static void port(String key, int port) {
    range(key, port, 0, 65_535);
  }

  static void atLeast(String key, long value, long min) {
    if (value < min) {
      throw new ConfigException(key, "must be at least " + min + ", got " + value);
    }
  }

  static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
    }
  }
}
