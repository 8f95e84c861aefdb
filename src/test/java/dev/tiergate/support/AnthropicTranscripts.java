package dev.tiergate.support;

import java.util.List;

/**
 * Real Anthropic Messages wire transcripts, shaped as the "Streaming Messages" documentation shows them (event names,
 * the matching {@code type} in each data object, {@code ping}s, cumulative usage in {@code message_delta}), and the
 * expected values a decoder must read from them.
 */
public final class AnthropicTranscripts {

  public static final String MODEL = "claude-sonnet-4-5-20250929";

  /** The text answer's deltas: multi-byte characters of 2, 3 and 4 UTF-8 bytes, so splits can land inside them. */
  public static final List<String> TEXT_PIECES = List.of("Hé", "llo, 日本", " 🙂!");
  public static final String TEXT = String.join("", TEXT_PIECES);
  public static final long TEXT_INPUT_TOKENS = 25;
  /** output_tokens of {@code message_start}; the later cumulative count replaces it. */
  public static final long TEXT_FIRST_OUTPUT_TOKENS = 1;
  public static final long TEXT_OUTPUT_TOKENS = 15;

  public static final String TOOL_TEXT = "Okay, let's check the weather for San Francisco, CA:";
  public static final String TOOL_ID = "toolu_01T1x1fJ34qAmk2tNTrN7Up6";
  public static final String TOOL_NAME = "get_weather";
  public static final List<String> TOOL_ARGUMENT_PIECES = List.of("", "{\"location\":", " \"San", " Francisc", "o,",
      " CA\"", ", ", "\"unit\": \"fah", "renheit\"}");
  public static final String TOOL_ARGUMENTS = String.join("", TOOL_ARGUMENT_PIECES);
  public static final long TOOL_INPUT_TOKENS = 472;
  public static final long TOOL_FIRST_OUTPUT_TOKENS = 2;
  public static final long TOOL_OUTPUT_TOKENS = 89;

  public static final String ERROR_TYPE = "overloaded_error";
  public static final String ERROR_MESSAGE = "Overloaded";

  private AnthropicTranscripts() {
  }

  /** A streamed text answer: {@value #MODEL}, finish {@code end_turn}, usage 25 in / 15 out, with a ping. */
  public static String textAnswer() {
    StringBuilder body = new StringBuilder()
        .append(messageStart("msg_text", TEXT_INPUT_TOKENS, TEXT_FIRST_OUTPUT_TOKENS))
        .append(event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"))
        .append(ping());
    for (String piece : TEXT_PIECES) {
      body.append(textDelta(0, piece));
    }
    return body.append(blockStop(0))
        .append(messageDelta("end_turn", TEXT_OUTPUT_TOKENS))
        .append(messageStop())
        .toString();
  }

  /**
   * The documentation's tool-use stream: a text block, then a {@code tool_use} block whose input streams in
   * {@link #TOOL_ARGUMENT_PIECES} (the first one empty, as Anthropic sends it); finish {@code tool_use}.
   */
  public static String toolCallAnswer() {
    StringBuilder body = new StringBuilder()
        .append(messageStart("msg_tool", TOOL_INPUT_TOKENS, TOOL_FIRST_OUTPUT_TOKENS))
        .append(event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"))
        .append(ping())
        .append(textDelta(0, TOOL_TEXT))
        .append(blockStop(0))
        .append(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
            + "{\"type\":\"tool_use\",\"id\":\"" + TOOL_ID + "\",\"name\":\"" + TOOL_NAME + "\",\"input\":{}}}"));
    for (String piece : TOOL_ARGUMENT_PIECES) {
      body.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
          + "{\"type\":\"input_json_delta\",\"partial_json\":" + quote(piece) + "}}"));
    }
    return body.append(blockStop(1))
        .append(messageDelta("tool_use", TOOL_OUTPUT_TOKENS))
        .append(messageStop())
        .toString();
  }

  /** Some text, then the documented mid-stream {@code overloaded_error} event; no {@code message_stop}. */
  public static String errorMidStream() {
    return messageStart("msg_error", TEXT_INPUT_TOKENS, 1)
        + event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
        + textDelta(0, TEXT_PIECES.getFirst())
        + event("error", "{\"type\": \"error\", \"error\": {\"type\": \"" + ERROR_TYPE + "\", \"message\": \""
            + ERROR_MESSAGE + "\"}}");
  }

  /** An extended-thinking answer: a thinking block (with its signature) before the text block {@link #TEXT}. */
  public static String thinkingAnswer() {
    StringBuilder body = new StringBuilder()
        .append(messageStart("msg_thinking", TEXT_INPUT_TOKENS, TEXT_FIRST_OUTPUT_TOKENS))
        .append(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"thinking\",\"thinking\":\"\"}}"))
        .append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"thinking_delta\",\"thinking\":\"Let me think: 27 * 453\"}}"))
        .append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3h\"}}"))
        .append(blockStop(0))
        .append(event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    for (String piece : TEXT_PIECES) {
      body.append(textDelta(1, piece));
    }
    return body.append(blockStop(1))
        .append(messageDelta("end_turn", TEXT_OUTPUT_TOKENS))
        .append(messageStop())
        .toString();
  }

  /** A non-streamed answer with text {@link #TEXT}, finish {@code end_turn}, usage 25 in / 15 out. */
  public static String textMessage() {
    return "{\"id\":\"msg_text\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + MODEL + "\","
        + "\"content\":[{\"type\":\"text\",\"text\":" + quote(TEXT) + "}],\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + TEXT_INPUT_TOKENS + ",\"output_tokens\":"
        + TEXT_OUTPUT_TOKENS + "}}";
  }

  /** A non-streamed answer with {@link #TOOL_TEXT} and one {@code tool_use} block; finish {@code tool_use}. */
  public static String toolCallMessage() {
    return "{\"id\":\"msg_tool\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + MODEL + "\","
        + "\"content\":[{\"type\":\"text\",\"text\":" + quote(TOOL_TEXT) + "},{\"type\":\"tool_use\",\"id\":\""
        + TOOL_ID + "\",\"name\":\"" + TOOL_NAME + "\",\"input\":" + TOOL_ARGUMENTS + "}],"
        + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + TOOL_INPUT_TOKENS
        + ",\"output_tokens\":" + TOOL_OUTPUT_TOKENS + "}}";
  }

  /** An error body as Anthropic sends it with a non-2xx status. */
  public static String errorBody(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + quote(message) + "},"
        + "\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
  }

  private static String messageStart(String id, long inputTokens, long outputTokens) {
    return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id + "\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"" + MODEL + "\",\"content\":[],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + inputTokens + ",\"cache_creation_input_tokens\":0,"
        + "\"cache_read_input_tokens\":0,\"output_tokens\":" + outputTokens + "}}}");
  }

  private static String textDelta(int index, String text) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":"
        + "{\"type\":\"text_delta\",\"text\":" + quote(text) + "}}");
  }

  private static String blockStop(int index) {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }

  private static String messageDelta(String stopReason, long outputTokens) {
    return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason + "\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
  }

  private static String messageStop() {
    return event("message_stop", "{\"type\":\"message_stop\"}");
  }

  private static String ping() {
    return event("ping", "{\"type\": \"ping\"}");
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
