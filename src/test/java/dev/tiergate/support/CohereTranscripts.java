package dev.tiergate.support;

/**
 * Cohere Chat API v2 wire transcripts as {@code api.cohere.com/v2/chat} sends them: SSE events named by {@code event:}
 * whose data repeats the name as {@code type}, ending with {@code message-end}; and whole (non-streamed) bodies. The
 * constants are what a correct decoder reads from them.
 */
public final class CohereTranscripts {

  /** {@link #textAnswer()}: the answer, with multi-byte characters to split inside. */
  public static final String TEXT = "Héllo wörld — 日本語 🙂 done.";
  /** {@link #textAnswer()}: usage.tokens (billed_units differ: they leave out the prompt template). */
  public static final long PROMPT_TOKENS = 186;
  public static final long COMPLETION_TOKENS = 9;

  /** {@link #toolCallAnswer()}: the call, whose arguments stream in four pieces after an empty start. */
  public static final String TOOL_ID = "get_weather_nsz5zm3w56q3";
  public static final String TOOL_NAME = "get_weather";
  public static final String TOOL_ARGUMENTS = "{\n    \"location\": \"Madrid, Spain\"\n}";
  public static final long TOOL_PROMPT_TOKENS = 1464;
  public static final long TOOL_COMPLETION_TOKENS = 39;

  /** {@link #errorMidStream()}: the text sent before the error, and the error's message. */
  public static final String ERROR_TEXT = "Partial";
  public static final String ERROR_MESSAGE = "internal server error, this has been reported to our developers";

  private CohereTranscripts() {
  }

  /** message-start, a text content block in three deltas, content-end, message-end COMPLETE with usage. */
  public static String textAnswer() {
    return event("message-start", "{\"id\":\"a8fc192e-4bb8-4e15-ae1f-a174e8b02ae8\",\"type\":\"message-start\","
        + "\"delta\":{\"message\":{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],"
        + "\"citations\":[]}}}")
        + event("content-start", "{\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":"
        + "{\"type\":\"text\",\"text\":\"\"}}}}")
        + contentDelta("Héllo wörld")
        + contentDelta(" — 日本語")
        + contentDelta(" 🙂 done.")
        + event("content-end", "{\"type\":\"content-end\",\"index\":0}")
        + event("message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":"
        + "{\"billed_units\":{\"input_tokens\":21,\"output_tokens\":9},\"tokens\":{\"input_tokens\":186,"
        + "\"output_tokens\":9}}}}");
  }

  /**
   * message-start, a tool plan (not part of the answer), tool-call-start with empty arguments, four tool-call-delta
   * pieces, tool-call-end, message-end TOOL_CALL.
   */
  public static String toolCallAnswer() {
    return event("message-start", "{\"id\":\"fba98ad3-e5a1-413c-a8de-84fbf9baabf7\",\"type\":\"message-start\","
        + "\"delta\":{\"message\":{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],"
        + "\"citations\":[]}}}")
        + event("tool-plan-delta", "{\"type\":\"tool-plan-delta\",\"delta\":{\"message\":{\"tool_plan\":\"I will\"}}}")
        + event("tool-plan-delta", "{\"type\":\"tool-plan-delta\",\"delta\":{\"message\":{\"tool_plan\":"
        + "\" look up the weather.\"}}}")
        + event("tool-call-start", "{\"type\":\"tool-call-start\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":"
        + "{\"id\":\"get_weather_nsz5zm3w56q3\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"arguments\":\"\"}}}}}")
        + toolCallDelta("{\\n    \\\"")
        + toolCallDelta("location")
        + toolCallDelta("\\\": \\\"Madrid, Spain")
        + toolCallDelta("\\\"\\n}")
        + event("tool-call-end", "{\"type\":\"tool-call-end\",\"index\":0}")
        + event("message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"TOOL_CALL\",\"usage\":"
        + "{\"billed_units\":{\"input_tokens\":37,\"output_tokens\":39},\"tokens\":{\"input_tokens\":1464,"
        + "\"output_tokens\":39}}}}");
  }

  /** Some text, then message-end reporting {@code finish_reason: ERROR} with the error's message. */
  public static String errorMidStream() {
    return event("message-start", "{\"id\":\"c3b1\",\"type\":\"message-start\",\"delta\":{\"message\":"
        + "{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}")
        + contentDelta("Partial")
        + event("message-end", "{\"type\":\"message-end\",\"delta\":{\"error\":\"internal server error, this has "
        + "been reported to our developers\",\"finish_reason\":\"ERROR\",\"usage\":{\"billed_units\":{},"
        + "\"tokens\":{}}}}");
  }

  /** The {@link #TEXT} answer as one non-streamed body. */
  public static String textCompletion() {
    return "{\"id\":\"c14c80c3-18eb-4519-9460-6c92edd8cfb4\",\"finish_reason\":\"COMPLETE\",\"message\":"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Héllo wörld — 日本語 🙂 done.\"}]},"
        + "\"usage\":{\"billed_units\":{\"input_tokens\":21,\"output_tokens\":9},\"tokens\":{\"input_tokens\":186,"
        + "\"output_tokens\":9}}}";
  }

  /** The {@link #toolCallAnswer()} as one non-streamed body. */
  public static String toolCallCompletion() {
    return "{\"id\":\"8e9a3b0a-1b6e-4e37-a8b5-3d0c6c3f7f19\",\"finish_reason\":\"TOOL_CALL\",\"message\":"
        + "{\"role\":\"assistant\",\"tool_plan\":\"I will look up the weather.\",\"tool_calls\":[{\"id\":"
        + "\"get_weather_nsz5zm3w56q3\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
        + "\"{\\n    \\\"location\\\": \\\"Madrid, Spain\\\"\\n}\"}}]},\"usage\":{\"billed_units\":"
        + "{\"input_tokens\":37,\"output_tokens\":39},\"tokens\":{\"input_tokens\":1464,\"output_tokens\":39}}}";
  }

  private static String contentDelta(String text) {
    return event("content-delta", "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":"
        + "{\"text\":\"" + text + "\"}}}}");
  }

  /** {@code arguments} is already escaped for a JSON string. */
  private static String toolCallDelta(String arguments) {
    return event("tool-call-delta", "{\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":"
        + "{\"tool_calls\":{\"function\":{\"arguments\":\"" + arguments + "\"}}}}}");
  }

  private static String event(String name, String json) {
    return "event: " + name + "\ndata: " + json + "\n\n";
  }
}
