package dev.tiergate.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The three wire formats {@link FaultUpstream} speaks, one constant per API path: the frames of a streamed answer
 * (head, one per piece of text, tail), the whole answer, the malformed event of model {@code malformed}, and the error
 * body. OpenAI frames come from {@link OpenAiFrames}, Anthropic error bodies from {@link AnthropicTranscripts}.
 */
enum FaultFrames {

  /** OpenAI Chat Completions: SSE {@code chat.completion.chunk} events ending with {@code [DONE]}. */
  OPENAI("/v1/chat/completions", "text/event-stream") {
    @Override
    List<String> head(String model) {
      return List.of(OpenAiFrames.chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
    }

    @Override
    String piece(String model, String text) {
      return OpenAiFrames.chunk(new JsonObject().put("content", text), null);
    }

    @Override
    List<String> tail(JsonObject request, int words) {
      String stop = OpenAiFrames.chunk(new JsonObject(), "stop");
      boolean usage = request.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false);
      return usage ? List.of(stop, OpenAiFrames.usageChunk(FaultUpstream.PROMPT_TOKENS, words), DONE)
          : List.of(stop, DONE);
    }

    @Override
    String malformed() {
      return "data: {\"choices\":[{\n\n";
    }

    @Override
    String whole(String model, String text, int words) {
      return OpenAiFrames.completion(text).put("model", model).put("usage", new JsonObject()
          .put("prompt_tokens", FaultUpstream.PROMPT_TOKENS).put("completion_tokens", words)
          .put("total_tokens", FaultUpstream.PROMPT_TOKENS + words)).encode();
    }

    @Override
    String error(Failure failure) {
      JsonObject body = new JsonObject(OpenAiFrames.error(failure.message(), failure.type()));
      body.getJsonObject("error").put("code", failure.code());
      return body.encode();
    }
  },

  /** Anthropic Messages: named SSE events from {@code message_start} to {@code message_stop}. */
  ANTHROPIC("/v1/messages", "text/event-stream") {
    @Override
    List<String> head(String model) {
      JsonObject message = new JsonObject().put("id", "msg_fault").put("type", "message").put("role", "assistant")
          .put("model", model).put("content", new JsonArray()).putNull("stop_reason").putNull("stop_sequence")
          .put("usage", new JsonObject().put("input_tokens", FaultUpstream.PROMPT_TOKENS).put("output_tokens", 1));
      return List.of(event(new JsonObject().put("type", "message_start").put("message", message)),
          event(new JsonObject().put("type", "content_block_start").put("index", 0)
              .put("content_block", new JsonObject().put("type", "text").put("text", ""))));
    }

    @Override
    String piece(String model, String text) {
      return event(new JsonObject().put("type", "content_block_delta").put("index", 0)
          .put("delta", new JsonObject().put("type", "text_delta").put("text", text)));
    }

    @Override
    List<String> tail(JsonObject request, int words) {
      return List.of(event(new JsonObject().put("type", "content_block_stop").put("index", 0)),
          event(new JsonObject().put("type", "message_delta")
              .put("delta", new JsonObject().put("stop_reason", "end_turn").putNull("stop_sequence"))
              .put("usage", new JsonObject().put("output_tokens", words))),
          event(new JsonObject().put("type", "message_stop")));
    }

    @Override
    String malformed() {
      return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\n\n";
    }

    @Override
    String whole(String model, String text, int words) {
      return new JsonObject().put("id", "msg_fault").put("type", "message").put("role", "assistant")
          .put("model", model)
          .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)))
          .put("stop_reason", "end_turn").putNull("stop_sequence")
          .put("usage", new JsonObject().put("input_tokens", FaultUpstream.PROMPT_TOKENS).put("output_tokens", words))
          .encode();
    }

    @Override
    String error(Failure failure) {
      String type = switch (failure.status()) {
        case 404 -> "not_found_error";
        case 429 -> "rate_limit_error";
        case 500 -> "api_error";
        case 503 -> "overloaded_error";
        default -> "invalid_request_error";
      };
      return AnthropicTranscripts.errorBody(type, failure.anthropicMessage());
    }

    private static String event(JsonObject data) {
      return "event: " + data.getString("type") + "\ndata: " + data.encode() + "\n\n";
    }
  },

  /** Ollama {@code /api/chat}: NDJSON lines, the last one {@code "done":true} with the counts. */
  OLLAMA("/api/chat", "application/x-ndjson") {
    @Override
    boolean streams(JsonObject request) {
      // Ollama streams unless told otherwise.
      return !Boolean.FALSE.equals(request.getValue("stream"));
    }

    @Override
    List<String> head(String model) {
      return List.of();
    }

    @Override
    String piece(String model, String text) {
      return line(new JsonObject().put("model", model).put("created_at", CREATED_AT)
          .put("message", new JsonObject().put("role", "assistant").put("content", text)).put("done", false));
    }

    @Override
    List<String> tail(JsonObject request, int words) {
      return List.of(line(last(request.getString("model"), "", words)));
    }

    @Override
    String malformed() {
      return "{\"model\": \n";
    }

    @Override
    String whole(String model, String text, int words) {
      return last(model, text, words).encode();
    }

    @Override
    String error(Failure failure) {
      return new JsonObject().put("error", failure.message()).encode();
    }

    private static JsonObject last(String model, String text, int words) {
      return new JsonObject().put("model", model).put("created_at", CREATED_AT)
          .put("message", new JsonObject().put("role", "assistant").put("content", text))
          .put("done_reason", "stop").put("done", true).put("prompt_eval_count", FaultUpstream.PROMPT_TOKENS)
          .put("eval_count", words);
    }

    private static String line(JsonObject json) {
      return json.encode() + "\n";
    }
  };

  private static final String DONE = "data: [DONE]\n\n";
  private static final String CREATED_AT = "2025-05-27T22:54:57.641643Z";

  private final String path;
  private final String streamType;

  FaultFrames(String path, String streamType) {
    this.path = path;
    this.streamType = streamType;
  }

  /** The format served on {@code path}, or null. */
  static FaultFrames forPath(String path) {
    for (FaultFrames frames : values()) {
      if (frames.path.equals(path)) {
        return frames;
      }
    }
    return null;
  }

  String streamType() {
    return streamType;
  }

  /** Whether {@code request} asks for a stream. */
  boolean streams(JsonObject request) {
    return Boolean.TRUE.equals(request.getValue("stream"));
  }

  /** The frames before the first piece of text. */
  abstract List<String> head(String model);

  /** The frame carrying one piece of text. */
  abstract String piece(String model, String text);

  /** The frames after the last piece: finish reason, usage, end marker. */
  abstract List<String> tail(JsonObject request, int words);

  /** A frame cut short inside its JSON. */
  abstract String malformed();

  /** The non-streamed answer. */
  abstract String whole(String model, String text, int words);

  /** The error body of {@code failure}. */
  abstract String error(Failure failure);

  /**
   * An error answer. {@code type} and {@code code} are OpenAI's; Anthropic's type is derived from the status.
   *
   * @param anthropicMessage the message in Anthropic's words, where it has its own
   */
  record Failure(int status, String type, String code, String message, String anthropicMessage) {

    Failure(int status, String type, String code, String message) {
      this(status, type, code, message, message);
    }

    static Failure rateLimited(String model) {
      return new Failure(429, "requests", "rate_limit_exceeded", "Rate limit reached for " + model
          + " on requests per min (RPM): Limit 3, Used 3, Requested 1.");
    }

    static Failure serverError() {
      return new Failure(500, "server_error", null, "The server had an error while processing your request.");
    }

    static Failure overloaded() {
      return new Failure(503, "server_error", null, "The engine is currently overloaded, please try again later.");
    }

    static Failure contextLength() {
      return new Failure(400, "invalid_request_error", "context_length_exceeded", "This model's maximum context length "
          + "is 8192 tokens. However, your messages resulted in 9000 tokens.",
          "prompt is too long: 9000 tokens > 8192 maximum");
    }

    static Failure contentPolicy() {
      return new Failure(400, "invalid_request_error", "content_policy_violation",
          "Your request was rejected as a result of our safety system.");
    }

    static Failure prefillRefused() {
      return new Failure(400, "invalid_request_error", null, "This model does not support assistant message prefill.");
    }

    static Failure prefillMismatch() {
      return new Failure(400, "invalid_request_error", null, "prefill does not match");
    }

    static Failure modelNotFound(String model) {
      return new Failure(404, "invalid_request_error", "model_not_found", "model '" + model + "' not found");
    }

    static Failure unreadable() {
      return new Failure(400, "invalid_request_error", null, "the request body is not a JSON object");
    }
  }
}
