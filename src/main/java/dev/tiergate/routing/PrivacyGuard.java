package dev.tiergate.routing;

import dev.tiergate.config.ConfigException;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Spots private content (health data, identity numbers, credentials) in a request, so that routing can keep it off
 * cloud providers. Only a pattern's name ever leaves this class: the matched text is private and is not returned,
 * logged or kept.
 *
 * <p>Each pattern is {@code name=regex} or just {@code regex} (its name is then the regex). A leading
 * {@code [A-Za-z][A-Za-z0-9_.-]*=} is always read as a name, so a bare regex that starts like that needs a name.
 */
public final class PrivacyGuard {

  /** Health words, US social security numbers, credential assignments and private key blocks. */
  public static final List<String> DEFAULT_PATTERNS = List.of(
      "patient=(?i)\\bpatients?\\b",
      "phi=(?i)\\bPHI\\b",
      "hipaa=(?i)\\bHIPAA\\b",
      "medical-record=(?i)\\bmedical\\s+records?\\b",
      "diagnosis=(?i)\\bdiagnos[ie]s\\b",
      "us-ssn=\\b\\d{3}-\\d{2}-\\d{4}\\b",
      // The optional quote catches JSON and YAML keys: "password": "…"
      "credential=(?i)\\b(?:password|passwd|api[_-]?key|secret[_-]?key|access[_-]?token)[\"']?\\s*[:=]\\s*\\S+",
      "private-key=-----BEGIN [A-Z ]*PRIVATE KEY-----");

  /** A guard that never matches. */
  public static final PrivacyGuard DISABLED = new PrivacyGuard(List.of());

  private static final Pattern NAMED = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)", Pattern.DOTALL);

  private final List<NamedPattern> patterns;

  private PrivacyGuard(List<NamedPattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  private record NamedPattern(String name, Pattern pattern) {
  }

  /**
   * Compiles {@code patterns}, in order; an empty list gives a disabled guard.
   *
   * @throws ConfigException naming {@code routing.privacyPatterns[i]} for an invalid pattern or one that matches the
   *     empty string (and so every request)
   */
  public static PrivacyGuard of(List<String> patterns) {
    List<NamedPattern> compiled = new ArrayList<>(patterns.size());
    for (int i = 0; i < patterns.size(); i++) {
      compiled.add(compile("routing.privacyPatterns[" + i + "]", patterns.get(i)));
    }
    return new PrivacyGuard(compiled);
  }

  /** Whether any pattern is configured. */
  public boolean enabled() {
    return !patterns.isEmpty();
  }

  /** The pattern names, in the order they are tried. */
  public List<String> names() {
    return patterns.stream().map(NamedPattern::name).toList();
  }

  /**
   * The name of the first pattern, in configured order, found anywhere in {@code c}: the system prompt, text parts,
   * tool-call arguments and tool results. Empty when none matches.
   */
  public Optional<String> match(Conversation c) {
    if (patterns.isEmpty()) {
      return Optional.empty();
    }
    List<String> texts = texts(c);
    for (NamedPattern named : patterns) {
      Matcher matcher = named.pattern().matcher("");
      for (String text : texts) {
        if (matcher.reset(text).find()) {
          return Optional.of(named.name());
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "PrivacyGuard" + names();
  }

  private static NamedPattern compile(String key, String entry) {
    if (entry == null || entry.isEmpty()) {
      throw new ConfigException(key, "a pattern is required");
    }
    Matcher named = NAMED.matcher(entry);
    boolean hasName = named.matches();
    String name = hasName ? named.group(1) : entry;
    String regex = hasName ? named.group(2) : entry;
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(key, "invalid regex: " + e.getDescription() + " near index " + e.getIndex());
    }
    if (pattern.matcher("").find()) {
      throw new ConfigException(key, "pattern '" + name + "' matches the empty string, so every request would match");
    }
    return new NamedPattern(name, pattern);
  }

  // Parts are scanned one by one rather than joined: no copy of a large conversation on the hot path.
  private static List<String> texts(Conversation c) {
    List<String> texts = new ArrayList<>();
    if (c.system() != null) {
      texts.add(c.system());
    }
    for (Turn turn : c.turns()) {
      for (Part part : turn.parts()) {
        switch (part) {
          case Part.Text text -> texts.add(text.text());
          case Part.ToolCall call -> texts.add(call.arguments());
          case Part.ToolResult result -> texts.add(result.content());
          case Part.Image image -> {
          }
        }
      }
    }
    return texts;
  }
}
