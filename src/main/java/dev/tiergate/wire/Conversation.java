package dev.tiergate.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A chat request in the gateway's own terms, independent of any wire format: what every client format is read into
 * and every provider format is written from when the two differ (N readers + N writers instead of N×N translators).
 *
 * @param system         the system prompt, null when none (several system messages are joined by a blank line)
 * @param turns          the conversation in order; never empty
 * @param tools          tool definitions offered to the model
 * @param toolChoice     how the model may use them
 * @param sampling       output limits and sampling parameters
 * @param responseFormat plain text, any JSON object, or JSON following a schema
 * @param stream         whether the answer is streamed
 */
public record Conversation(String system, List<Turn> turns, List<ToolSpec> tools, ToolChoice toolChoice,
                           Sampling sampling, ResponseFormat responseFormat, boolean stream) {

  public Conversation {
    turns = List.copyOf(turns);
    tools = List.copyOf(tools);
    Objects.requireNonNull(toolChoice, "toolChoice");
    Objects.requireNonNull(sampling, "sampling");
    Objects.requireNonNull(responseFormat, "responseFormat");
  }

  /**
   * This conversation with {@code answerSoFar} as the start of the assistant's answer: appended to a trailing
   * assistant turn (the client's own prefill) or as a new one. Empty text leaves the conversation as it is.
   */
  public Conversation continuedWith(String answerSoFar) {
    if (answerSoFar.isEmpty()) {
      return this;
    }
    List<Turn> continued = new ArrayList<>(turns);
    Turn last = continued.getLast();
    if (last.role() == Turn.Role.ASSISTANT) {
      List<Part> parts = new ArrayList<>(last.parts());
      parts.add(new Part.Text(answerSoFar));
      continued.set(continued.size() - 1, new Turn(Turn.Role.ASSISTANT, parts));
    } else {
      continued.add(new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text(answerSoFar))));
    }
    return new Conversation(system, continued, tools, toolChoice, sampling, responseFormat, stream);
  }

  /**
   * The name of the tool of call {@code callId} earlier in the conversation, null when unknown. The latest call wins:
   * providers without ids make up {@code call_0}, {@code call_1}, … afresh in every answer.
   */
  public String toolNameOf(String callId) {
    for (Turn turn : turns.reversed()) {
      for (Part part : turn.parts()) {
        if (part instanceof Part.ToolCall call && call.id().equals(callId)) {
          return call.name();
        }
      }
    }
    return null;
  }
}
