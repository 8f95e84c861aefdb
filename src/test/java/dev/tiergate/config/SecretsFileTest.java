package dev.tiergate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code TIERGATE_SECRETS_FILE}: NAME=value lines; the environment wins; errors never show a value. */
class SecretsFileTest {

  @TempDir
  Path dir;

  @Test
  void entriesJoinTheEnvironmentWhichWins() throws Exception {
    Path file = dir.resolve("secrets.env");
    Files.writeString(file, """
        # provider keys
        ANTHROPIC_API_KEY=sk-ant-from-file
        OPENAI_API_KEY = "sk-openai-quoted"

        TIERGATE_ADMIN_TOKEN=from-file
        """);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    List<String> warnings = new ArrayList<>();
    Map<String, String> env = SecretsFile.merge(Map.of("TIERGATE_SECRETS_FILE", file.toString(),
        "TIERGATE_ADMIN_TOKEN", "from-env"), warnings);
    assertEquals("sk-ant-from-file", env.get("ANTHROPIC_API_KEY"));
    assertEquals("sk-openai-quoted", env.get("OPENAI_API_KEY"));
    assertEquals("from-env", env.get("TIERGATE_ADMIN_TOKEN"));
    assertTrue(warnings.isEmpty());
  }

  @Test
  void aReadableFileIsReportedAndABadLineNamedWithoutItsValue() throws Exception {
    Path file = dir.resolve("open.env");
    Files.writeString(file, "GOOD=1\nsk-live-this-is-a-secret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    ConfigException error = assertThrows(ConfigException.class,
        () -> SecretsFile.merge(Map.of("TIERGATE_SECRETS_FILE", file.toString()), new ArrayList<>()));
    assertTrue(error.getMessage().contains("line 2"), error.getMessage());
    assertFalse(error.getMessage().contains("sk-live"), error.getMessage());
    Files.writeString(file, "GOOD=1\n");
    List<String> warnings = new ArrayList<>();
    SecretsFile.merge(Map.of("TIERGATE_SECRETS_FILE", file.toString()), warnings);
    assertEquals(1, warnings.size());
    Map<String, String> none = Map.of("A", "b");
    assertSame(none, SecretsFile.merge(none, warnings), "without the variable the environment is used as is");
  }
}
