package dev.tiergate.http;

import dev.tiergate.provider.Usage;
import dev.tiergate.wire.ContinuationNote;
import dev.tiergate.wire.EventSink;
import dev.tiergate.wire.StreamEvent;

/**
 * A fallback model continuing an answer that another model's stream broke off: its request carries the text so far
 * as a trailing assistant message (prefill), and its events are adjusted on their way into the client's stream.
 *
 * @param from      what the client already received
 * @param prefill   the assistant text sent upstream: {@code from.text()} without trailing whitespace, which
 *                  Anthropic refuses in a final assistant message
 * @param broken    token counts of the broken call (reported or estimated), added to the fallback's
 * @param note      what the client's last frame says of the continuation
 */
record Continuation(Resume from, String prefill, Usage broken, ContinuationNote note) {

  static Continuation of(Resume from, Usage broken, ContinuationNote note) {
    return new Continuation(from, from.text().stripTrailing(), broken, note);
  }

  /**
   * The sink that adjusts the fallback's events before {@code next}: its message start is dropped (the client's
   * message began long ago); when trailing whitespace was cut from the prefill, the whitespace the model puts back at
   * the start of its text is dropped (the client has it already); usage becomes the sum of both calls.
   */
  EventSink front(EventSink next) {
    return new Front(next, prefill.length() != from.text().length(), Math.max(0, broken.promptTokens()),
        Math.max(0, broken.completionTokens()));
  }

  /** The adjusting sink of {@link #front}. */
  private static final class Front implements EventSink {
    private final EventSink next;
    private final long prompt;
    private final long completion;
    private boolean trimLead;
    private boolean reported;

    Front(EventSink next, boolean trimLead, long prompt, long completion) {
      this.next = next;
      this.trimLead = trimLead;
      this.prompt = prompt;
      this.completion = completion;
    }

    @Override
    public void accept(StreamEvent event) {
      if (!reported) {
        // The broken call's tokens count even when the fallback reports none.
        reported = true;
        next.accept(new StreamEvent.Usage(prompt, completion));
      }
      switch (event) {
        case StreamEvent.MessageStart start -> {
        }
        case StreamEvent.TextDelta text when trimLead -> {
          String rest = text.text().stripLeading();
          if (!rest.isEmpty()) {
            trimLead = false;
            next.accept(new StreamEvent.TextDelta(rest));
          }
        }
        case StreamEvent.Usage usage -> next.accept(new StreamEvent.Usage(
            usage.promptTokens() < 0 ? -1 : prompt + usage.promptTokens(),
            usage.completionTokens() < 0 ? -1 : completion + usage.completionTokens()));
        default -> {
          trimLead = false;
          next.accept(event);
        }
      }
    }
  }
}
