package dev.tiergate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigException;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.Turn;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrivacyGuardTest {

  private static final PrivacyGuard DEFAULTS = PrivacyGuard.of(PrivacyGuard.DEFAULT_PATTERNS);

  @ParameterizedTest(name = "{1} in \"{0}\"")
  @CsvSource(delimiter = '|', value = {
      "The Patient reports pain                         | patient",
      "list all patients                                | patient",
      "is this PHI?                                     | phi",
      "we are hipaa covered                             | hipaa",
      "attach the Medical  Record                       | medical-record",
      "the diagnosis was flu                            | diagnosis",
      "two diagnoses                                    | diagnosis",
      "ssn 123-45-6789 on file                          | us-ssn",
      "password: hunter2                                | credential",
      "PASSWD=abc                                       | credential",
      "set api_key = sk-123                             | credential",
      "apikey:xyz                                       | credential",
      "Secret-Key: s3cr3t                               | credential",
      "access_token=eyJhbGciOi                          | credential",
      "{\"apiKey\": \"abc\"}                             | credential",
      "{'secret_key':'abc'}                             | credential",
      "-----BEGIN RSA PRIVATE KEY-----                  | private-key",
      "x -----BEGIN PRIVATE KEY----- y                  | private-key",
      "-----BEGIN OPENSSH PRIVATE KEY-----              | private-key",
  })
  void defaultPatternsFindPrivateContent(String text, String name) {
    assertEquals(Optional.of(name), DEFAULTS.match(userSays(text)));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "outpatient clinic hours",
      "the philosopher's graph",
      "call 123-456-7890",
      "version 1234-56-7890",
      "reset your password please",
      "the api key rotation policy",
      "-----BEGIN PUBLIC KEY-----",
      "diagnostics are green",
      "a medical recorder",
  })
  void ordinaryTextIsNotPrivate(String text) {
    assertEquals(Optional.empty(), DEFAULTS.match(userSays(text)));
  }

  @Test
  void scansSystemTextToolCallsAndToolResults() {
    assertEquals(Optional.of("us-ssn"), DEFAULTS.match(conversation("SSN is 078-05-1120",
        new Turn(Turn.Role.USER, List.of(new Part.Text("hello"))))));
    assertEquals(Optional.of("credential"), DEFAULTS.match(conversation(null,
        new Turn(Turn.Role.USER, List.of(new Part.Text("log in"))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.ToolCall("c1", "login", "{\"password\": \"x1\"}"))))));
    assertEquals(Optional.of("hipaa"), DEFAULTS.match(conversation(null,
        new Turn(Turn.Role.USER, List.of(new Part.Text("read the file"))),
        new Turn(Turn.Role.TOOL, List.of(new Part.ToolResult("c1", "read", "HIPAA notice", false))))));
    assertEquals(Optional.empty(), DEFAULTS.match(conversation(null,
        new Turn(Turn.Role.USER, List.of(new Part.Image("image/png", "cGF0aWVudA==", null), new Part.Text("hi"))))));
  }

  @Test
  void firstPatternInConfiguredOrderWins() {
    PrivacyGuard guard = PrivacyGuard.of(List.of("late=beta", "early=alpha"));
    assertEquals(Optional.of("late"), guard.match(userSays("alpha then beta")));
    assertEquals(Optional.of("early"), guard.match(userSays("alpha only")));
  }

  @Test
  void bareRegexIsItsOwnName() {
    PrivacyGuard guard = PrivacyGuard.of(List.of("(?i)\\bproject\\s+x\\b", "(?i)\\bapi[_-]?key\\s*[:=]\\s*\\S+"));
    assertEquals(List.of("(?i)\\bproject\\s+x\\b", "(?i)\\bapi[_-]?key\\s*[:=]\\s*\\S+"), guard.names());
    assertEquals(Optional.of("(?i)\\bproject\\s+x\\b"), guard.match(userSays("Project  X is late")));
    assertEquals(Optional.of("(?i)\\bapi[_-]?key\\s*[:=]\\s*\\S+"), guard.match(userSays("API_KEY=abc")));
  }

  @Test
  void aLeadingWordAndEqualsIsAName() {
    PrivacyGuard guard = PrivacyGuard.of(List.of("code.name-1=bluebird", "=x"));
    assertEquals(List.of("code.name-1", "=x"), guard.names());
    assertEquals(Optional.of("code.name-1"), guard.match(userSays("operation bluebird")));
    assertEquals(Optional.of("=x"), guard.match(userSays("a=x")));
  }

  @Test
  void theMatchedTextNeverLeaves() {
    String secret = "password=correct-horse-battery";
    Optional<String> match = DEFAULTS.match(userSays("my " + secret));
    assertEquals(Optional.of("credential"), match);
    assertFalse(match.get().contains("correct-horse"));
    assertFalse(DEFAULTS.toString().contains("correct-horse"));
  }

  @Test
  void enabledOnlyWithPatterns() {
    assertTrue(DEFAULTS.enabled());
    assertEquals(List.of("patient", "phi", "hipaa", "medical-record", "diagnosis", "us-ssn", "credential",
        "private-key"), DEFAULTS.names());
    PrivacyGuard none = PrivacyGuard.of(List.of());
    assertFalse(none.enabled());
    assertFalse(PrivacyGuard.DISABLED.enabled());
    assertEquals(Optional.empty(), none.match(userSays("patient 123-45-6789")));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(delimiter = '|', value = {
      "'(unclosed'        | invalid regex: Unclosed group",
      "'bad=[a-'          | invalid regex: ",
      "'empty='           | pattern 'empty' matches the empty string",
      "'x*'               | pattern 'x*' matches the empty string",
      "''                 | a pattern is required",
  })
  void badPatternsNameTheirIndex(String pattern, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> PrivacyGuard.of(List.of("ok=fine", pattern)));
    assertTrue(e.getMessage().startsWith("routing.privacyPatterns[1]: " + problem), e.getMessage());
  }

  private static Conversation userSays(String text) {
    return conversation(null, new Turn(Turn.Role.USER, List.of(new Part.Text(text))));
  }

  private static Conversation conversation(String system, Turn... turns) {
    return new Conversation(system, List.of(turns), List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT,
        false);
  }
}
