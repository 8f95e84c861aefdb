package dev.tiergate.support;

import dev.tiergate.wire.FinishReason;
import java.util.List;

/**
 * One provider's golden answer: its stream (as the provider sends it), the same answer non-streamed, and what any
 * client must end up with after translation — text, the tool call, usage and finish reason.
 *
 * @param family          the provider family ({@code openai}, {@code anthropic}, {@code ollama}, {@code gemini},
 *                        {@code cohere}); the test gateway's model {@code m-<family>} is served in it
 * @param toolName        null for a text answer
 * @param toolArguments   the call's arguments as JSON text (compared as JSON), null for a text answer
 */
public record Golden(String family, String kind, String stream, String completion, String text, String toolName,
                     String toolArguments, long promptTokens, long completionTokens, FinishReason finishReason) {

  @Override
  public String toString() {
    return family + "/" + kind;
  }

  /** Stream content type of the family. */
  public String contentType() {
    return family.equals("ollama") ? "application/x-ndjson" : "text/event-stream";
  }

  /** Every family's text answer and tool-call answer. */
  public static List<Golden> all() {
    return List.of(
        new Golden("openai", "text", String.join("", OpenAiTranscripts.textStream()),
            OpenAiTranscripts.textCompletion(), OpenAiTranscripts.TEXT, null, null,
            OpenAiTranscripts.TEXT_PROMPT_TOKENS, OpenAiTranscripts.TEXT_COMPLETION_TOKENS, FinishReason.END_TURN),
        new Golden("openai", "tool", String.join("", OpenAiTranscripts.toolStream()),
            OpenAiTranscripts.toolCompletion(), "", OpenAiTranscripts.TOOL_NAME, OpenAiTranscripts.TOOL_ARGUMENTS,
            OpenAiTranscripts.TOOL_PROMPT_TOKENS, OpenAiTranscripts.TOOL_COMPLETION_TOKENS, FinishReason.TOOL_USE),
        new Golden("anthropic", "text", AnthropicTranscripts.textAnswer(), AnthropicTranscripts.textMessage(),
            AnthropicTranscripts.TEXT, null, null, AnthropicTranscripts.TEXT_INPUT_TOKENS,
            AnthropicTranscripts.TEXT_OUTPUT_TOKENS, FinishReason.END_TURN),
        new Golden("anthropic", "tool", AnthropicTranscripts.toolCallAnswer(), AnthropicTranscripts.toolCallMessage(),
            AnthropicTranscripts.TOOL_TEXT, AnthropicTranscripts.TOOL_NAME, AnthropicTranscripts.TOOL_ARGUMENTS,
            AnthropicTranscripts.TOOL_INPUT_TOKENS, AnthropicTranscripts.TOOL_OUTPUT_TOKENS, FinishReason.TOOL_USE),
        new Golden("ollama", "text", OllamaTranscripts.textStream(), OllamaTranscripts.textCompletion(),
            OllamaTranscripts.TEXT, null, null, OllamaTranscripts.TEXT_PROMPT_TOKENS,
            OllamaTranscripts.TEXT_COMPLETION_TOKENS, FinishReason.END_TURN),
        new Golden("ollama", "tool", OllamaTranscripts.toolCallStream(), OllamaTranscripts.toolCallCompletion(), "",
            OllamaTranscripts.TOOL_NAME, OllamaTranscripts.TOOL_ARGUMENTS, OllamaTranscripts.TOOL_PROMPT_TOKENS,
            OllamaTranscripts.TOOL_COMPLETION_TOKENS, FinishReason.TOOL_USE),
        new Golden("gemini", "text", GeminiTranscripts.textAnswer(), GeminiTranscripts.textCompletion(),
            GeminiTranscripts.TEXT, null, null, GeminiTranscripts.PROMPT_TOKENS, GeminiTranscripts.COMPLETION_TOKENS,
            FinishReason.END_TURN),
        new Golden("gemini", "tool", GeminiTranscripts.toolCallAnswer(), GeminiTranscripts.toolCallCompletion(),
            GeminiTranscripts.TOOL_TEXT, GeminiTranscripts.TOOL_NAME, GeminiTranscripts.TOOL_ARGUMENTS,
            GeminiTranscripts.TOOL_PROMPT_TOKENS, GeminiTranscripts.TOOL_COMPLETION_TOKENS, FinishReason.TOOL_USE),
        new Golden("cohere", "text", CohereTranscripts.textAnswer(), CohereTranscripts.textCompletion(),
            CohereTranscripts.TEXT, null, null, CohereTranscripts.PROMPT_TOKENS, CohereTranscripts.COMPLETION_TOKENS,
            FinishReason.END_TURN),
        new Golden("cohere", "tool", CohereTranscripts.toolCallAnswer(), CohereTranscripts.toolCallCompletion(), "",
            CohereTranscripts.TOOL_NAME, CohereTranscripts.TOOL_ARGUMENTS, CohereTranscripts.TOOL_PROMPT_TOKENS,
            CohereTranscripts.TOOL_COMPLETION_TOKENS, FinishReason.TOOL_USE));
  }
}
