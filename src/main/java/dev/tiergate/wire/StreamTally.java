package dev.tiergate.wire;

import dev.tiergate.provider.Usage;
import java.util.Locale;

/**
 * Watches events on their way to the next sink and keeps what the call's outcome needs: token totals (the latest
 * report wins, never a sum), the finish reason, whether content and the end were seen.
 */
public final class StreamTally implements EventSink {

  private final EventSink next;
  private long promptTokens = -1;
  private long completionTokens = -1;
  private FinishReason finishReason;
  private boolean ended;
  private int toolCalls;
  private boolean leakedThink;
  private long outputChars;
  /** The end of the text so far, so that a {@code <think>} split across deltas is still seen. */
  private String tail = "";
  /** The text relayed so far, kept only while the answer may have to be continued elsewhere; null otherwise. */
  private StringBuilder captured;

  public StreamTally(EventSink next) {
    this.next = next;
  }

  @Override
  public void accept(StreamEvent event) {
    switch (event) {
      case StreamEvent.Usage usage -> {
        if (usage.promptTokens() >= 0) {
          promptTokens = usage.promptTokens();
        }
        if (usage.completionTokens() >= 0) {
          completionTokens = usage.completionTokens();
        }
      }
      case StreamEvent.Finish finish -> finishReason = finish.reason();
      case StreamEvent.ToolCallStart start -> {
        toolCalls++;
        outputChars += start.name() == null ? 0 : start.name().length();
      }
      case StreamEvent.ToolCallDelta delta -> outputChars += delta.arguments() == null ? 0 : delta.arguments().length();
      case StreamEvent.TextDelta delta -> {
        outputChars += delta.text().length();
        if (captured != null) {
          captured.append(delta.text());
        }
        if (!leakedThink) {
          String seen = tail + delta.text();
          leakedThink = seen.contains("<think>");
          tail = seen.substring(Math.max(0, seen.length() - 6));
        }
      }
      case StreamEvent.End end -> ended = true;
      default -> {
      }
    }
    next.accept(event);
  }

  /**
   * Keeps the answer's text from now on, after {@code seed} (the text an earlier model already relayed), so that
   * another model can be asked to continue it.
   */
  public void captureText(String seed) {
    captured = new StringBuilder(seed);
  }

  /** The text kept since {@link #captureText}, null when not capturing. */
  public String capturedText() {
    return captured == null ? null : captured.toString();
  }

  public boolean ended() {
    return ended;
  }

  public FinishReason finishReason() {
    return finishReason;
  }

  /** Whether a {@code <think>} tag reached the client's text (a reasoning model whose output is not stripped). */
  public boolean leakedThink() {
    return leakedThink;
  }

  /** Characters of text and tool-call arguments seen so far: what a token estimate of a cut stream counts. */
  public long outputChars() {
    return outputChars;
  }

  public int toolCalls() {
    return toolCalls;
  }

  /** Totals and finish reason for the outcome; the reason in the gateway's terms, lower case. */
  public Usage usage() {
    return new Usage(promptTokens, completionTokens,
        finishReason == null ? null : finishReason.name().toLowerCase(Locale.ROOT));
  }
}
