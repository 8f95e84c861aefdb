package dev.tiergate.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;

/**
 * Tap for OpenAI Chat Completions chunk streams. Each {@code data:} payload is parsed (they are small) so a malformed
 * frame or an upstream {@code error} event is caught before it reaches the client. The usage-only chunk that the
 * gateway asked for on its own account is dropped unless the client asked for it too.
 */
public final class OpenAiStreamTap implements StreamTap {

  private final boolean clientWantsUsage;
  private Usage usage = Usage.UNKNOWN;

  public OpenAiStreamTap(boolean clientWantsUsage) {
    this.clientWantsUsage = clientWantsUsage;
  }

  @Override
  public TapAction inspect(SseEvent event) {
    if (event.data() == null) {
      return TapAction.KEEPALIVE;
    }
    String data = event.data();
    if (data.equals("[DONE]")) {
      return TapAction.DONE;
    }
    JsonNode chunk = parse(data);
    JsonNode error = chunk.get("error");
    if (error != null && !error.isNull()) {
      throw GatewayException.badGateway("upstream_stream_error", "The upstream reported an error mid-stream: "
          + Redactor.clip(error.path("message").asText("unknown error")));
    }
    readFinishReason(chunk.get("choices"));
    JsonNode reported = chunk.get("usage");
    if (reported != null && reported.isObject()) {
      usage = usage.withTokens(reported.path("prompt_tokens").asLong(-1),
          reported.path("completion_tokens").asLong(-1));
      JsonNode choices = chunk.get("choices");
      boolean usageOnly = choices == null || (choices.isArray() && choices.isEmpty());
      if (usageOnly && !clientWantsUsage) {
        return TapAction.DROP;
      }
    }
    return TapAction.FORWARD;
  }

  @Override
  public Usage usage() {
    return usage;
  }

  private void readFinishReason(JsonNode choices) {
    if (choices == null || !choices.isArray()) {
      return;
    }
    for (JsonNode choice : choices) {
      JsonNode reason = choice.get("finish_reason");
      if (reason != null && reason.isTextual()) {
        usage = usage.withFinishReason(reason.asText());
      }
    }
  }

  private static JsonNode parse(String data) {
    try {
      JsonNode node = JsonSupport.MAPPER.readTree(data);
      if (node == null || !node.isObject()) {
        throw malformed();
      }
      return node;
    } catch (JsonProcessingException e) {
      throw malformed();
    }
  }

  private static GatewayException malformed() {
    return GatewayException.badGateway("upstream_malformed_stream", "The upstream sent a malformed stream event");
  }
}
