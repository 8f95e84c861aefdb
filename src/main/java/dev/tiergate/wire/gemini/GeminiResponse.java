package dev.tiergate.wire.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.FinishReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Gemini {@code GenerateContentResponse} read into the gateway's terms. A non-streamed answer is one; so is each
 * {@code data:} payload of an {@code alt=sse} stream, which is why the stream decoder and the completion reader share
 * this. Only the first candidate is read (the gateway never asks for more).
 *
 * @param pieces           the candidate's text and function calls, in order; thought summaries are left out
 * @param finishReason     Gemini's {@code finishReason}, null while the candidate is unfinished
 * @param blockReason      {@code promptFeedback.blockReason}, non-null when the prompt itself was refused
 * @param promptTokens     {@code promptTokenCount}, -1 when not reported
 * @param completionTokens {@code candidatesTokenCount} plus {@code thoughtsTokenCount} (thinking is billed as
 *                         output), -1 when neither is reported
 */
record GeminiResponse(List<Piece> pieces, String finishReason, String blockReason, long promptTokens,
                      long completionTokens) {

  /** Part of a candidate's content. */
  sealed interface Piece {
  }

  /** Answer text; never empty. */
  record Text(String text) implements Piece {
  }

  /**
   * A function call, always whole (Gemini does not stream arguments).
   *
   * @param id        Gemini's call id, null when it gave none
   * @param arguments the {@code args} object as JSON text
   */
  record Call(String id, String name, String arguments) implements Piece {
  }

  GeminiResponse {
    pieces = List.copyOf(pieces);
  }

  boolean hasUsage() {
    return promptTokens >= 0 || completionTokens >= 0;
  }

  /** Parses {@code text} as a JSON object, null when it is not one. */
  static JsonNode parse(String text) {
    try {
      JsonNode node = JsonSupport.MAPPER.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Parses {@code bytes} as a JSON object, null when it is not one. */
  static JsonNode parse(byte[] bytes) {
    try {
      JsonNode node = JsonSupport.MAPPER.readTree(bytes);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The message of an {@code error} object in {@code root} (Google's error shape), null when there is none. */
  static String error(JsonNode root) {
    JsonNode error = root.get("error");
    if (error == null || error.isNull()) {
      return null;
    }
    if (error.isTextual()) {
      return error.asText();
    }
    String status = error.path("status").asText("");
    String message = error.path("message").asText("unknown error");
    return status.isEmpty() ? message : status + ": " + message;
  }

  /** Reads a response object; fields it does not know are ignored. */
  static GeminiResponse read(JsonNode root) {
    JsonNode candidate = root.path("candidates").path(0);
    List<Piece> pieces = new ArrayList<>();
    for (JsonNode part : candidate.path("content").path("parts")) {
      readPart(part, pieces);
    }
    String finish = candidate.path("finishReason").asText(null);
    if ("FINISH_REASON_UNSPECIFIED".equals(finish)) {
      finish = null;
    }
    String block = root.path("promptFeedback").path("blockReason").asText(null);
    if ("BLOCK_REASON_UNSPECIFIED".equals(block)) {
      block = null;
    }
    JsonNode usage = root.path("usageMetadata");
    long prompt = usage.path("promptTokenCount").asLong(-1);
    long completion = -1;
    if (usage.has("candidatesTokenCount") || usage.has("thoughtsTokenCount")) {
      completion = usage.path("candidatesTokenCount").asLong(0) + usage.path("thoughtsTokenCount").asLong(0);
    }
    return new GeminiResponse(pieces, finish, block, prompt, completion);
  }

  private static void readPart(JsonNode part, List<Piece> pieces) {
    if (part.path("thought").asBoolean(false)) {
      return;
    }
    JsonNode call = part.get("functionCall");
    if (call != null && call.isObject()) {
      JsonNode args = call.get("args");
      pieces.add(new Call(call.path("id").asText(null), call.path("name").asText(""), json(args)));
      return;
    }
    JsonNode text = part.get("text");
    if (text != null && text.isTextual() && !text.asText().isEmpty()) {
      pieces.add(new Text(text.asText()));
    }
  }

  private static String json(JsonNode args) {
    if (args == null || args.isNull()) {
      return "{}";
    }
    try {
      return JsonSupport.MAPPER.writeValueAsString(args);
    } catch (JsonProcessingException e) {
      return "{}";
    }
  }

  /**
   * Gemini's finish reasons in the gateway's terms. Gemini says STOP after function calls too, so {@code toolCalls}
   * turns that into TOOL_USE.
   */
  static FinishReason finish(String reason, boolean toolCalls) {
    return switch (reason) {
      case "STOP" -> toolCalls ? FinishReason.TOOL_USE : FinishReason.END_TURN;
      case "MAX_TOKENS" -> FinishReason.MAX_TOKENS;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
          FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }
}
