package dev.tiergate.usage;

import dev.tiergate.bus.CallOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The per-request meters on {@code /metrics}, fed from {@link CallOutcome}s on the metrics verticle. Labels are
 * bounded: provider, model, tier and route come from the registry (never from a client's model string), status and
 * error class from fixed sets. Meters are looked up once per label set and cached: building tags per request costs
 * more than the counting. Histograms use a few fixed buckets (service-level objectives), not Micrometer's ~70.
 */
public final class RequestMeters {

  private static final Duration[] DURATION = ms(10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
      60_000, 120_000, 300_000);
  private static final Duration[] TTFT = ms(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000);
  private static final Duration[] OVERHEAD = micros(50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 100_000);

  private final MeterRegistry registry;
  private final Map<Labels, Meters> meters = new HashMap<>();
  private final Map<OverheadLabels, Timer> overhead = new HashMap<>();

  /** One label set of the request counter. */
  private record Labels(String format, String route, String provider, String model, String tier, int status,
                        String error, boolean stream, boolean fallback) {
  }

  private record OverheadLabels(String format, boolean stream) {
  }

  /** The meters an outcome with given labels updates; the rarely used ones are made on first use. */
  private final class Meters {
    final Labels l;
    final Counter requests;
    final Timer duration;
    final Timer ttft;
    final Counter promptTokens;
    final Counter completionTokens;
    final Counter cost;
    Counter estimatedPrompt;
    Counter estimatedCompletion;
    Counter retries;
    Counter partial;
    Counter continued;
    Counter reasoningStripped;

    Meters(Labels l) {
      this.l = l;
      String stream = Boolean.toString(l.stream());
      requests = Counter.builder("tiergate.requests").description("Finished requests by outcome")
          .tags("format", l.format(), "route", l.route(), "provider", l.provider(), "model", l.model(),
              "tier", l.tier(), "status", Integer.toString(l.status()), "error", l.error(), "stream", stream,
              "fallback", Boolean.toString(l.fallback()))
          .register(registry);
      duration = Timer.builder("tiergate.request.duration").description("Whole request, arrival to last byte")
          .tags("route", l.route(), "provider", l.provider(), "model", l.model(), "tier", l.tier(), "stream", stream)
          .serviceLevelObjectives(DURATION).register(registry);
      ttft = Timer.builder("tiergate.ttft").description("Time to the first content byte sent to the client")
          .tags("route", l.route(), "provider", l.provider(), "model", l.model(), "tier", l.tier())
          .serviceLevelObjectives(TTFT).register(registry);
      promptTokens = tokens("prompt", false);
      completionTokens = tokens("completion", false);
      cost = Counter.builder("tiergate.cost").baseUnit("usd")
          .description("Cost of the tokens at the registry's prices (local models cost 0)")
          .tags("route", l.route(), "provider", l.provider(), "model", l.model(), "tier", l.tier())
          .register(registry);
    }

    Counter tokens(String kind, boolean estimated) {
      return Counter.builder("tiergate.tokens").description("Tokens in (prompt) and out (completion)")
          .tags("kind", kind, "route", l.route(), "provider", l.provider(), "model", l.model(), "tier", l.tier(),
              "estimated", Boolean.toString(estimated))
          .register(registry);
    }
  }

  public RequestMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(CallOutcome o, double costUsd) {
    Labels labels = new Labels(o.clientFormat(), o.route(), o.provider(), o.model(), o.tier(), o.status(),
        o.errorClass() == null ? "none" : o.errorClass(), o.stream(), o.fallback());
    Meters m = meters.computeIfAbsent(labels, Meters::new);
    m.requests.increment();
    m.duration.record(nanos(o.durationMs()), TimeUnit.NANOSECONDS);
    if (o.ttftMs() >= 0) {
      m.ttft.record(nanos(o.ttftMs()), TimeUnit.NANOSECONDS);
    }
    overhead.computeIfAbsent(new OverheadLabels(o.clientFormat(), o.stream()), this::overheadTimer)
        .record(nanos(o.overheadMs()), TimeUnit.NANOSECONDS);
    tokens(m, o);
    if (costUsd > 0) {
      m.cost.increment(costUsd);
    }
    if (o.retries() > 0) {
      if (m.retries == null) {
        m.retries = Counter.builder("tiergate.retries").description("Attempts repeated on the same target")
            .tags("provider", o.provider(), "model", o.model()).register(registry);
      }
      m.retries.increment(o.retries());
    }
    if (o.partial()) {
      if (m.partial == null) {
        m.partial = Counter.builder("tiergate.streams.partial")
            .description("Streams that sent content but did not finish (cut, timed out or abandoned)")
            .tags("route", o.route(), "provider", o.provider(), "model", o.model(), "error", labels.error())
            .register(registry);
      }
      m.partial.increment();
    }
    if (o.continued()) {
      if (m.continued == null) {
        m.continued = Counter.builder("tiergate.streams.continued")
            .description("Streams that broke off mid-answer and were continued by a prefill-capable fallback (model)")
            .tags("route", o.route(), "provider", o.provider(), "model", o.model(), "error", labels.error())
            .register(registry);
      }
      m.continued.increment();
    }
    if (o.reasoningStripped()) {
      if (m.reasoningStripped == null) {
        m.reasoningStripped = Counter.builder("tiergate.reasoning.stripped")
            .description("Answers from which <think> blocks were removed")
            .tags("provider", o.provider(), "model", o.model()).register(registry);
      }
      m.reasoningStripped.increment();
    }
  }

  private static void tokens(Meters m, CallOutcome o) {
    if (o.tokensEstimated()) {
      if (m.estimatedPrompt == null) {
        m.estimatedPrompt = m.tokens("prompt", true);
        m.estimatedCompletion = m.tokens("completion", true);
      }
      increment(m.estimatedPrompt, o.promptTokens());
      increment(m.estimatedCompletion, o.completionTokens());
    } else {
      increment(m.promptTokens, o.promptTokens());
      increment(m.completionTokens, o.completionTokens());
    }
  }

  private Timer overheadTimer(OverheadLabels l) {
    return Timer.builder("tiergate.gateway.overhead")
        .description("The gateway's own time per request: before the first upstream request, and reading,"
            + " translating and writing the answer")
        .tags("format", l.format(), "stream", Boolean.toString(l.stream()))
        .serviceLevelObjectives(OVERHEAD).register(registry);
  }

  private static void increment(Counter counter, long amount) {
    if (amount > 0) {
      counter.increment(amount);
    }
  }

  private static long nanos(double ms) {
    return (long) (ms * 1e6);
  }

  private static Duration[] ms(long... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofMillis(values[i]);
    }
    return out;
  }

  private static Duration[] micros(long... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(values[i] * 1_000);
    }
    return out;
  }
}
