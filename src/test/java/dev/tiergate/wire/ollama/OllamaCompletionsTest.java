package dev.tiergate.wire.ollama;

import static dev.tiergate.support.OllamaTranscripts.TEXT;
import static dev.tiergate.support.OllamaTranscripts.TEXT_COMPLETION_TOKENS;
import static dev.tiergate.support.OllamaTranscripts.TEXT_PROMPT_TOKENS;
import static dev.tiergate.support.OllamaTranscripts.TOOL_ARGUMENTS;
import static dev.tiergate.support.OllamaTranscripts.TOOL_CALL_ID;
import static dev.tiergate.support.OllamaTranscripts.TOOL_COMPLETION_TOKENS;
import static dev.tiergate.support.OllamaTranscripts.TOOL_NAME;
import static dev.tiergate.support.OllamaTranscripts.TOOL_PROMPT_TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.http.GatewayException;
import dev.tiergate.support.OllamaTranscripts;
import dev.tiergate.wire.Completion;
import dev.tiergate.wire.FinishReason;
import dev.tiergate.wire.Part;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ollama's non-streamed answers read into completions. */
class OllamaCompletionsTest {

  private static Completion read(String body) {
    return OllamaCompletions.read(Buffer.buffer(body));
  }

  @Test
  void aTextAnswer() {
    assertEquals(new Completion(List.of(new Part.Text(TEXT)), FinishReason.END_TURN, TEXT_PROMPT_TOKENS,
        TEXT_COMPLETION_TOKENS), read(OllamaTranscripts.textCompletion()));
  }

  @Test
  void aToolCallAnswer() {
    assertEquals(new Completion(List.of(new Part.ToolCall(TOOL_CALL_ID, TOOL_NAME, TOOL_ARGUMENTS)),
        FinishReason.TOOL_USE, TOOL_PROMPT_TOKENS, TOOL_COMPLETION_TOKENS),
        read(OllamaTranscripts.toolCallCompletion()));
  }

  @Test
  void theOutputLimitAndMissingCounts() {
    Completion completion = read("{\"message\":{\"role\":\"assistant\",\"content\":\"cut\"},\"done\":true,"
        + "\"done_reason\":\"length\"}");
    assertEquals(new Completion(List.of(new Part.Text("cut")), FinishReason.MAX_TOKENS, -1, -1), completion);
  }

  @Test
  void anythingElseIsAMalformedResponse() {
    for (String body : List.of("", "not json", "[]", "{\"done\":true}", "{\"message\":\"hi\"}",
        "{\"message\":{\"tool_calls\":[{\"function\":{}}]}}", "{\"error\":\"out of memory\"}")) {
      GatewayException error = assertThrows(GatewayException.class, () -> read(body), body);
      assertEquals("upstream_malformed_response", error.errorClass(), body);
      assertEquals(502, error.status());
    }
    assertTrue(assertThrows(GatewayException.class, () -> read("{\"error\":\"out of memory\"}")).getMessage()
        .endsWith("out of memory"));
  }
}
