package dev.tiergate.config;

/** Invalid configuration; the message always starts with the offending key. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
  }
}
