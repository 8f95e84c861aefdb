package dev.tiergate.admin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code tiergate canary …} in-process with a given environment, capturing its output (tests, scripts). */
public final class CanaryCli {

  /** What a run printed and its exit code. */
  public record Run(int exitCode, String out, String err) {
  }

  private CanaryCli() {
  }

  public static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CanaryCommand command = new CanaryCommand(env);
    command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = new CommandLine(command).execute(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
