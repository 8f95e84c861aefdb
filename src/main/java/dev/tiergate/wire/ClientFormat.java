package dev.tiergate.wire;

import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.anthropic.AnthropicClientCodec;
import dev.tiergate.wire.ollama.OllamaClientCodec;
import dev.tiergate.wire.openai.OpenAiClientCodec;
import io.vertx.core.buffer.Buffer;

/** The wire formats clients speak to the gateway; each is one {@link ClientCodec}. */
public enum ClientFormat {
  OPENAI("openai", new OpenAiClientCodec()),
  ANTHROPIC("anthropic", new AnthropicClientCodec()),
  OLLAMA("ollama", new OllamaClientCodec());

  private final String wireName;
  private final ClientCodec codec;

  ClientFormat(String wireName, ClientCodec codec) {
    this.wireName = wireName;
    this.codec = codec;
  }

  /**
   * The format a client on {@code path} speaks, for errors written before (or instead of) parsing its request:
   * Ollama's API lives under {@code /api/}, Anthropic's at {@code /v1/messages}, everything else is OpenAI's.
   */
  public static ClientFormat forPath(String path) {
    if (path == null) {
      return OPENAI;
    }
    if (path.startsWith("/api/")) {
      return OLLAMA;
    }
    if (path.equals("/v1/messages") || path.startsWith("/v1/messages/")) {
      return ANTHROPIC;
    }
    return OPENAI;
  }

  public String wireName() {
    return wireName;
  }

  public ClientCodec codec() {
    return codec;
  }

  /** The error body for a response that has not started yet. */
  public Buffer errorBody(GatewayException error) {
    return codec.errorBody(error);
  }

  /** The frame that ends a stream which already sent content. */
  public Buffer errorFrame(GatewayException error) {
    return codec.errorFrame(error);
  }
}
