package dev.tiergate.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.StreamPosition;
import dev.tiergate.wire.openai.OpenAiFinish;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Tap for OpenAI Chat Completions chunk streams. Each {@code data:} payload is read with a streaming parser — every
 * token is checked, so a malformed frame or an upstream {@code error} event is caught before it reaches the client, but
 * no tree is built (this runs once per chunk). The usage-only chunk that the gateway asked for on its own account is
 * dropped unless the client asked for it too.
 */
public final class OpenAiStreamTap implements StreamTap {

  private static final JsonFactory JSON = JsonSupport.MAPPER.getFactory();
  private static final Set<String> GENERATED = Set.of("content", "refusal", "arguments", "name",
      "reasoning_content");

  private final boolean clientWantsUsage;
  private Usage usage = Usage.UNKNOWN;
  private long outputChars;
  private String id;
  private StringBuilder captured;
  private boolean beyondText;

  public OpenAiStreamTap(boolean clientWantsUsage) {
    this.clientWantsUsage = clientWantsUsage;
  }

  @Override
  public TapAction inspect(SseEvent event) {
    String data = event.data();
    if (data == null) {
      return TapAction.KEEPALIVE;
    }
    if (data.equals("[DONE]")) {
      return TapAction.DONE;
    }
    try (JsonParser parser = JSON.createParser(data)) {
      return inspectChunk(parser);
    } catch (IOException e) {
      throw GatewayException.badGateway("upstream_malformed_stream", "The upstream sent a malformed stream event");
    }
  }

  /** Some OpenAI-compatible servers end cleanly without [DONE]; a finish reason proves the answer is complete. */
  @Override
  public Buffer endOfInput() {
    return usage.finishReason() != null ? Buffer.buffer("data: [DONE]\n\n") : null;
  }

  @Override
  public Usage usage() {
    return usage;
  }

  @Override
  public long outputChars() {
    return outputChars;
  }

  @Override
  public void captureText() {
    captured = new StringBuilder();
  }

  @Override
  public String capturedText() {
    return captured == null || beyondText ? null : captured.toString();
  }

  @Override
  public StreamPosition position() {
    return new StreamPosition(id, -1, false, 0);
  }

  private TapAction inspectChunk(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new com.fasterxml.jackson.core.JsonParseException(parser, "a chunk must be a JSON object");
    }
    int choices = -1;
    boolean usageReported = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "error" -> {
          if (value != JsonToken.VALUE_NULL) {
            throw GatewayException.badGateway("upstream_stream_error",
                "The upstream reported an error mid-stream: " + Redactor.clip(errorMessage(parser, value)));
          }
        }
        case "choices" -> choices = readChoices(parser, value);
        case "id" -> {
          if (id == null && value == JsonToken.VALUE_STRING) {
            id = parser.getText();
          }
        }
        case "usage" -> usageReported = readUsage(parser, value);
        default -> parser.skipChildren();
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
      throw new com.fasterxml.jackson.core.JsonParseException(parser, "trailing content after the chunk");
    }
    return usageReported && choices <= 0 && !clientWantsUsage ? TapAction.DROP : TapAction.FORWARD;
  }

  /** Counts the choices and records the last non-null finish reason. */
  private int readChoices(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      return -1;
    }
    int count = 0;
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      count++;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        if (field.equals("finish_reason") && token == JsonToken.VALUE_STRING) {
          usage = usage.withFinishReason(OpenAiFinish.read(parser.getText()).name().toLowerCase(Locale.ROOT));
        } else if (field.equals("delta") && token == JsonToken.START_OBJECT) {
          countDelta(parser);
        } else if (field.equals("index") && token == JsonToken.VALUE_NUMBER_INT && parser.getIntValue() != 0) {
          // Several choices (n > 1) interleave their texts: no single answer to continue.
          beyondText = true;
        } else {
          parser.skipChildren();
        }
      }
    }
    return count;
  }

  /**
   * Counts the characters of generated strings in a delta (content, refusal, tool names and arguments), and keeps the
   * content text when capturing.
   */
  private void countDelta(JsonParser parser) throws IOException {
    int depth = 1;
    while (depth > 0) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return;
      }
      switch (token) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_STRING -> {
          String field = parser.currentName();
          if (field != null && GENERATED.contains(field)) {
            outputChars += parser.getTextLength();
            capture(field, depth, parser);
          }
        }
        default -> {
        }
      }
    }
  }

  private void capture(String field, int depth, JsonParser parser) throws IOException {
    if (captured == null) {
      return;
    }
    if (depth > 1) {
      // A tool call's name or arguments (empty tool_calls arrays, which some servers send, do not count).
      beyondText = true;
    } else if (field.equals("content")) {
      captured.append(parser.getText());
    } else if (field.equals("refusal")) {
      beyondText = true;
    }
  }

  private boolean readUsage(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return false;
    }
    long prompt = -1;
    long completion = -1;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (token == JsonToken.VALUE_NUMBER_INT && field.equals("prompt_tokens")) {
        prompt = parser.getLongValue();
      } else if (token == JsonToken.VALUE_NUMBER_INT && field.equals("completion_tokens")) {
        completion = parser.getLongValue();
      } else {
        parser.skipChildren();
      }
    }
    usage = usage.withTokens(prompt, completion);
    return true;
  }

  private static String errorMessage(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    String message = "unknown error";
    if (value == JsonToken.START_OBJECT) {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        if (field.equals("message") && token == JsonToken.VALUE_STRING) {
          message = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
    } else {
      parser.skipChildren();
    }
    return message;
  }
}
