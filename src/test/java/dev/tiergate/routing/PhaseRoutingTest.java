package dev.tiergate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhaseRoutingTest {

  private static final PhaseRouting SHIPPED = PhaseRouting.load(Path.of("conf/phase-model-routing.json"));

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} in {1} -> {2}")
  @CsvSource(nullValues = "NULL", value = {
      "GITHUB, EXEC, HAIKU",
      "GITHUB, PLAN, SONNET",
      "github, exec, HAIKU",
      "GITHUB, DEPLOY, HAIKU",
      "GITHUB, NULL, HAIKU",
      "SECURITY, PLAN, OPUS",
      "Security, VERIFY, OPUS",
      "PLANNER, PLAN, SONNET",
      "DOCS, EXEC, HAIKU",
      "TESTING, EXEC, HAIKU",
      "TESTING, PLAN, SONNET",
      "REVIEW, VERIFY, SONNET",
      "DATABASE, EXEC, SONNET",
      "DATABASE, VERIFY, HAIKU",
  })
  void shippedTable(String subAgent, String phase, Tier expected) {
    assertEquals(Optional.of(expected), SHIPPED.tierOf(subAgent, phase));
  }

  @Test
  void unknownSubAgentOrNoWildcardIsEmpty() {
    PhaseRouting routing = PhaseRouting.of(Map.of("Git", Map.of("exec", Tier.HAIKU)));
    assertEquals(Optional.of(Tier.HAIKU), routing.tierOf(" GIT ", " Exec "));
    assertEquals(Optional.empty(), routing.tierOf("GIT", "PLAN"));
    assertEquals(Optional.empty(), routing.tierOf("GIT", null));
    assertEquals(Optional.empty(), routing.tierOf("OTHER", "EXEC"));
    assertEquals(Optional.empty(), routing.tierOf(null, "EXEC"));
    assertEquals(Optional.empty(), SHIPPED.tierOf("NOBODY", "PLAN"));
  }

  @Test
  void exactPhaseWinsOverWildcard() {
    PhaseRouting routing = PhaseRouting.of(Map.of("A", Map.of("*", Tier.OPUS, "EXEC", Tier.HAIKU)));
    assertEquals(Optional.of(Tier.HAIKU), routing.tierOf("a", "exec"));
    assertEquals(Optional.of(Tier.OPUS), routing.tierOf("a", "plan"));
  }

  @Test
  void namesAreHeldInUpperCase() {
    PhaseRouting routing = PhaseRouting.of(Map.of("docs", Map.of("verify", Tier.HAIKU)));
    assertEquals(Map.of("DOCS", Map.of("VERIFY", Tier.HAIKU)), routing.subAgents());
  }

  @Test
  void missingFileIsEmpty() {
    assertSame(PhaseRouting.EMPTY, PhaseRouting.load(dir.resolve("absent.json")));
    assertEquals(Optional.empty(), PhaseRouting.EMPTY.tierOf("GITHUB", "EXEC"));
  }

  @Test
  void loadsAFile() throws IOException {
    PhaseRouting routing = load("""
        {"_note": "x", "subAgents": {"Search": {"PLAN": "Opus", "*": " haiku "}, "Idle": {}}}""");
    assertEquals(Optional.of(Tier.OPUS), routing.tierOf("SEARCH", "plan"));
    assertEquals(Optional.of(Tier.HAIKU), routing.tierOf("search", "exec"));
    assertEquals(Optional.empty(), routing.tierOf("IDLE", "exec"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"subAgents\": {\"GITHUB\": {\"EXEC\": \"gpt\"}}}               | subAgents.GITHUB.EXEC: unknown tier 'gpt'",
      "{\"subAgents\": {\"GITHUB\": {\"EXEC\": 3}}}                     | subAgents.GITHUB.EXEC: a tier name",
      "{\"subAgents\": {\"GITHUB\": {\"EXEC\": null}}}                  | subAgents.GITHUB.EXEC: a tier name",
      "{\"subAgents\": {\"GITHUB\": \"haiku\"}}                         | subAgents.GITHUB: an object of phase",
      "{\"subAgents\": {\"GITHUB\": {}, \"github\": {}}}                | subAgents.github: sub-agent given twice",
      "{\"subAgents\": {\"G\": {\"exec\": \"haiku\", \"EXEC\": \"opus\"}}} | subAgents.G.EXEC: phase given twice",
      "{\"subAgents\": {\" \": {\"*\": \"haiku\"}}}                     | 'subAgents. : a name must not be blank'",
      "{\"subAgents\": {\"G\": {\"\": \"haiku\"}}}                      | subAgents.G.: a name must not be blank",
      "{\"subAgents\": []}                                              | subAgents: an object of sub-agent",
      "{}                                                               | subAgents: an object of sub-agent",
      "{\"subagents\": {}}                                              | subagents: unknown key",
  })
  void badContentNamesTheKey(String json, String messageStart) throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> load(json));
    assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"subAgents\": {                                | not valid JSON",
      "{\"subAgents\": {}, \"subAgents\": {}}           | not valid JSON: Duplicate field 'subAgents'",
      "{\"subAgents\": {}} {}                           | not valid JSON",
      "[]                                               | the file must hold a JSON object",
      "''                                               | the file must hold a JSON object",
  })
  void badFilesNameTheFile(String json, String problem) throws IOException {
    Path file = dir.resolve("routing.json");
    Files.writeString(file, json);
    ConfigException e = assertThrows(ConfigException.class, () -> PhaseRouting.load(file));
    assertTrue(e.getMessage().startsWith(file + ": " + problem), e.getMessage());
  }

  @Test
  void unreadableFileNamesTheFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> PhaseRouting.load(dir));
    assertTrue(e.getMessage().startsWith(dir + ": cannot read the file"), e.getMessage());
  }

  @Test
  void ofRejectsMissingTiersAndPhases() {
    Map<String, Tier> phases = new HashMap<>();
    phases.put("EXEC", null);
    assertThrows(ConfigException.class, () -> PhaseRouting.of(Map.of("A", phases)));
    Map<String, Map<String, Tier>> subAgents = new HashMap<>();
    subAgents.put("A", null);
    assertThrows(ConfigException.class, () -> PhaseRouting.of(subAgents));
  }

  private PhaseRouting load(String json) throws IOException {
    Path file = dir.resolve("phase-model-routing.json");
    Files.writeString(file, json);
    return PhaseRouting.load(file);
  }
}
