package dev.tiergate.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A validated chat request in the client's wire format. The body is kept as parsed so that, when the provider speaks
 * the same format, every field the gateway does not know reaches it unchanged; the {@link Conversation} is read from
 * it only when a translation needs it.
 *
 * @param format           the client's wire format
 * @param body             the parsed request; adapters copy or adjust what they need
 * @param model            the {@code model} field, null when absent
 * @param stream           whether the client asked for a stream
 * @param clientWantsUsage whether the client asked for usage in the stream (OpenAI {@code include_usage}; the other
 *                         formats always report it)
 * @param user             the end-user id the client gave, null when absent
 * @param canonical        the request in the gateway's terms, read on first use
 * @param continuation     whether this asks a model to continue an answer another model began (a trailing assistant
 *                         message holds the text so far): it is always written from the conversation, never passed
 *                         through
 */
public record ChatRequest(ClientFormat format, ObjectNode body, String model, boolean stream, boolean clientWantsUsage,
                          String user, Lazy<Conversation> canonical, boolean continuation) {

  /** A request as a client sent it. */
  public ChatRequest(ClientFormat format, ObjectNode body, String model, boolean stream, boolean clientWantsUsage,
                     String user, Lazy<Conversation> canonical) {
    this(format, body, model, stream, clientWantsUsage, user, canonical, false);
  }

  /**
   * This request with {@code answerSoFar} as the start of the assistant's answer (prefill), for a model that
   * continues a trailing assistant message.
   *
   * @throws dev.tiergate.http.GatewayException (400) when the request cannot be read into a conversation
   */
  public ChatRequest continuing(String answerSoFar) {
    Conversation continued = conversation().continuedWith(answerSoFar);
    return new ChatRequest(format, body, model, stream, clientWantsUsage, user, Lazy.of(continued), true);
  }

  /**
   * The request in the gateway's terms.
   *
   * @throws dev.tiergate.http.GatewayException (400) when the request uses something no translation can express
   */
  public Conversation conversation() {
    return canonical.get();
  }

  /**
   * The prompt for routing rules that only look at it (privacy patterns, classification). When the request cannot be
   * read into a conversation (the translation that needs one reports why), the whole body stands in as one user
   * text, so that privacy patterns still see every word: they must never fail open.
   */
  public Conversation promptView() {
    try {
      return canonical.get();
    } catch (RuntimeException e) {
      return new Conversation(null, List.of(new Turn(Turn.Role.USER, List.of(new Part.Text(body.toString())))),
          List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT, stream);
    }
  }
}
