package dev.tiergate.wire;

import java.util.List;

/**
 * Output limits and sampling parameters; null means "not set" (the provider's default applies).
 *
 * @param maxTokens   most tokens to generate
 * @param temperature 0..2 as OpenAI counts it (writers clamp to the provider's range)
 * @param topP        nucleus sampling
 * @param stop        stop sequences, empty when none
 */
public record Sampling(Integer maxTokens, Double temperature, Double topP, List<String> stop) {

  public static final Sampling DEFAULT = new Sampling(null, null, null, List.of());

  public Sampling {
    stop = stop == null ? List.of() : List.copyOf(stop);
  }
}
