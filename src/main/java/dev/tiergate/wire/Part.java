package dev.tiergate.wire;

import java.util.Objects;

/** A piece of a {@link Turn} or of a {@link Completion}. */
public sealed interface Part {

  /** Plain text. */
  record Text(String text) implements Part {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * An image, either inline ({@code data} base64 with its media type) or by URL.
   *
   * @param mediaType e.g. {@code image/png}; null for a URL image whose type is unknown
   * @param data      base64 without a {@code data:} prefix, null for a URL image
   * @param url       http(s) URL, null for an inline image
   */
  record Image(String mediaType, String data, String url) implements Part {
  }

  /**
   * A call the assistant made to a tool.
   *
   * @param id        the call's id (generated when the provider gives none)
   * @param name      the tool's name
   * @param arguments the arguments as JSON text (an object; "{}" when none)
   */
  record ToolCall(String id, String name, String arguments) implements Part {
    public ToolCall {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
  }

  /**
   * The result of a tool call, sent back by the client.
   *
   * @param callId  the id of the {@link ToolCall} it answers
   * @param name    the tool's name when known (Gemini and Ollama need it), else null
   * @param content the result as text
   * @param error   whether the tool failed
   */
  record ToolResult(String callId, String name, String content, boolean error) implements Part {
    public ToolResult {
      Objects.requireNonNull(callId, "callId");
      content = content == null ? "" : content;
    }
  }
}
