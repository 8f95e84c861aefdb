package dev.tiergate.http;

import dev.tiergate.config.ObservabilityConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * What the request path records itself, because it happens per chunk rather than per request: the gap between the
 * chunks of a stream ({@code tiergate.stream.chunk.gap}, by route). Everything per request travels in the
 * {@code CallOutcome} to the metrics verticle instead. Shared by every event loop; Micrometer timers are thread-safe.
 *
 * @param promptExcerpts whether outcomes carry a redacted prompt excerpt (the access log's debug option)
 * @param secrets        every configured secret value, removed from prompt excerpts
 */
public record Observation(boolean promptExcerpts, List<String> secrets, LongConsumer localChunkGaps,
                          LongConsumer cloudChunkGaps) {

  private static final LongConsumer NONE = nanos -> { };

  /** Records nothing (metrics off, or tests that do not look). */
  public static final Observation OFF = new Observation(false, List.of(), NONE, NONE);

  public Observation {
    secrets = List.copyOf(secrets);
  }

  public static Observation of(ObservabilityConfig config, List<String> secrets, MeterRegistry registry) {
    if (!config.metrics()) {
      return new Observation(config.accessLogPrompts(), secrets, NONE, NONE);
    }
    return new Observation(config.accessLogPrompts(), secrets, gaps(registry, "local"), gaps(registry, "cloud"));
  }

  /** Never lists the secrets themselves. */
  @Override
  public String toString() {
    return "Observation[promptExcerpts=" + promptExcerpts + ", " + secrets.size() + " secrets]";
  }

  /** The recorder of chunk gaps on {@code route} ({@code local} or {@code cloud}), in nanoseconds. */
  LongConsumer chunkGaps(String route) {
    return "local".equals(route) ? localChunkGaps : cloudChunkGaps;
  }

  private static LongConsumer gaps(MeterRegistry registry, String route) {
    Timer timer = Timer.builder("tiergate.stream.chunk.gap")
        .description("Time between two writes of a stream to the client")
        .tags("route", route)
        .serviceLevelObjectives(ms(1), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1000), ms(5000))
        .register(registry);
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
