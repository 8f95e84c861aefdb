package dev.tiergate.wire.cohere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.http.GatewayException;
import dev.tiergate.support.CohereTranscripts;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole Cohere v2 chat responses read into {@link Completion}s. */
class CohereCompletionsTest {

  @Test
  void textAnswerWithUsageFromTokens() {
    Completion completion = CohereCompletions.read(Buffer.buffer(CohereTranscripts.textCompletion()));
    assertEquals(List.of(new Part.Text(CohereTranscripts.TEXT)), completion.content());
    assertEquals(FinishReason.END_TURN, completion.finishReason());
    assertEquals(CohereTranscripts.PROMPT_TOKENS, completion.promptTokens());
    assertEquals(CohereTranscripts.COMPLETION_TOKENS, completion.completionTokens());
  }

  @Test
  void toolCallsWithoutContentAndThePlanLeftOut() {
    Completion completion = CohereCompletions.read(Buffer.buffer(CohereTranscripts.toolCallCompletion()));
    assertEquals(List.of(new Part.ToolCall(CohereTranscripts.TOOL_ID, CohereTranscripts.TOOL_NAME,
        CohereTranscripts.TOOL_ARGUMENTS)), completion.content());
    assertEquals(FinishReason.TOOL_USE, completion.finishReason());
    assertEquals(CohereTranscripts.TOOL_PROMPT_TOKENS, completion.promptTokens());
    assertEquals(CohereTranscripts.TOOL_COMPLETION_TOKENS, completion.completionTokens());
  }

  @Test
  void thinkingBlocksAreNotPartOfTheAnswer() {
    Completion completion = CohereCompletions.read(Buffer.buffer("{\"id\":\"x\",\"finish_reason\":\"MAX_TOKENS\","
        + "\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\"},"
        + "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}}"));
    assertEquals(List.of(new Part.Text("ab")), completion.content());
    assertEquals(FinishReason.MAX_TOKENS, completion.finishReason());
    assertEquals(-1, completion.promptTokens());
  }

  @Test
  void malformedBodiesAndFailedGenerationsThrow() {
    for (String body : List.of("nope", "[]", "{\"id\":\"x\"}")) {
      assertEquals("upstream_malformed_response", assertThrows(GatewayException.class,
          () -> CohereCompletions.read(Buffer.buffer(body)), body).errorClass());
    }
    GatewayException error = assertThrows(GatewayException.class, () -> CohereCompletions.read(Buffer.buffer(
        "{\"id\":\"x\",\"finish_reason\":\"ERROR\",\"message\":{\"role\":\"assistant\"}}")));
    assertEquals("upstream_error", error.errorClass());
    assertTrue(error.getMessage().contains("failed"), error.getMessage());
  }
}
