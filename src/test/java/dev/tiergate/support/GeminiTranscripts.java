package dev.tiergate.support;

/**
 * Gemini API wire transcripts as {@code generativelanguage.googleapis.com} sends them: {@code streamGenerateContent
 * ?alt=sse} bodies (each {@code data:} a whole {@code GenerateContentResponse}, CRLF line ends, no terminal marker —
 * the body simply ends) and {@code generateContent} bodies. The constants are what a correct decoder reads from them.
 */
public final class GeminiTranscripts {

  public static final String MODEL_VERSION = "gemini-2.5-flash";

  /** {@link #textAnswer()}: the answer, with multi-byte characters to split inside. */
  public static final String TEXT = "Héllo wörld — 日本語 🙂 done.";
  /** {@link #textAnswer()}: promptTokenCount. */
  public static final long PROMPT_TOKENS = 12;
  /** {@link #textAnswer()}: candidatesTokenCount 9 plus thoughtsTokenCount 4. */
  public static final long COMPLETION_TOKENS = 13;

  /** {@link #toolCallAnswer()}: the text before the call, the call and its finish. */
  public static final String TOOL_TEXT = "Let me check.";
  public static final String TOOL_NAME = "get_weather";
  /** Gemini sends no id for the call: the gateway names it after its position. */
  public static final String TOOL_ID = "call_0";
  /** The {@code args} object as compact JSON, in the order Gemini sent it. */
  public static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";
  public static final long TOOL_PROMPT_TOKENS = 31;
  public static final long TOOL_COMPLETION_TOKENS = 18;

  /** {@link #errorMidStream()}: the text sent before the error, and the error's message. */
  public static final String ERROR_TEXT = "Partial";
  public static final String ERROR_MESSAGE = "Internal error encountered.";

  private GeminiTranscripts() {
  }

  /**
   * A text answer in three payloads: a thought summary first (which is not answer text), usage on every payload as
   * running totals, {@code finishReason: STOP} and the final usage on the last.
   */
  public static String textAnswer() {
    return data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Thinking about greetings\",\"thought\":true},"
        + "{\"text\":\"Héllo wörld\"}],\"role\":\"model\"},\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":12,\"totalTokenCount\":12,\"thoughtsTokenCount\":4,"
        + "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":12}]},"
        + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-text-1\"}")
        + data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" — 日本語\"}],\"role\":\"model\"},\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":5,\"totalTokenCount\":21,"
        + "\"thoughtsTokenCount\":4},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-text-1\"}")
        + data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" 🙂 done.\"}],\"role\":\"model\"},"
        + "\"finishReason\":\"STOP\",\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":9,\"totalTokenCount\":25,"
        + "\"thoughtsTokenCount\":4},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-text-1\"}");
  }

  /**
   * Text, then one function call (Gemini sends a call whole, with {@code args} as an object, in one payload), then
   * {@code finishReason: STOP} — which the gateway reads as tool use.
   */
  public static String toolCallAnswer() {
    return data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Let me check.\"}],\"role\":\"model\"},"
        + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":31,\"totalTokenCount\":31},"
        + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-tool-1\"}")
        + data("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
        + "\"args\":{\"city\":\"Paris\",\"unit\":\"celsius\"}},\"thoughtSignature\":\"CiQBVKhc7g==\"}],"
        + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":31,\"candidatesTokenCount\":18,\"totalTokenCount\":49},"
        + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-tool-1\"}");
  }

  /** Some text, then an {@code error} payload (Google's error shape) and the end of the body. */
  public static String errorMidStream() {
    return data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Partial\"}],\"role\":\"model\"},\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7},\"modelVersion\":\"gemini-2.5-flash\"}")
        + data("{\"error\":{\"code\":500,\"message\":\"Internal error encountered.\",\"status\":\"INTERNAL\"}}");
  }

  /** A prompt refused before any output: no candidates, {@code promptFeedback.blockReason} only. */
  public static String blockedPrompt() {
    return data("{\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[{\"category\":"
        + "\"HARM_CATEGORY_DANGEROUS_CONTENT\",\"probability\":\"HIGH\"}]},"
        + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8},\"modelVersion\":\"gemini-2.5-flash\"}");
  }

  /** The {@link #TEXT} answer as one {@code generateContent} body. */
  public static String textCompletion() {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Héllo wörld — 日本語\"},{\"text\":\" 🙂 done.\"}],"
        + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"avgLogprobs\":-0.12,\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":9,\"totalTokenCount\":25,"
        + "\"thoughtsTokenCount\":4},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-text-2\"}";
  }

  /** The {@link #toolCallAnswer()} as one {@code generateContent} body. */
  public static String toolCallCompletion() {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Let me check.\"},{\"functionCall\":"
        + "{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\",\"unit\":\"celsius\"}}}],\"role\":\"model\"},"
        + "\"finishReason\":\"STOP\",\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":31,\"candidatesTokenCount\":18,\"totalTokenCount\":49},"
        + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-tool-2\"}";
  }

  /** Google's error body for a request with a bad key (it says 400, not 401). */
  public static String invalidKeyError() {
    return "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\","
        + "\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
        + "\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\"}]}}";
  }

  private static String data(String json) {
    return "data: " + json + "\r\n\r\n";
  }
}
