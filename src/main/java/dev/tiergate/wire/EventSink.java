package dev.tiergate.wire;

/** Receives decoded stream events, in order, on the call's event loop. */
@FunctionalInterface
public interface EventSink {

  void accept(StreamEvent event);
}
