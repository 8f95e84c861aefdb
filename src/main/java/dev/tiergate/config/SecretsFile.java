package dev.tiergate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Secrets from a file instead of the environment ({@code TIERGATE_SECRETS_FILE}): {@code NAME=value} lines, blank
 * lines and {@code #} comments ignored, for provider keys ({@code ANTHROPIC_API_KEY=…}), client keys, the admin token
 * and {@code DATABASE_URL}. A variable set in the environment wins over the file. The file should be readable by the
 * gateway's user only; a group- or world-readable file is reported (never its contents).
 */
public final class SecretsFile {

  private static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

  private SecretsFile() {
  }

  /** The environment with the secrets file's entries added (when {@code TIERGATE_SECRETS_FILE} names one). */
  public static Map<String, String> merge(Map<String, String> env, List<String> warnings) {
    String file = env.get("TIERGATE_SECRETS_FILE");
    if (file == null || file.isBlank()) {
      return env;
    }
    Path path = Path.of(file.trim());
    List<String> lines;
    try {
      lines = Files.readAllLines(path);
    } catch (IOException e) {
      throw new ConfigException("TIERGATE_SECRETS_FILE", "cannot read " + path + " (" + e.getClass().getSimpleName()
          + ")");
    }
    if (groupOrWorldReadable(path)) {
      warnings.add("TIERGATE_SECRETS_FILE " + path + " is readable by other users; chmod 600 it");
    }
    Map<String, String> merged = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String name = eq < 0 ? "" : line.substring(0, eq).strip();
      if (!NAME.matcher(name).matches()) {
        // The line may hold a secret: say where, never what.
        throw new ConfigException("TIERGATE_SECRETS_FILE", path + " line " + (i + 1) + " is not NAME=value");
      }
      merged.put(name, unquote(line.substring(eq + 1).strip()));
    }
    merged.putAll(env);
    return Map.copyOf(merged);
  }

  private static String unquote(String value) {
    boolean quoted = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
        || value.startsWith("'") && value.endsWith("'"));
    return quoted ? value.substring(1, value.length() - 1) : value;
  }

  private static boolean groupOrWorldReadable(Path path) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      return permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
