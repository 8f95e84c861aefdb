package dev.tiergate.wire;

/**
 * Removes {@code <think>…</think>} blocks from the answer's text as it streams through, for reasoning models that
 * leak their chain of thought into the content. Tags may be split across deltas at any character: a possible tag
 * prefix at the end of a delta is held back (at most 7 characters) until the next delta decides it. Whitespace right
 * after a removed block is dropped too, so the answer does not start with blank lines.
 */
public final class ThinkStripper implements EventSink {

  private static final String OPEN = "<think>";
  private static final String CLOSE = "</think>";

  private final EventSink next;
  private final StringBuilder held = new StringBuilder();
  private boolean inside;
  private boolean trimLeading;
  private boolean stripped;

  public ThinkStripper(EventSink next) {
    this.next = next;
  }

  /** Strips every think block from a whole text (non-streamed answers). */
  public static String strip(String text) {
    StringBuilder out = new StringBuilder();
    ThinkStripper stripper = new ThinkStripper(event -> {
      if (event instanceof StreamEvent.TextDelta delta) {
        out.append(delta.text());
      }
    });
    stripper.accept(new StreamEvent.TextDelta(text));
    stripper.accept(StreamEvent.END);
    return out.toString();
  }

  /** Whether a think block was removed. */
  public boolean stripped() {
    return stripped;
  }

  @Override
  public void accept(StreamEvent event) {
    if (event instanceof StreamEvent.TextDelta delta) {
      emit(filter(delta.text()));
      return;
    }
    if (!(event instanceof StreamEvent.Usage) && !held.isEmpty()) {
      // Anything else ends the text: what was held back was not a tag after all (unless inside a block).
      String rest = held.toString();
      held.setLength(0);
      if (!inside) {
        emit(rest);
      }
    }
    next.accept(event);
  }

  private String filter(String delta) {
    String text = held.append(delta).toString();
    held.setLength(0);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      String tag = inside ? CLOSE : OPEN;
      int at = text.indexOf(tag, i);
      if (at >= 0) {
        if (!inside) {
          out.append(text, i, at);
        }
        inside = !inside;
        if (!inside) {
          stripped = true;
          trimLeading = true;
        }
        i = at + tag.length();
        continue;
      }
      int keep = partialTagAt(text, i, tag);
      if (!inside) {
        out.append(text, i, keep);
      }
      held.append(text, keep, text.length());
      break;
    }
    return out.toString();
  }

  /** The start of the longest suffix of {@code text} (from {@code from}) that is a proper prefix of {@code tag}. */
  private static int partialTagAt(String text, int from, String tag) {
    for (int start = Math.max(from, text.length() - tag.length() + 1); start < text.length(); start++) {
      if (tag.startsWith(text.substring(start))) {
        return start;
      }
    }
    return text.length();
  }

  private void emit(String text) {
    if (trimLeading) {
      text = text.stripLeading();
      if (!text.isEmpty()) {
        trimLeading = false;
      }
    }
    if (!text.isEmpty()) {
      next.accept(new StreamEvent.TextDelta(text));
    }
  }
}
