package dev.tiergate.support;

import java.util.List;

/**
 * Ollama {@code /api/chat} answers as an Ollama server sends them (NDJSON streams, one JSON object per line, and
 * non-streamed bodies), after the examples in Ollama's API documentation, with the values tests assert as constants.
 */
public final class OllamaTranscripts {

  public static final String MODEL = "llama3.2";

  /** The streamed text, one line per piece; multi-byte characters so that byte splits land inside them. */
  public static final List<String> TEXT_PIECES = List.of("Hé", " wörld", " 🙂", " 日本", "語.");
  public static final String TEXT = String.join("", TEXT_PIECES);
  public static final long TEXT_PROMPT_TOKENS = 26;
  public static final long TEXT_COMPLETION_TOKENS = 5;

  public static final String TOOL_NAME = "get_current_weather";
  /** The call's arguments as the decoder passes them on: the wire's JSON object, serialized. */
  public static final String TOOL_ARGUMENTS = "{\"format\":\"celsius\",\"location\":\"Toronto\"}";
  /** Ollama gives no call id; the gateway names the first call of an answer so. */
  public static final String TOOL_CALL_ID = "call_0";
  public static final long TOOL_PROMPT_TOKENS = 122;
  public static final long TOOL_COMPLETION_TOKENS = 33;

  /** The text streamed before the error line of {@link #errorMidStream()}. */
  public static final String ERROR_TEXT = "The sky";
  public static final String ERROR_MESSAGE = "an error was encountered while running the model: unexpected EOF";

  private OllamaTranscripts() {
  }

  /** A text answer: content lines, then the last line with done reason {@code stop}, counts and durations. */
  public static String textStream() {
    StringBuilder stream = new StringBuilder();
    for (String piece : TEXT_PIECES) {
      stream.append(chunk("\"content\":" + quote(piece)));
    }
    return stream.append(last("stop", TEXT_PROMPT_TOKENS, TEXT_COMPLETION_TOKENS)).toString();
  }

  /**
   * A tool call, streamed as Ollama streams them (since 0.8): thinking lines, then one line with the whole call, its
   * arguments a JSON object, then the last line with done reason {@code stop}.
   */
  public static String toolCallStream() {
    return chunk("\"content\":\"\",\"thinking\":\"The user wants\"")
        + chunk("\"content\":\"\",\"thinking\":\" the weather.\"")
        + chunk("\"content\":\"\",\"tool_calls\":[" + toolCall() + "]")
        + last("stop", TOOL_PROMPT_TOKENS, TOOL_COMPLETION_TOKENS);
  }

  /** Text cut short by the output limit ({@code options.num_predict}). */
  public static String lengthStream() {
    return chunk("\"content\":" + quote(TEXT)) + last("length", TEXT_PROMPT_TOKENS, TEXT_COMPLETION_TOKENS);
  }

  /** Some text, then the line Ollama sends when the model fails mid-answer; no last line follows. */
  public static String errorMidStream() {
    return chunk("\"content\":\"The\"") + chunk("\"content\":\" sky\"")
        + "{\"error\":" + quote(ERROR_MESSAGE) + "}\n";
  }

  /** The non-streamed text answer ({@code "stream":false}). */
  public static String textCompletion() {
    return "{\"model\":\"" + MODEL + "\",\"created_at\":\"2023-12-12T14:13:43.416799Z\","
        + "\"message\":{\"role\":\"assistant\",\"content\":" + quote(TEXT) + "},\"done_reason\":\"stop\","
        + "\"done\":true,\"total_duration\":5191566416,\"load_duration\":2154458,\"prompt_eval_count\":"
        + TEXT_PROMPT_TOKENS + ",\"prompt_eval_duration\":383809000,\"eval_count\":" + TEXT_COMPLETION_TOKENS
        + ",\"eval_duration\":4799921000}";
  }

  /** The non-streamed tool call answer, as in the documentation's "Chat request (with tools)". */
  public static String toolCallCompletion() {
    return "{\"model\":\"" + MODEL + "\",\"created_at\":\"2024-07-22T20:33:28.123648Z\","
        + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[" + toolCall() + "]},"
        + "\"done_reason\":\"stop\",\"done\":true,\"total_duration\":885095291,\"load_duration\":3753500,"
        + "\"prompt_eval_count\":" + TOOL_PROMPT_TOKENS + ",\"prompt_eval_duration\":328493000,"
        + "\"eval_count\":" + TOOL_COMPLETION_TOKENS + ",\"eval_duration\":552222000}";
  }

  /** Ollama's answer (status 404) for a model it does not have. */
  public static String modelNotFound(String model) {
    return "{\"error\":\"model '" + model + "' not found\"}";
  }

  /** {@code GET /api/tags} of a server holding {@code llama3.2:latest} and {@code qwen3:8b}. */
  public static String tags() {
    return "{\"models\":[" + tag("llama3.2:latest", "llama", "3.2B", "Q4_K_M") + ","
        + tag("qwen3:8b", "qwen3", "8.2B", "Q4_K_M") + "]}";
  }

  private static String tag(String name, String family, String size, String quantization) {
    return "{\"name\":\"" + name + "\",\"model\":\"" + name + "\","
        + "\"modified_at\":\"2025-05-10T08:06:48.639712648-07:00\",\"size\":4683075271,"
        + "\"digest\":\"0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163\","
        + "\"details\":{\"parent_model\":\"\",\"format\":\"gguf\",\"family\":\"" + family + "\",\"families\":[\""
        + family + "\"],\"parameter_size\":\"" + size + "\",\"quantization_level\":\"" + quantization + "\"}}";
  }

  private static String toolCall() {
    return "{\"function\":{\"name\":\"" + TOOL_NAME + "\",\"arguments\":" + TOOL_ARGUMENTS + "}}";
  }

  private static String chunk(String messageFields) {
    return "{\"model\":\"" + MODEL + "\",\"created_at\":\"2025-05-27T22:54:57.641643Z\","
        + "\"message\":{\"role\":\"assistant\"," + messageFields + "},\"done\":false}\n";
  }

  private static String last(String doneReason, long promptTokens, long completionTokens) {
    return "{\"model\":\"" + MODEL + "\",\"created_at\":\"2025-05-27T22:54:58.100509Z\","
        + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"" + doneReason + "\","
        + "\"done\":true,\"total_duration\":4883583458,\"load_duration\":1334875,\"prompt_eval_count\":"
        + promptTokens + ",\"prompt_eval_duration\":342546000,\"eval_count\":" + completionTokens
        + ",\"eval_duration\":4535599000}\n";
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
