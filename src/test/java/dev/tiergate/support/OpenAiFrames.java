package dev.tiergate.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Real OpenAI Chat Completions wire frames, as api.openai.com sends them. */
public final class OpenAiFrames {

  private OpenAiFrames() {
  }

  public static String chunk(JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("logprobs", null)
        .put("finish_reason", finishReason);
    return data(base().put("choices", new JsonArray().add(choice)).put("usage", null));
  }

  public static String usageChunk(int prompt, int completion) {
    return data(base().put("choices", new JsonArray()).put("usage", new JsonObject()
        .put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion)));
  }

  /** Role chunk, one content chunk per piece, a stop chunk, optionally the usage chunk, then [DONE]. */
  public static List<String> stream(boolean usage, String... pieces) {
    List<String> frames = new ArrayList<>();
    frames.add(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
    for (String piece : pieces) {
      frames.add(chunk(new JsonObject().put("content", piece), null));
    }
    frames.add(chunk(new JsonObject(), "stop"));
    if (usage) {
      frames.add(usageChunk(11, pieces.length));
    }
    frames.add("data: [DONE]\n\n");
    return frames;
  }

  public static JsonObject completion(String text) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", text).put("refusal", null);
    return new JsonObject().put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1_700_000_000)
        .put("model", "gpt-4o-2024-08-06")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
            .put("logprobs", null).put("finish_reason", "stop")))
        .put("usage", new JsonObject().put("prompt_tokens", 9).put("completion_tokens", 3).put("total_tokens", 12));
  }

  public static String error(String message, String type) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
        .put("param", null).put("code", null)).encode();
  }

  private static JsonObject base() {
    return new JsonObject().put("id", "chatcmpl-test").put("object", "chat.completion.chunk")
        .put("created", 1_700_000_000).put("model", "gpt-4o-2024-08-06").put("system_fingerprint", "fp_test");
  }

  private static String data(JsonObject json) {
    return "data: " + json.encode() + "\n\n";
  }
}
