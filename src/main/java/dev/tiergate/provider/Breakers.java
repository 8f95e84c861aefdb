package dev.tiergate.provider;

import dev.tiergate.config.ConfigException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A circuit breaker per target (provider + model), on top of Vert.x's {@link CircuitBreaker} and its state machine:
 * closed → open after {@code maxFailures} failures in the rolling window → half-open after {@code resetTimeoutMs} →
 * closed when the one probe succeeds, open again when it fails. The breaker's own operation timeout, retries,
 * fallback and event-bus notifications are off: the gateway has its own timers and decides what counts as a failure.
 *
 * <p>One instance per {@link Vertx}, shared by every HTTP verticle. Safe from any event loop: the breakers live in a
 * {@link ConcurrentHashMap}, Vert.x guards each breaker's state with its monitor, and the probe slot is atomic.
 *
 * <p>Vert.x semantics worth knowing: any success while closed clears the failure count (so it takes
 * {@code maxFailures} failures with no success between them), the window counts whole seconds, and an outcome is
 * applied on the context that began the attempt one tick after it is reported, not synchronously.
 */
public final class Breakers {

  /** The gauge: 0 closed, 1 half-open, 2 open; tags {@code provider} and {@code model}. */
  public static final String STATE_GAUGE = "tiergate.breaker.state";

  private static final VertxException FAILED = new VertxException("attempt failed", true);
  private static final VertxException INCONCLUSIVE = new VertxException("probe abandoned", true);

  /**
   * Breaker options, the same for every target.
   *
   * @param maxFailures     failures that open the breaker; 0 disables breaking altogether ({@link #DISABLED})
   * @param resetTimeoutMs  how long an open breaker refuses before letting one probe through
   * @param rollingWindowMs failures older than this are forgotten; whole seconds, at least 1000
   */
  public record BreakerConfig(int maxFailures, long resetTimeoutMs, long rollingWindowMs) {

    public static final BreakerConfig DEFAULT = new BreakerConfig(5, 30_000, 10_000);
    public static final BreakerConfig DISABLED = new BreakerConfig(0, 30_000, 10_000);

    public BreakerConfig {
      if (maxFailures < 0) {
        throw new ConfigException("breaker.maxFailures", "must be at least 0, got " + maxFailures);
      }
      if (resetTimeoutMs < 1) {
        throw new ConfigException("breaker.resetTimeoutMs", "must be at least 1, got " + resetTimeoutMs);
      }
      // Vert.x buckets failures by the second: a window under 1 s would hold none and never open.
      if (rollingWindowMs < 1000) {
        throw new ConfigException("breaker.rollingWindowMs", "must be at least 1000, got " + rollingWindowMs);
      }
    }

    public boolean enabled() {
      return maxFailures > 0;
    }
  }

  private final Vertx vertx;
  private final BreakerConfig config;
  private final MeterRegistry registry;
  private final Map<String, Target> targets = new ConcurrentHashMap<>();

  /**
   * @param registry where to register {@value #STATE_GAUGE}; null for no metrics
   */
  public Breakers(Vertx vertx, BreakerConfig config, MeterRegistry registry) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
    this.registry = registry;
  }

  public BreakerConfig config() {
    return config;
  }

  /** Creates the target's breaker (and gauge) now rather than on first use, e.g. for every configured target. */
  public void register(String provider, String model) {
    target(provider, model);
  }

  /**
   * Whether an attempt on the target would be let through: false while open, and while half-open with a probe in
   * flight. Advisory (another loop may take the probe in between): {@link #begin} is what admits.
   */
  public boolean allows(String provider, String model) {
    Target target = target(provider, model);
    if (target.circuit == null) {
      return true;
    }
    return switch (target.circuit.state()) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> target.probe.get() == null;
    };
  }

  /**
   * Starts an attempt on the target. When {@link Attempt#admitted()} is false the breaker refused it (open, or
   * half-open with the probe taken): skip the target without connecting. An admitted attempt must end with one of
   * {@link Attempt#succeeded()}, {@link Attempt#failed()} or {@link Attempt#abandoned()}; a half-open probe that is
   * never ended keeps the target's breaker half-open and refusing for good.
   */
  public Attempt begin(String provider, String model) {
    Target target = target(provider, model);
    if (target.circuit == null) {
      return Attempt.UNGUARDED;
    }
    Promise<Void> outcome = Promise.promise();
    AtomicBoolean ran = new AtomicBoolean();
    // Vert.x runs the operation synchronously when it lets it through; an open breaker fails the call without it.
    target.circuit.<Void>execute(() -> {
      ran.set(true);
      return outcome.future();
    });
    if (!ran.get()) {
      return Attempt.REFUSED;
    }
    boolean probe = target.circuit.state() == CircuitBreakerState.HALF_OPEN;
    Attempt attempt = new Attempt(target, outcome, true, probe);
    if (probe) {
      target.probe.set(attempt);
    }
    return attempt;
  }

  /** Every known target's state, {@code provider/model} → {@code closed}, {@code open} or {@code half_open}. */
  public Map<String, String> states() {
    Map<String, String> states = new TreeMap<>();
    targets.forEach((key, target) -> states.put(key, name(target.state())));
    return Collections.unmodifiableMap(states);
  }

  private Target target(String provider, String model) {
    String key = provider + "/" + model;
    Target existing = targets.get(key);
    return existing != null ? existing : targets.computeIfAbsent(key, k -> create(k, provider, model));
  }

  private Target create(String key, String provider, String model) {
    Target target = new Target(config.enabled() ? CircuitBreaker.create("tiergate-" + key, vertx, options()) : null);
    if (target.circuit != null) {
      // A new half-open period frees the probe slot, as Vert.x resets its own count of let-through calls.
      target.circuit.halfOpenHandler(v -> target.probe.set(null));
    }
    if (registry != null) {
      Gauge.builder(STATE_GAUGE, target, Breakers::gaugeValue)
          .description("Circuit breaker state per target: 0 closed, 1 half-open, 2 open")
          .tags("provider", provider, "model", model)
          .strongReference(true)
          .register(registry);
    }
    return target;
  }

  private CircuitBreakerOptions options() {
    return new CircuitBreakerOptions()
        .setMaxFailures(config.maxFailures())
        .setResetTimeout(config.resetTimeoutMs())
        .setFailuresRollingWindow(config.rollingWindowMs())
        .setTimeout(-1)
        .setMaxRetries(0)
        .setFallbackOnFailure(false)
        .setNotificationAddress(null);
  }

  private static double gaugeValue(Target target) {
    return switch (target.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  private static String name(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> "closed";
      case HALF_OPEN -> "half_open";
      case OPEN -> "open";
    };
  }

  /**
   * One target's breaker (null when breaking is disabled) and the probe of the current half-open period. The slot
   * mirrors Vert.x's own count of let-through calls: taken by the probe, freed only when a new half-open period starts
   * (a finished probe moves the breaker to closed or open, where the slot does not matter).
   */
  private static final class Target {

    final CircuitBreaker circuit;
    final AtomicReference<Attempt> probe = new AtomicReference<>();

    Target(CircuitBreaker circuit) {
      this.circuit = circuit;
    }

    CircuitBreakerState state() {
      return circuit == null ? CircuitBreakerState.CLOSED : circuit.state();
    }
  }

  /**
   * One attempt on a target, as the breaker sees it. The caller decides what counts: report {@link #failed()} for the
   * upstream's fault (5xx, 429, connection failure, stall) and {@link #succeeded()} once the upstream answered (first
   * byte, or a complete answer). Our own limits, a client that went away and the client's own errors prove nothing
   * either way: {@link #abandoned()}. Every method is idempotent and the first one called wins (the outcome is a
   * promise, completed at most once); on an attempt that was not admitted, or with breaking disabled, they do
   * nothing.
   */
  public static final class Attempt {

    private static final Attempt UNGUARDED = new Attempt(null, null, true, false);
    private static final Attempt REFUSED = new Attempt(null, null, false, false);

    private final Target target;
    private final Promise<Void> outcome;
    private final boolean admitted;
    private final boolean probe;

    private Attempt(Target target, Promise<Void> outcome, boolean admitted, boolean probe) {
      this.target = target;
      this.outcome = outcome;
      this.admitted = admitted;
      this.probe = probe;
    }

    /** False when the breaker refused the attempt: skip the target. */
    public boolean admitted() {
      return admitted;
    }

    /** Whether this attempt is the half-open breaker's one probe. */
    public boolean probe() {
      return probe;
    }

    public void succeeded() {
      if (outcome != null) {
        outcome.tryComplete();
      }
    }

    public void failed() {
      if (outcome != null) {
        outcome.tryFail(FAILED);
      }
    }

    /**
     * Ends the attempt without evidence. While closed nothing is recorded; a probe cannot stay in flight for ever, so
     * an abandoned probe counts as failed: the breaker opens again and probes anew after the reset timeout.
     */
    public void abandoned() {
      if (probe && target.circuit.state() == CircuitBreakerState.HALF_OPEN) {
        outcome.tryFail(INCONCLUSIVE);
      }
    }
  }
}
