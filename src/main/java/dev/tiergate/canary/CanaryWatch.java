package dev.tiergate.canary;

import dev.tiergate.bus.Addresses;
import dev.tiergate.bus.CallOutcome;
import dev.tiergate.routing.SnapshotHolder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quality gates of the canary, inside {@code MetricsVerticle}: one rolling window per arm (local, cloud) of the
 * local-eligible tiers' outcomes, evaluated on every local failure (three in a row roll back at once) and on a tick
 * (a failing error-rate or latency gate with enough samples rolls back); answers {@link Addresses#CANARY_QUALITY};
 * exports the gate figures as gauges. Rollbacks are orders to the router, which alone changes the state (a rollback
 * already done is refused there, so racing orders make one transition). Used on the metrics event loop only.
 */
public final class CanaryWatch {

  private static final Logger LOG = LoggerFactory.getLogger(CanaryWatch.class);

  private final Vertx vertx;
  private final SnapshotHolder snapshots;
  private final GateWindow local;
  private final GateWindow cloud;
  private boolean ordering;
  /** The latest report, for the gauges: the scrape runs on another thread and must not touch the windows. */
  private volatile GateReport last;

  public CanaryWatch(Vertx vertx, SnapshotHolder snapshots, MeterRegistry registry, Clock clock, Duration window,
                     long tickMs) {
    this.vertx = vertx;
    this.snapshots = snapshots;
    this.local = new GateWindow(window, 30, clock);
    this.cloud = new GateWindow(window, 30, clock);
    this.last = Gates.evaluate(GateWindow.Stats.EMPTY, GateWindow.Stats.EMPTY, GateThresholds.DEFAULT);
    vertx.setPeriodic(tickMs, id -> {
      report();
      evaluate(false);
    });
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CANARY_QUALITY, message -> message.reply(report()));
    registerGauges(registry);
  }

  /** Folds one finished request into its arm's window (requests of tiers that never go local are ignored). */
  public void record(CallOutcome outcome) {
    if (!snapshots.ready() || outcome.provider().equals("none") || outcome.status() == 499) {
      return;
    }
    boolean eligible = snapshots.current().routing().localEligible().stream()
        .anyMatch(t -> t.wireName().equals(outcome.tier()));
    if (!eligible) {
      return;
    }
    double latency = Math.max(0, outcome.stream() && outcome.ttftMs() >= 0 ? outcome.ttftMs()
        : outcome.durationMs());
    // A request the arm's first target did not answer failed on that arm, even when a fallback rescued it.
    boolean armServed = outcome.success() && !outcome.fallback();
    ArmSample sample = new ArmSample(armServed, latency, outcome.contentFailure() != null);
    if ("local".equals(outcome.arm())) {
      local.record(sample);
      if (sample.failed()) {
        evaluate(true);
      }
    } else {
      cloud.record(sample);
    }
  }

  /** The gates now, under the thresholds stored with the canary state. */
  public GateReport report() {
    last = Gates.evaluate(local.stats(), cloud.stats(), thresholds());
    return last;
  }

  private GateThresholds thresholds() {
    return GateThresholds.fromJson(snapshots.canary().thresholds());
  }

  private void evaluate(boolean onFailure) {
    CanaryState state = snapshots.canary();
    if (ordering || state.status() != CanaryStatus.ACTIVE || state.stage() == 0) {
      return;
    }
    GateReport report = report();
    boolean rollback = report.rollbackNow() || (!onFailure && report.rollbackOnTick());
    if (!rollback) {
      return;
    }
    String reason = "gates failed: " + String.join(", ", report.blocking().stream()
        .filter(g -> g.verdict() == GateReport.Verdict.FAIL).map(g -> g.name() + " " + g.detail()).toList());
    ordering = true;
    LOG.warn("canary: ordering a rollback from stage {}: {}", state.stage(), reason);
    vertx.eventBus().request(Addresses.CANARY_COMMANDS, new JsonObject().put("action", "rollback")
            .put("actor", "gates").put("reason", reason), new DeliveryOptions().setSendTimeout(5_000))
        .onComplete(ar -> ordering = false);
  }

  private GateWindow.Stats stats(boolean localArm) {
    GateReport report = last;
    return localArm ? report.local() : report.cloud();
  }

  private void registerGauges(MeterRegistry registry) {
    Gauge.builder("tiergate.canary.stage", snapshots, s -> s.canary().stage()).register(registry);
    Gauge.builder("tiergate.canary.status", snapshots, s -> s.canary().status().ordinal())
        .description("0 active, 1 paused, 2 rolled back").register(registry);
    for (String arm : new String[] {"local", "cloud"}) {
      boolean isLocal = arm.equals("local");
      Gauge.builder("tiergate.canary.requests", this, w -> stats(isLocal).requests()).tag("arm", arm)
          .register(registry);
      Gauge.builder("tiergate.canary.error.rate", this, w -> stats(isLocal).errorRate()).tag("arm", arm)
          .register(registry);
      Gauge.builder("tiergate.canary.latency.p95", this, w -> stats(isLocal).p95Ms()).tag("arm", arm)
          .baseUnit("milliseconds").register(registry);
    }
    Gauge.builder("tiergate.canary.consecutive.failures", this, w -> stats(true).consecutiveFailures())
        .register(registry);
  }
}
