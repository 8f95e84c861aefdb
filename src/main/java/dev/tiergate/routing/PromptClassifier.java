package dev.tiergate.routing;

import dev.tiergate.config.ConfigException;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.Turn;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proposes a tier for a request that carries no hint, by a few explainable rules rather than a model. The first rule
 * that applies wins:
 * <ol>
 *   <li>security work ("security audit", "vulnerability", "threat model") → opus, as the purpose {@code security};</li>
 *   <li>a long prompt ({@code promptChars ≥ longChars}) → sonnet;</li>
 *   <li>multi-step analysis ("step by step", "analyze", "architecture", "design a", "trade-offs", "root cause") in a
 *       prompt of at least {@value #ANALYSIS_CHARS} chars → sonnet;</li>
 *   <li>tools offered → sonnet;</li>
 *   <li>code ("```", "def ", "class ", "function", "stack trace", "exception" or an exception class name, "refactor",
 *       "compile", "unit test") → sonnet;</li>
 *   <li>a short prompt ({@code promptChars < shortChars}) → haiku;</li>
 *   <li>otherwise no tier: the default tier applies.</li>
 * </ol>
 * Keywords are matched case-insensitively as whole words, in the last user turn only (clipped to
 * {@value #MAX_SCAN_CHARS} chars), so a classification costs at most three regex scans of 4000 chars.
 */
public final class PromptClassifier {

  /** Shortest prompt for which analysis keywords alone call for sonnet; a one-line "analyze this" stays cheap. */
  public static final int ANALYSIS_CHARS = 2000;
  /** How much of the last user turn is kept and scanned for keywords. */
  public static final int MAX_SCAN_CHARS = 4000;

  private static final int FLAGS = Pattern.CASE_INSENSITIVE;
  private static final Pattern SECURITY = Pattern.compile(
      "\\b(security\\s+audit|vulnerabilit(?:y|ies)|threat\\s+model(?:s|ing|ling)?)\\b", FLAGS);
  private static final Pattern ANALYSIS = Pattern.compile(
      "\\b(step[\\s-]+by[\\s-]+step|analy[sz]e|analysis|architecture|design\\s+an?|trade-?offs?|root\\s+cause)\\b",
      FLAGS);
  /** Exception class names ({@code NullPointerException}) count as "exception"; the label stays bounded. */
  private static final Pattern CODE = Pattern.compile(
      "(```)|\\b(def|class)\\s|\\b\\w*(exception)s?\\b"
          + "|\\b(functions?|stack\\s*traces?|refactor(?:ing|ed)?|compil(?:e|es|er|ing)|unit\\s+tests?)\\b", FLAGS);
  private static final Pattern SPACES = Pattern.compile("[\\s-]+");

  private PromptClassifier() {
  }

  /**
   * What the classifier looks at, computed once per request.
   *
   * @param promptChars   chars of all text parts plus the system prompt
   * @param turns         number of turns
   * @param tools         whether tools are offered
   * @param lastUserText  the last user turn's text, clipped to {@value #MAX_SCAN_CHARS} chars ("" when none)
   */
  public record PromptFeatures(int promptChars, int turns, boolean tools, String lastUserText) {

    public PromptFeatures {
      if (promptChars < 0 || turns < 0) {
        throw new IllegalArgumentException("promptChars and turns must not be negative");
      }
      lastUserText = clip(lastUserText == null ? "" : lastUserText);
    }

    /** The features of {@code c}. Tool results and tool-call arguments are not counted: only text parts are. */
    public static PromptFeatures of(Conversation c) {
      long chars = c.system() == null ? 0 : c.system().length();
      String lastUser = "";
      for (Turn turn : c.turns()) {
        for (Part part : turn.parts()) {
          if (part instanceof Part.Text text) {
            chars += text.text().length();
          }
        }
        if (turn.role() == Turn.Role.USER) {
          lastUser = turn.text();
        }
      }
      return new PromptFeatures((int) Math.min(chars, Integer.MAX_VALUE), c.turns().size(), !c.tools().isEmpty(),
          lastUser);
    }

    private static String clip(String text) {
      return text.length() > MAX_SCAN_CHARS ? text.substring(0, MAX_SCAN_CHARS) : text;
    }
  }

  /**
   * A proposed tier and why.
   *
   * @param tier the proposed tier, null when no rule applied (the default tier applies)
   * @param rule a short human-readable reason, e.g. {@code "tools present → sonnet"}; bounded in variety, so it may be
   *             logged or used as a metric label (it never quotes the prompt beyond a matched keyword)
   */
  public record Classification(Tier tier, String rule) {

    public Classification {
      if (rule == null || rule.isBlank()) {
        throw new IllegalArgumentException("rule is required");
      }
    }
  }

  /**
   * The size thresholds of the rules.
   *
   * @param shortChars prompts shorter than this go to haiku [280]
   * @param longChars  prompts at least this long go to sonnet [12000]
   */
  public record Rules(int shortChars, int longChars) {

    /** 280 and 12000. */
    public static final Rules DEFAULT = new Rules(280, 12_000);

    public Rules {
      if (shortChars < 0) {
        throw new ConfigException("classifier.shortChars", "must not be negative, got " + shortChars);
      }
      if (longChars <= shortChars) {
        throw new ConfigException("classifier.longChars",
            "must be greater than classifier.shortChars (" + shortChars + "), got " + longChars);
      }
    }
  }

  /** Classifies with {@link Rules#DEFAULT}. */
  public static Classification classify(PromptFeatures f) {
    return classify(f, Rules.DEFAULT);
  }

  /** Classifies {@code f} by the rules in the class comment with the thresholds of {@code rules}. */
  public static Classification classify(PromptFeatures f, Rules rules) {
    String text = f.lastUserText();
    String security = keyword(SECURITY, text);
    if (security != null) {
      return new Classification(Tier.OPUS, "security ('" + security + "') → opus");
    }
    if (f.promptChars() >= rules.longChars()) {
      return new Classification(Tier.SONNET, "long prompt (≥ " + rules.longChars() + " chars) → sonnet");
    }
    if (f.promptChars() >= ANALYSIS_CHARS) {
      String analysis = keyword(ANALYSIS, text);
      if (analysis != null) {
        return new Classification(Tier.SONNET, "multi-step analysis ('" + analysis + "') → sonnet");
      }
    }
    if (f.tools()) {
      return new Classification(Tier.SONNET, "tools present → sonnet");
    }
    String code = keyword(CODE, text);
    if (code != null) {
      return new Classification(Tier.SONNET, "code ('" + code + "') → sonnet");
    }
    if (f.promptChars() < rules.shortChars()) {
      return new Classification(Tier.HAIKU, "short prompt (< " + rules.shortChars() + " chars) → haiku");
    }
    return new Classification(null, "no rule matched");
  }

  /**
   * The first keyword of {@code pattern} in {@code text} (its first non-null group), lower-cased with single spaces;
   * null when none.
   */
  private static String keyword(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      return null;
    }
    String found = "";
    for (int group = 1; group <= matcher.groupCount() && found.isEmpty(); group++) {
      found = matcher.group(group) == null ? "" : matcher.group(group);
    }
    return SPACES.matcher(found.toLowerCase(Locale.ROOT)).replaceAll(" ");
  }
}
