package dev.tiergate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Content failures the canary counts as errors: leaked reasoning and broken JSON output. */
class ContentCheckTest {

  @Test
  void wholeAnswers() {
    assertEquals(ContentCheck.LEAKED_THINK, ContentCheck.check("<think>hmm</think> 4", false, ResponseFormat.TEXT));
    assertNull(ContentCheck.check("<think>hmm</think> 4", true, ResponseFormat.TEXT), "stripped models are fine");
    assertNull(ContentCheck.check("4", false, ResponseFormat.TEXT));
    assertEquals(ContentCheck.INVALID_JSON, ContentCheck.check("Sure! {\"a\":1}", false, ResponseFormat.JSON_OBJECT));
    assertEquals(ContentCheck.INVALID_JSON, ContentCheck.check("[1,2]", false, ResponseFormat.JSON_OBJECT));
    assertNull(ContentCheck.check(" {\"a\": [1, 2]}\n", false, ResponseFormat.JSON_OBJECT));
  }

  @Test
  void aLeakedTagIsSeenEvenWhenSplitAcrossDeltas() {
    StreamTally tally = new StreamTally(event -> { });
    for (String piece : new String[] {"The answer <th", "ink", "> is 4"}) {
      tally.accept(new StreamEvent.TextDelta(piece));
    }
    assertTrue(tally.leakedThink());
    StreamTally clean = new StreamTally(event -> { });
    clean.accept(new StreamEvent.TextDelta("I think this is fine"));
    assertFalse(clean.leakedThink());
  }
}
