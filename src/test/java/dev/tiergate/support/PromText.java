package dev.tiergate.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests that read {@code /metrics}: {@code # HELP}
 * and {@code # TYPE} lines, samples {@code name{label="value",...} value [timestamp]} with the label-value escapes
 * {@code \\ \" \n}, and the values {@code NaN}, {@code +Inf}, {@code -Inf}. A malformed line, a second HELP or TYPE
 * for one family, an unknown type, or a TYPE after samples of its family throws {@link IllegalArgumentException} with
 * the line number. Samples need no TYPE (they are untyped); the parser checks syntax, not what the metrics mean.
 */
public final class PromText {

  /** One sample; its timestamp, when present, is checked and dropped. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public Sample {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
  }

  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern TIMESTAMP = Pattern.compile("[+-]?\\d+");

  private final List<Sample> samples = new ArrayList<>();
  private final Map<String, String> types = new HashMap<>();
  private final Map<String, String> helps = new HashMap<>();
  private final Set<String> sampled = new HashSet<>();

  private PromText() {
  }

  /** Parses a whole exposition; the format requires every line, the last one too, to end with a line feed. */
  public static PromText parse(String text) {
    PromText parsed = new PromText();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("line " + text.lines().count() + ": the last line does not end with \\n");
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      parsed.line(new Cursor(lines[i], i + 1));
    }
    return parsed;
  }

  public List<Sample> samples() {
    return Collections.unmodifiableList(samples);
  }

  /** The sum of the samples called exactly {@code name} whose labels include all of {@code match}; 0 when none. */
  public double sum(String name, Map<String, String> match) {
    return samples.stream()
        .filter(sample -> sample.name().equals(name) && sample.labels().entrySet().containsAll(match.entrySet()))
        .mapToDouble(Sample::value)
        .sum();
  }

  /** The TYPE declared for a family, as written ({@code counter} families are often declared as {@code x_total}). */
  public Optional<String> type(String family) {
    return Optional.ofNullable(types.get(family));
  }

  /** The HELP text of a family, unescaped. */
  public Optional<String> help(String family) {
    return Optional.ofNullable(helps.get(family));
  }

  private void line(Cursor line) {
    line.blanks();
    if (line.atEnd()) {
      return;
    }
    if (line.peek() == '#') {
      comment(line);
    } else {
      sample(line);
    }
  }

  private void comment(Cursor line) {
    line.next();
    line.blanks();
    String keyword = line.word();
    if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
      return;
    }
    line.requireBlank();
    String family = line.metricName();
    if (keyword.equals("HELP")) {
      if (!line.atEnd()) {
        line.requireBlank();
      }
      String help = line.helpText();
      if (helps.put(family, help) != null) {
        throw line.fail("a second HELP for " + family);
      }
      return;
    }
    line.requireBlank();
    String type = line.word();
    line.blanks();
    if (!line.atEnd()) {
      throw line.fail("unexpected text after the type");
    }
    if (!TYPES.contains(type)) {
      throw line.fail("unknown type '" + type + "'");
    }
    if (types.put(family, type) != null) {
      throw line.fail("a second TYPE for " + family);
    }
    if (familyNames(family, type).stream().anyMatch(sampled::contains)) {
      throw line.fail("TYPE for " + family + " comes after its samples");
    }
  }

  private static List<String> familyNames(String family, String type) {
    return switch (type) {
      case "histogram" -> List.of(family, family + "_bucket", family + "_sum", family + "_count");
      case "summary" -> List.of(family, family + "_sum", family + "_count");
      default -> List.of(family);
    };
  }

  private void sample(Cursor line) {
    String name = line.metricName();
    Map<String, String> labels = new LinkedHashMap<>();
    int afterName = line.position();
    line.blanks();
    if (!line.atEnd() && line.peek() == '{') {
      line.labels(labels);
      line.blanks();
    } else if (line.position() == afterName) {
      throw line.fail(line.atEnd() ? "no value" : "expected a blank at column " + (afterName + 1));
    }
    String[] rest = line.rest().split("[ \t]+");
    if (rest.length > 2 || rest[0].isEmpty()) {
      throw line.fail("expected a value and an optional timestamp");
    }
    if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
      throw line.fail("bad timestamp '" + rest[1] + "'");
    }
    samples.add(new Sample(name, labels, value(line, rest[0])));
    sampled.add(name);
  }

  private static double value(Cursor line, String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        if (!NUMBER.matcher(text).matches()) {
          throw line.fail("bad value '" + text + "'");
        }
        yield Double.parseDouble(text);
      }
    };
  }

  /** A position in one line, with the line number for error messages. */
  private static final class Cursor {
    private final String text;
    private final int number;
    private int pos;

    Cursor(String text, int number) {
      this.text = text;
      this.number = number;
    }

    int position() {
      return pos;
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    char peek() {
      return text.charAt(pos);
    }

    char next() {
      if (atEnd()) {
        throw fail("unexpected end of line");
      }
      return text.charAt(pos++);
    }

    void blanks() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
        pos++;
      }
    }

    /** Tokens must be separated by at least one blank or tab. */
    void requireBlank() {
      int before = pos;
      blanks();
      if (pos == before) {
        throw fail(atEnd() ? "unexpected end of line" : "expected a blank at column " + (pos + 1));
      }
    }

    String word() {
      int start = pos;
      while (!atEnd() && peek() != ' ' && peek() != '\t') {
        pos++;
      }
      return text.substring(start, pos);
    }

    String rest() {
      String rest = text.substring(pos);
      pos = text.length();
      return rest;
    }

    String metricName() {
      int start = pos;
      while (!atEnd() && (nameChar(peek()) || peek() == ':')) {
        pos++;
      }
      String name = text.substring(start, pos);
      if (!METRIC_NAME.matcher(name).matches()) {
        throw fail("bad metric name at column " + (start + 1));
      }
      return name;
    }

    /** {@code {name="value",...}} with an optional trailing comma; blanks are allowed between tokens. */
    void labels(Map<String, String> labels) {
      next();
      blanks();
      while (!atEnd() && peek() != '}') {
        String name = labelName();
        blanks();
        expect('=');
        blanks();
        expect('"');
        if (labels.put(name, labelValue()) != null) {
          throw fail("label " + name + " appears twice");
        }
        blanks();
        if (atEnd() || peek() != ',') {
          break;
        }
        next();
        blanks();
      }
      expect('}');
    }

    private String labelName() {
      int start = pos;
      while (!atEnd() && nameChar(peek())) {
        pos++;
      }
      if (start == pos || Character.isDigit(text.charAt(start))) {
        throw fail("bad label name at column " + (start + 1));
      }
      return text.substring(start, pos);
    }

    private static boolean nameChar(char c) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    private String labelValue() {
      StringBuilder value = new StringBuilder();
      for (char c = next(); c != '"'; c = next()) {
        value.append(c == '\\' ? unescape(next(), "\\\"n") : c);
      }
      return value.toString();
    }

    /** The rest of a HELP line: only {@code \\} and {@code \n} are escapes there. */
    String helpText() {
      StringBuilder help = new StringBuilder();
      while (!atEnd()) {
        char c = next();
        help.append(c == '\\' ? unescape(next(), "\\n") : c);
      }
      return help.toString();
    }

    private char unescape(char escaped, String allowed) {
      if (allowed.indexOf(escaped) < 0) {
        throw fail("invalid escape \\" + escaped);
      }
      return escaped == 'n' ? '\n' : escaped;
    }

    private void expect(char wanted) {
      if (atEnd() || peek() != wanted) {
        throw fail("expected '" + wanted + "' at column " + (pos + 1));
      }
      pos++;
    }

    IllegalArgumentException fail(String problem) {
      return new IllegalArgumentException("line " + number + ": " + problem + ": " + text);
    }
  }
}
