package dev.tiergate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThinkStripperTest {

  private static final String ANSWER = "<think>Let me see: 2+2 <b>is</b> 4.</think>\n\nThe answer is 4 <ok>.";

  @Test
  void removesABlockWhateverTheSplit() {
    // Every way to cut the text in two, then every way in three for the short tags' neighbourhood.
    for (int i = 0; i <= ANSWER.length(); i++) {
      assertEquals("The answer is 4 <ok>.", run(ANSWER.substring(0, i), ANSWER.substring(i)).text, "split at " + i);
      for (int j = i; j <= Math.min(ANSWER.length(), i + 9); j++) {
        assertEquals("The answer is 4 <ok>.",
            run(ANSWER.substring(0, i), ANSWER.substring(i, j), ANSWER.substring(j)).text, "split at " + i + "," + j);
      }
    }
  }

  @Test
  void oneCharacterAtATime() {
    String[] pieces = ANSWER.split("");
    Result result = run(pieces);
    assertEquals("The answer is 4 <ok>.", result.text);
    assertTrue(result.stripped);
  }

  @Test
  void textWithoutBlocksIsUntouchedAndNotCounted() {
    Result result = run("a <thin", "k about it> b <", "/think");
    assertEquals("a <think about it> b </think", result.text);
    assertFalse(result.stripped);
  }

  @Test
  void aHeldBackPrefixIsReleasedByTheFinish() {
    List<StreamEvent> events = new ArrayList<>();
    ThinkStripper stripper = new ThinkStripper(events::add);
    stripper.accept(new StreamEvent.TextDelta("x <thi"));
    stripper.accept(new StreamEvent.Finish(FinishReason.END_TURN));
    assertEquals(List.of(new StreamEvent.TextDelta("x "), new StreamEvent.TextDelta("<thi"),
        new StreamEvent.Finish(FinishReason.END_TURN)), events);
  }

  @Test
  void anUnclosedBlockDropsTheRest() {
    assertEquals("before ", run("before <think>never", " closed").text);
  }

  @Test
  void severalBlocksAndAWholeText() {
    assertEquals("one two", ThinkStripper.strip("<think>a</think>one <think>b</think>two"));
  }

  private record Result(String text, boolean stripped) {
  }

  private static Result run(String... pieces) {
    StringBuilder text = new StringBuilder();
    ThinkStripper stripper = new ThinkStripper(event -> {
      if (event instanceof StreamEvent.TextDelta delta) {
        text.append(delta.text());
      }
    });
    for (String piece : pieces) {
      stripper.accept(new StreamEvent.TextDelta(piece));
    }
    stripper.accept(StreamEvent.END);
    return new Result(text.toString(), stripper.stripped());
  }
}
