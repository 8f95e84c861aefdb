package dev.tiergate.routing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tiergate.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The sub-agent × phase → tier table of {@code conf/phase-model-routing.json}:
 * <pre>
 *   {"subAgents": {"GITHUB": {"PLAN": "sonnet", "EXEC": "haiku", "*": "haiku"}, "SECURITY": {"*": "opus"}}}
 * </pre>
 * Sub-agent and phase names are case-insensitive (held in upper case); phase {@code "*"} is any phase. Top-level keys
 * starting with {@code "_"} are comments; any other unknown key fails, so a misspelt {@code subAgents} cannot silently
 * turn the table off.
 *
 * @param subAgents sub-agent → (phase or "*" → tier), names in upper case
 */
public record PhaseRouting(Map<String, Map<String, Tier>> subAgents) {

  /** No sub-agent routing at all. */
  public static final PhaseRouting EMPTY = new PhaseRouting(Map.of());

  private static final String ANY_PHASE = "*";
  private static final String SUB_AGENTS = "subAgents";
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** Normalises names to upper case; two names equal but for case fail naming the second. */
  public PhaseRouting {
    Map<String, Map<String, Tier>> normalised = new LinkedHashMap<>();
    subAgents.forEach((subAgent, phases) -> {
      String key = SUB_AGENTS + "." + subAgent;
      if (phases == null) {
        throw new ConfigException(key, "an object of phase → tier is required");
      }
      Map<String, Tier> byPhase = new LinkedHashMap<>();
      phases.forEach((phase, tier) -> {
        if (tier == null) {
          throw new ConfigException(key + "." + phase, "a tier is required");
        }
        if (byPhase.put(normalise(key + "." + phase, phase), tier) != null) {
          throw new ConfigException(key + "." + phase, "phase given twice (names are case-insensitive)");
        }
      });
      if (normalised.put(normalise(key, subAgent), Map.copyOf(byPhase)) != null) {
        throw new ConfigException(key, "sub-agent given twice (names are case-insensitive)");
      }
    });
    subAgents = Map.copyOf(normalised);
  }

  /** A routing table built in code, e.g. in tests. */
  public static PhaseRouting of(Map<String, Map<String, Tier>> subAgents) {
    return new PhaseRouting(subAgents);
  }

  /**
   * Reads {@code file}; a missing file is {@link #EMPTY}. Blocking: start-up only.
   *
   * @throws ConfigException naming the offending key when the file is unreadable or its content is invalid
   */
  public static PhaseRouting load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return EMPTY;
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read the file (" + e.getClass().getSimpleName() + ")");
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JacksonException e) {
      throw new ConfigException(file.toString(), "not valid JSON: " + e.getOriginalMessage());
    }
    if (!root.isObject()) {
      throw new ConfigException(file.toString(), "the file must hold a JSON object");
    }
    return fromJson(root, " (in " + file + ")");
  }

  /** The tier of {@code subAgent} in {@code phase}: the exact phase first, then "*"; empty when neither is set. */
  public Optional<Tier> tierOf(String subAgent, String phase) {
    if (subAgent == null) {
      return Optional.empty();
    }
    Map<String, Tier> phases = subAgents.get(subAgent.trim().toUpperCase(Locale.ROOT));
    if (phases == null) {
      return Optional.empty();
    }
    Tier exact = phase == null ? null : phases.get(phase.trim().toUpperCase(Locale.ROOT));
    return Optional.ofNullable(exact != null ? exact : phases.get(ANY_PHASE));
  }

  private static PhaseRouting fromJson(JsonNode root, String where) {
    for (var field : root.properties()) {
      if (!field.getKey().equals(SUB_AGENTS) && !field.getKey().startsWith("_")) {
        throw new ConfigException(field.getKey(), "unknown key; expected \"" + SUB_AGENTS + "\"" + where);
      }
    }
    JsonNode all = root.get(SUB_AGENTS);
    if (all == null || !all.isObject()) {
      throw new ConfigException(SUB_AGENTS, "an object of sub-agent → {phase → tier} is required" + where);
    }
    Map<String, Map<String, Tier>> subAgents = new LinkedHashMap<>();
    for (var subAgent : all.properties()) {
      String key = SUB_AGENTS + "." + subAgent.getKey();
      if (!subAgent.getValue().isObject()) {
        throw new ConfigException(key, "an object of phase → tier is required" + where);
      }
      Map<String, Tier> phases = new LinkedHashMap<>();
      for (var phase : subAgent.getValue().properties()) {
        String phaseKey = key + "." + phase.getKey();
        if (!phase.getValue().isTextual()) {
          throw new ConfigException(phaseKey, "a tier name (haiku, sonnet, opus) is required" + where);
        }
        phases.put(phase.getKey(), Tier.parseConfig(phaseKey, phase.getValue().textValue()));
      }
      subAgents.put(subAgent.getKey(), phases);
    }
    return new PhaseRouting(subAgents);
  }

  private static String normalise(String key, String name) {
    if (name == null || name.isBlank()) {
      throw new ConfigException(key, "a name must not be blank");
    }
    return name.trim().toUpperCase(Locale.ROOT);
  }
}
