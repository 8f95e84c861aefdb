package dev.tiergate.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Wire families of upstream APIs. Each has one adapter. */
public enum ProviderFamily {
  /** OpenAI Chat Completions: OpenAI, OpenRouter, vLLM, LM Studio, LocalAI, Ollama's /v1. */
  OPENAI_COMPATIBLE("openai-compatible");

  private final String wireName;

  ProviderFamily(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static ProviderFamily parse(String key, String value) {
    for (ProviderFamily family : values()) {
      if (family.wireName.equals(value)) {
        return family;
      }
    }
    String known = Arrays.stream(values()).map(ProviderFamily::wireName).collect(Collectors.joining(", "));
    throw new ConfigException(key, "unknown provider family '" + value + "' (known: " + known + ")");
  }
}
