package dev.tiergate.support;

import java.util.List;

/**
 * OpenAI Chat Completions answers as api.openai.com sends them (documented chunk format): a text answer with the
 * usage chunk, a tool call whose arguments stream in pieces, an error mid-stream, and the non-streamed forms.
 */
public final class OpenAiTranscripts {

  public static final String TEXT = "Héllo, 日本 🙂 world";
  public static final long TEXT_PROMPT_TOKENS = 12;
  public static final long TEXT_COMPLETION_TOKENS = 7;
  public static final String TOOL_ID = "call_abc123";
  public static final String TOOL_NAME = "get_weather";
  public static final String TOOL_ARGUMENTS = "{\"city\":\"Zürich\",\"unit\":\"c\"}";
  public static final long TOOL_PROMPT_TOKENS = 40;
  public static final long TOOL_COMPLETION_TOKENS = 18;

  private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1700000000,"
      + "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_1\",";

  private OpenAiTranscripts() {
  }

  public static List<String> textStream() {
    return List.of(
        chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null),
        chunk("{\"content\":\"Héllo, \"}", null),
        chunk("{\"content\":\"日本 🙂\"}", null),
        chunk("{\"content\":\" world\"}", null),
        chunk("{}", "\"stop\""),
        "data: " + HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,"
            + "\"total_tokens\":19}}\n\n",
        "data: [DONE]\n\n");
  }

  public static List<String> toolStream() {
    return List.of(
        chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_abc123\","
            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}],\"refusal\":null}",
            null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Zü\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"rich\\\",\\\"unit\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\":\\\"c\\\"}\"}}]}", null),
        chunk("{}", "\"tool_calls\""),
        "data: " + HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":18,"
            + "\"total_tokens\":58}}\n\n",
        "data: [DONE]\n\n");
  }

  /** Two pieces of text, then an error event in place of the rest. */
  public static List<String> errorStream() {
    return List.of(
        chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
        chunk("{\"content\":\"Partial \"}", null),
        chunk("{\"content\":\"answer\"}", null),
        "data: {\"error\":{\"message\":\"The server had an error while processing your request.\","
            + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n");
  }

  public static String textCompletion() {
    return "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Héllo, 日本 🙂 world\","
        + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}}";
  }

  public static String toolCompletion() {
    return "{\"id\":\"chatcmpl-3\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{"
        + "\"id\":\"call_abc123\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"arguments\":\"{\\\"city\\\":\\\"Zürich\\\",\\\"unit\\\":\\\"c\\\"}\"}}],\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],"
        + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":18,\"total_tokens\":58}}";
  }

  private static String chunk(String delta, String finishReason) {
    return "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
        + finishReason + "}]}\n\n";
  }
}
