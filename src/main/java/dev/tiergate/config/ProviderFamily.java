package dev.tiergate.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Wire families of upstream APIs. Each has one adapter. */
public enum ProviderFamily {
  /** OpenAI Chat Completions: OpenAI, OpenRouter, vLLM, LM Studio, LocalAI, Ollama's /v1. */
  OPENAI_COMPATIBLE("openai-compatible"),
  /** Anthropic Messages API. */
  ANTHROPIC("anthropic"),
  /** Ollama's native API ({@code /api/chat}, NDJSON streams). */
  OLLAMA("ollama"),
  /** Google Gemini ({@code generateContent} / {@code streamGenerateContent}). */
  GEMINI("gemini"),
  /** Cohere Chat API v2. */
  COHERE("cohere");

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
