package dev.tiergate.security;

/**
 * The limits of one client key; 0 means no limit.
 *
 * @param requestsPerMinute    requests admitted per minute (a bucket refilled continuously)
 * @param tokensPerMinute      prompt + completion tokens per minute (counted when each request ends)
 * @param maxConcurrentStreams streamed requests in flight at once
 */
public record KeyLimits(int requestsPerMinute, long tokensPerMinute, int maxConcurrentStreams) {

  public static final KeyLimits NONE = new KeyLimits(0, 0, 0);

  public KeyLimits {
    if (requestsPerMinute < 0 || tokensPerMinute < 0 || maxConcurrentStreams < 0) {
      throw new IllegalArgumentException("limits must be at least 0");
    }
  }

  public boolean any() {
    return requestsPerMinute > 0 || tokensPerMinute > 0 || maxConcurrentStreams > 0;
  }
}
