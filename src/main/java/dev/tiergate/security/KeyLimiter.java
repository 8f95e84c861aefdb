package dev.tiergate.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-key admission: requests per minute and tokens per minute as continuously refilled buckets, and streamed
 * requests in flight. Shared by every event loop (one small lock per key, held for a few arithmetic operations).
 * These are the gateway's own limits: a refusal never reaches a provider and never counts against its circuit.
 */
public final class KeyLimiter {

  /** Why a request was refused and when to come back. */
  public record Refusal(String code, long retryAfterSeconds, String message) {
  }

  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  public KeyLimiter(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Admits one request of {@code key} (counting it), or says why not. */
  public Refusal admit(ClientKey key, boolean stream) {
    KeyLimits limits = key.limits();
    if (!limits.any()) {
      return null;
    }
    return states.computeIfAbsent(key.id(), id -> new State(limits, nanoTime.getAsLong()))
        .admit(limits, stream, nanoTime.getAsLong());
  }

  /** The request ended: frees its stream slot and charges its tokens (prompt + completion). */
  public void finished(ClientKey key, boolean stream, long tokens) {
    State state = states.get(key.id());
    if (state != null) {
      state.finished(key.limits(), stream, Math.max(0, tokens), nanoTime.getAsLong());
    }
  }

  /** One key's buckets. */
  private static final class State {
    private double requests;
    private double tokens;
    private int streams;
    private long refilledAt;

    State(KeyLimits limits, long now) {
      requests = limits.requestsPerMinute();
      tokens = limits.tokensPerMinute();
      refilledAt = now;
    }

    synchronized Refusal admit(KeyLimits limits, boolean stream, long now) {
      refill(limits, now);
      if (stream && limits.maxConcurrentStreams() > 0 && streams >= limits.maxConcurrentStreams()) {
        return new Refusal("concurrency_limit_exceeded", 1, "This key already has "
            + limits.maxConcurrentStreams() + " streams open, its limit");
      }
      if (limits.requestsPerMinute() > 0 && requests < 1) {
        return new Refusal("rate_limit_exceeded", secondsUntil(1 - requests, limits.requestsPerMinute()),
            "This key is limited to " + limits.requestsPerMinute() + " requests per minute");
      }
      if (limits.tokensPerMinute() > 0 && tokens <= 0) {
        return new Refusal("token_limit_exceeded", secondsUntil(1 - tokens, limits.tokensPerMinute()),
            "This key is limited to " + limits.tokensPerMinute() + " tokens per minute");
      }
      if (limits.requestsPerMinute() > 0) {
        requests -= 1;
      }
      if (stream) {
        streams++;
      }
      return null;
    }

    synchronized void finished(KeyLimits limits, boolean stream, long used, long now) {
      refill(limits, now);
      if (stream && streams > 0) {
        streams--;
      }
      if (limits.tokensPerMinute() > 0) {
        // May go below zero: a large answer is charged in full and the key waits until the bucket refills.
        tokens -= used;
      }
    }

    private void refill(KeyLimits limits, long now) {
      double minutes = (now - refilledAt) / 60e9;
      refilledAt = now;
      requests = Math.min(limits.requestsPerMinute(), requests + minutes * limits.requestsPerMinute());
      tokens = Math.min(limits.tokensPerMinute(), tokens + minutes * limits.tokensPerMinute());
    }

    private static long secondsUntil(double missing, double perMinute) {
      return Math.max(1, (long) Math.ceil(missing * 60 / perMinute));
    }
  }
}
