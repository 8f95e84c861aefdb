package dev.tiergate.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** The wire format a client speaks; decides how errors (whole-body and mid-stream) are written to it. */
public enum ClientFormat {
  OPENAI("openai");

  private final String wireName;

  ClientFormat(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The error body for a response that has not started yet. */
  public Buffer errorBody(GatewayException error) {
    return errorJson(error).toBuffer();
  }

  /**
   * The frame that ends a stream which already sent content. OpenAI clients (the official SDKs) treat a {@code data:}
   * event carrying an {@code error} object as a failed stream; no {@code [DONE]} follows it.
   */
  public Buffer errorFrame(GatewayException error) {
    return Buffer.buffer("data: ").appendBuffer(errorJson(error).toBuffer()).appendString("\n\n");
  }

  private static JsonObject errorJson(GatewayException error) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", error.getMessage())
        .put("type", error.type())
        .put("param", null)
        .put("code", error.code()));
  }
}
