package dev.tiergate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tiergate.config.ConfigException;
import dev.tiergate.routing.PromptClassifier.Classification;
import dev.tiergate.routing.PromptClassifier.PromptFeatures;
import dev.tiergate.routing.PromptClassifier.Rules;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.ToolSpec;
import dev.tiergate.wire.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromptClassifierTest {

  /** One row per rule and per precedence between rules; {@code chars} is promptChars, the text the last user turn. */
  @ParameterizedTest(name = "[{index}] {4}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      # chars| tools | text                                   | tier   | rule
      # security wins over everything, at any length
      40     | false | Is this a VULNERABILITY?               | OPUS   | security ('vulnerability') → opus
      50000  | true  | run a security  audit on ```code```    | OPUS   | security ('security audit') → opus
      3000   | false | threat modelling for the login flow    | OPUS   | security ('threat modelling') → opus
      300    | false | list known vulnerabilities             | OPUS   | security ('vulnerabilities') → opus
      # long prompts
      12000  | false | hello                                  | SONNET | long prompt (≥ 12000 chars) → sonnet
      11999  | false | hello                                  | NULL   | no rule matched
      20000  | true  | def f(): pass                          | SONNET | long prompt (≥ 12000 chars) → sonnet
      # analysis needs 2000 chars
      2000   | false | Analyze the logs step by step          | SONNET | multi-step analysis ('analyze') → sonnet
      2500   | false | what is the ROOT CAUSE here            | SONNET | multi-step analysis ('root cause') → sonnet
      2500   | false | weigh the trade-offs                   | SONNET | multi-step analysis ('trade offs') → sonnet
      2500   | false | please design a queue                  | SONNET | multi-step analysis ('design a') → sonnet
      2500   | false | explain it Step-by-Step                | SONNET | multi-step analysis ('step by step') → sonnet
      1999   | false | Analyze the logs                       | NULL   | no rule matched
      100    | false | analyze this                           | HAIKU  | short prompt (< 280 chars) → haiku
      # analysis keywords are whole words
      2500   | false | analyzer; psychoanalyzed; redesign     | NULL   | no rule matched
      # tools
      100    | true  | hi                                     | SONNET | tools present → sonnet
      2500   | true  | analyze the architecture               | SONNET | multi-step analysis ('analyze') → sonnet
      1000   | true  | fix the exception                      | SONNET | tools present → sonnet
      # code
      100    | false | ```js\\nlet x```                       | SONNET | code ('```') → sonnet
      100    | false | def main(args):                        | SONNET | code ('def') → sonnet
      100    | false | public class Foo {}                    | SONNET | code ('class') → sonnet
      100    | false | write a function                       | SONNET | code ('function') → sonnet
      100    | false | here is the Stack Trace                | SONNET | code ('stack trace') → sonnet
      100    | false | NullPointerException thrown            | SONNET | code ('exception') → sonnet
      100    | false | an unexceptional day                   | HAIKU  | short prompt (< 280 chars) → haiku
      100    | false | an exception was thrown                | SONNET | code ('exception') → sonnet
      100    | false | refactoring time                       | SONNET | code ('refactoring') → sonnet
      100    | false | it does not compile                    | SONNET | code ('compile') → sonnet
      100    | false | add a unit test                        | SONNET | code ('unit test') → sonnet
      100    | false | a classic undefined functional form    | HAIKU  | short prompt (< 280 chars) → haiku
      # short and the rest
      279    | false | thanks!                                | HAIKU  | short prompt (< 280 chars) → haiku
      280    | false | thanks!                                | NULL   | no rule matched
      0      | false | ''                                     | HAIKU  | short prompt (< 280 chars) → haiku
      """)
  void rules(int chars, boolean tools, String text, String tier, String rule) {
    Classification c = PromptClassifier.classify(new PromptFeatures(chars, 1, tools, text.replace("\\n", "\n")));
    assertEquals(tier == null ? null : Tier.valueOf(tier), c.tier());
    assertEquals(rule, c.rule());
  }

  @Test
  void thresholdsAreConfigurable() {
    Rules rules = new Rules(10, 100);
    assertEquals(new Classification(Tier.HAIKU, "short prompt (< 10 chars) → haiku"),
        PromptClassifier.classify(new PromptFeatures(9, 1, false, "hi"), rules));
    assertEquals(new Classification(null, "no rule matched"),
        PromptClassifier.classify(new PromptFeatures(10, 1, false, "hi"), rules));
    assertEquals(new Classification(Tier.SONNET, "long prompt (≥ 100 chars) → sonnet"),
        PromptClassifier.classify(new PromptFeatures(100, 1, false, "hi"), rules));
    assertEquals(new Rules(280, 12_000), Rules.DEFAULT);
  }

  @Test
  void badThresholdsNameTheKey() {
    ConfigException negative = assertThrows(ConfigException.class, () -> new Rules(-1, 100));
    assertEquals("classifier.shortChars", negative.getMessage().split(":")[0]);
    ConfigException inverted = assertThrows(ConfigException.class, () -> new Rules(300, 300));
    assertEquals("classifier.longChars", inverted.getMessage().split(":")[0]);
  }

  @Test
  void keywordsAreOnlySoughtInTheClippedLastUserText() {
    String late = "x".repeat(PromptClassifier.MAX_SCAN_CHARS) + " vulnerability";
    PromptFeatures f = new PromptFeatures(100, 1, false, late);
    assertEquals(PromptClassifier.MAX_SCAN_CHARS, f.lastUserText().length());
    assertEquals(Tier.HAIKU, PromptClassifier.classify(f).tier());
  }

  @Test
  void featuresOfAConversation() {
    Conversation c = conversation("You are terse.", List.of(),
        new Turn(Turn.Role.USER, List.of(new Part.Text("first "), new Part.Text("question"))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text("answer"), new Part.ToolCall("c1", "grep", "{\"q\":1}"))),
        new Turn(Turn.Role.TOOL, List.of(new Part.ToolResult("c1", "grep", "a long tool result", false))),
        new Turn(Turn.Role.USER, List.of(new Part.Text("why?"))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text("because"))));
    assertEquals(new PromptFeatures(14 + 14 + 6 + 4 + 7, 5, false, "why?"), PromptFeatures.of(c));
  }

  @Test
  void featuresWithToolsNoSystemAndALongLastUserTurn() {
    ToolSpec tool = new ToolSpec("grep", "search", JsonNodeFactory.instance.objectNode().put("type", "object"));
    Turn turn = new Turn(Turn.Role.USER, List.of(new Part.Text("y".repeat(5000))));
    Conversation c = conversation(null, List.of(tool), turn);
    PromptFeatures f = PromptFeatures.of(c);
    assertEquals(5000, f.promptChars());
    assertEquals(1, f.turns());
    assertTrue(f.tools());
    assertEquals("y".repeat(PromptClassifier.MAX_SCAN_CHARS), f.lastUserText());
  }

  @Test
  void noUserTurnMeansEmptyText() {
    Conversation c = conversation("sys", List.of(), new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text("hi"))));
    assertEquals("", PromptFeatures.of(c).lastUserText());
    assertEquals("", new PromptFeatures(0, 0, false, null).lastUserText());
  }

  @Test
  void classificationNeedsARule() {
    assertThrows(IllegalArgumentException.class, () -> new Classification(Tier.HAIKU, " "));
    assertNull(new Classification(null, "no rule matched").tier());
  }

  private static Conversation conversation(String system, List<ToolSpec> tools, Turn... turns) {
    return new Conversation(system, List.of(turns), tools, ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT,
        false);
  }
}
