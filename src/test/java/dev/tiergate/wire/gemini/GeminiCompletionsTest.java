package dev.tiergate.wire.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.http.GatewayException;
import dev.tiergate.support.GeminiTranscripts;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole {@code generateContent} answers read into {@link Completion}s. */
class GeminiCompletionsTest {

  @Test
  void textPartsAreJoinedWithUsageAndFinish() {
    Completion completion = GeminiCompletions.read(Buffer.buffer(GeminiTranscripts.textCompletion()));
    assertEquals(List.of(new Part.Text(GeminiTranscripts.TEXT)), completion.content());
    assertEquals(FinishReason.END_TURN, completion.finishReason());
    assertEquals(GeminiTranscripts.PROMPT_TOKENS, completion.promptTokens());
    assertEquals(GeminiTranscripts.COMPLETION_TOKENS, completion.completionTokens());
  }

  @Test
  void functionCallsBecomeToolCallsAndStopMeansToolUse() {
    Completion completion = GeminiCompletions.read(Buffer.buffer(GeminiTranscripts.toolCallCompletion()));
    assertEquals(List.of(new Part.Text(GeminiTranscripts.TOOL_TEXT), new Part.ToolCall(GeminiTranscripts.TOOL_ID,
        GeminiTranscripts.TOOL_NAME, GeminiTranscripts.TOOL_ARGUMENTS)), completion.content());
    assertEquals(FinishReason.TOOL_USE, completion.finishReason());
    assertEquals(GeminiTranscripts.TOOL_PROMPT_TOKENS, completion.promptTokens());
    assertEquals(GeminiTranscripts.TOOL_COMPLETION_TOKENS, completion.completionTokens());
  }

  @Test
  void blockedPromptIsAContentFilterFinishWithoutContent() {
    Completion completion = GeminiCompletions.read(Buffer.buffer(
        "{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":{\"promptTokenCount\":5}}"));
    assertEquals(List.of(), completion.content());
    assertEquals(FinishReason.CONTENT_FILTER, completion.finishReason());
    assertEquals(5, completion.promptTokens());
    assertEquals(-1, completion.completionTokens());
  }

  @Test
  void thoughtsAreNotPartOfTheAnswerAndAnUnfinishedCandidateHasNoReason() {
    Completion completion = GeminiCompletions.read(Buffer.buffer("{\"candidates\":[{\"content\":{\"parts\":["
        + "{\"text\":\"hmm\",\"thought\":true},{\"text\":\"yes\"}],\"role\":\"model\"}}]}"));
    assertEquals(List.of(new Part.Text("yes")), completion.content());
    assertNull(completion.finishReason());
  }

  @Test
  void malformedBodiesAndErrorsThrow() {
    for (String body : List.of("not json", "[]", "{\"foo\":1}")) {
      GatewayException error = assertThrows(GatewayException.class,
          () -> GeminiCompletions.read(Buffer.buffer(body)), body);
      assertEquals("upstream_malformed_response", error.errorClass());
    }
    GatewayException error = assertThrows(GatewayException.class,
        () -> GeminiCompletions.read(Buffer.buffer(GeminiTranscripts.invalidKeyError())));
    assertEquals("upstream_error", error.errorClass());
    assertTrue(error.getMessage().contains("API key not valid"), error.getMessage());
  }
}
