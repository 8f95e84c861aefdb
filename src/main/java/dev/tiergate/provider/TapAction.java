package dev.tiergate.provider;

/** What the relay does with one upstream event after the tap read it. */
public enum TapAction {
  /** Send the event's bytes to the client unchanged. */
  FORWARD,
  /** Send it only once content has started (upstream keep-alive comments); before that our own heartbeats run. */
  KEEPALIVE,
  /** Do not send it (for example a usage chunk the client did not ask for). */
  DROP,
  /** The upstream's end-of-stream marker: forward it and expect nothing more. */
  DONE
}
