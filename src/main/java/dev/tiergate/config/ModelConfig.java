package dev.tiergate.config;

import dev.tiergate.routing.Tier;
import java.util.List;
import java.util.Objects;

/**
 * A routable model: the key clients may pin, the provider serving it and the name the provider knows it by.
 *
 * @param fallbacks     model keys tried in order when this one fails before the first byte reached the client
 * @param stripThinking whether {@code <think>…</think>} blocks are removed from its answers (local reasoning models
 *                      leak them into the text)
 * @param prefill       whether the model continues a trailing assistant message (Anthropic and Ollama models do): such
 *                      a model can finish a stream another model broke off mid-answer
 * @param inputPricePer1k  price of 1,000 prompt tokens (0 for local models), for cost balancing and estimates
 * @param outputPricePer1k price of 1,000 completion tokens
 * @param contextTokens    the model's context window in tokens; 0 when unknown
 */
public record ModelConfig(String key, String provider, String upstreamModel, Tier tier, List<String> fallbacks,
                          boolean stripThinking, boolean prefill, double inputPricePer1k, double outputPricePer1k,
                          int contextTokens) {

  public ModelConfig {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(upstreamModel, "upstreamModel");
    Objects.requireNonNull(tier, "tier");
    fallbacks = List.copyOf(fallbacks);
    if (contextTokens < 0) {
      throw new IllegalArgumentException("contextTokens must be at least 0");
    }
  }

  /** The cost of a call's tokens at this model's prices (unknown counts, below 0, cost nothing). */
  public double cost(long promptTokens, long completionTokens) {
    return (Math.max(0, promptTokens) * inputPricePer1k + Math.max(0, completionTokens) * outputPricePer1k) / 1000.0;
  }
}
