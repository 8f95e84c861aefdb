package dev.tiergate.wire;

import java.util.List;

/**
 * A whole (non-streamed) answer in the gateway's terms.
 *
 * @param content          text and tool calls, in order
 * @param finishReason     why it ended, null when the provider did not say
 * @param promptTokens     -1 when unknown
 * @param completionTokens -1 when unknown
 */
public record Completion(List<Part> content, FinishReason finishReason, long promptTokens, long completionTokens) {

  public Completion {
    content = List.copyOf(content);
  }

  /** The text parts joined. */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (Part part : content) {
      if (part instanceof Part.Text t) {
        text.append(t.text());
      }
    }
    return text.toString();
  }

  public List<Part.ToolCall> toolCalls() {
    return content.stream().filter(Part.ToolCall.class::isInstance).map(Part.ToolCall.class::cast).toList();
  }
}
