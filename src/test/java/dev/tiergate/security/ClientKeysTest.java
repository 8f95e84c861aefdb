package dev.tiergate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.Secret;
import dev.tiergate.routing.Tier;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Key lookup by hash, per-key buckets on an injected clock, and the process-wide ceilings. */
class ClientKeysTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final KeyLimiter limiter = new KeyLimiter(now::get);

  @Test
  void keysAreFoundByTheirHashAndNeverKept() {
    ClientKeys keys = new ClientKeys(ClientKeys.fromEnvironment(List.of(new Secret("alpha"), new Secret("beta")),
        KeyLimits.NONE), false);
    assertTrue(keys.enabled());
    assertEquals("key-1", keys.lookup("alpha").id());
    assertEquals("key-2", keys.lookup("beta").id());
    assertNull(keys.lookup("alph"));
    assertNull(keys.lookup("alpha "));
    assertNull(keys.lookup("' OR 1=1 --"));
    assertFalse(keys.lookup("alpha").toString().contains("alpha"));
    assertFalse(ClientKeys.NONE.enabled());
    assertTrue(new ClientKeys(List.of(), true).enabled(), "required: on even without keys");
    assertNull(new ClientKeys(List.of(), true).lookup("anything"));
  }

  @Test
  void requestsPerMinuteRefillContinuously() {
    ClientKey key = key(new KeyLimits(3, 0, 0));
    for (int i = 0; i < 3; i++) {
      assertNull(limiter.admit(key, false));
    }
    KeyLimiter.Refusal refused = limiter.admit(key, false);
    assertNotNull(refused);
    assertEquals("rate_limit_exceeded", refused.code());
    assertEquals(20, refused.retryAfterSeconds(), "one request comes back every 20 s at 3/min");
    now.addAndGet(20_000_000_000L);
    assertNull(limiter.admit(key, false));
    assertNotNull(limiter.admit(key, false));
  }

  @Test
  void tokensAreChargedWhenARequestEndsAndTheKeyWaitsForTheRefill() {
    ClientKey key = key(new KeyLimits(0, 600, 0));
    assertNull(limiter.admit(key, false));
    limiter.finished(key, false, 900);
    KeyLimiter.Refusal refused = limiter.admit(key, false);
    assertEquals("token_limit_exceeded", refused.code());
    assertEquals(31, refused.retryAfterSeconds(), "300 tokens in debt at 10 tokens/s, plus one");
    now.addAndGet(31_000_000_000L);
    assertNull(limiter.admit(key, false));
  }

  @Test
  void streamsInFlightAreCappedAndFreedWhenTheyEnd() {
    ClientKey key = key(new KeyLimits(0, 0, 2));
    assertNull(limiter.admit(key, true));
    assertNull(limiter.admit(key, true));
    assertEquals("concurrency_limit_exceeded", limiter.admit(key, true).code());
    assertNull(limiter.admit(key, false), "whole answers are not streams");
    limiter.finished(key, true, 10);
    assertNull(limiter.admit(key, true));
  }

  @Test
  void restrictionsAreChecked() {
    ClientKey key = new ClientKey("ci", "CI", ClientKeys.sha256("k"), Set.of(Tier.HAIKU), Set.of("ollama"),
        KeyLimits.NONE);
    assertTrue(key.allowsTier(Tier.HAIKU));
    assertFalse(key.allowsTier(Tier.OPUS));
    assertTrue(key.allowsProvider("ollama"));
    assertFalse(key.allowsProvider("anthropic"));
  }

  @Test
  void theShedderRefusesPastItsCeilingsAndRecovers() {
    LoadShedder shedder = new LoadShedder(2, 1);
    assertTrue(shedder.enter());
    assertTrue(shedder.enter());
    assertFalse(shedder.enter());
    assertEquals(2, shedder.inFlight());
    shedder.exit();
    assertTrue(shedder.enter());
    assertTrue(shedder.connected());
    assertFalse(shedder.connected());
    shedder.disconnected();
    assertTrue(shedder.connected());
    LoadShedder open = new LoadShedder(0, 0);
    for (int i = 0; i < 1000; i++) {
      assertTrue(open.enter());
    }
  }

  private static ClientKey key(KeyLimits limits) {
    return new ClientKey("k", "k", ClientKeys.sha256("k"), Set.of(), Set.of(), limits);
  }
}
