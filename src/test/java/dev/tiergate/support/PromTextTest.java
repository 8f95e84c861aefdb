package dev.tiergate.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PromText} on a real Micrometer scrape, on the format's corner cases, and on malformed input. */
class PromTextTest {

  private static final String ESCAPED = "a\"b\\c\nd";

  @Test
  void readsARealMicrometerScrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("tiergate.requests").description("Requests \\ by \"provider\"\nper provider")
        .tag("provider", ESCAPED).register(registry).increment(3);
    Counter.builder("tiergate.requests").tag("provider", "openai").register(registry).increment();
    Timer timer = Timer.builder("tiergate.upstream.latency").tag("provider", "openai")
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100)).register(registry);
    timer.record(Duration.ofMillis(5));
    timer.record(Duration.ofMillis(50));
    timer.record(Duration.ofMillis(500));
    AtomicInteger inflight = new AtomicInteger(7);
    Gauge.builder("tiergate.inflight", inflight, AtomicInteger::get).register(registry);

    PromText scrape = PromText.parse(registry.scrape());

    assertEquals(Optional.of("counter"), scrape.type("tiergate_requests_total"));
    assertEquals(Optional.of("histogram"), scrape.type("tiergate_upstream_latency_seconds"));
    assertEquals(Optional.of("gauge"), scrape.type("tiergate_inflight"));
    assertEquals(Optional.of("Requests \\ by \"provider\"\nper provider"), scrape.help("tiergate_requests_total"));
    assertEquals(3.0, scrape.sum("tiergate_requests_total", Map.of("provider", ESCAPED)));
    assertEquals(4.0, scrape.sum("tiergate_requests_total", Map.of()));
    String bucket = "tiergate_upstream_latency_seconds_bucket";
    assertEquals(1.0, scrape.sum(bucket, Map.of("provider", "openai", "le", "0.01")));
    assertEquals(2.0, scrape.sum(bucket, Map.of("provider", "openai", "le", "0.1")));
    assertEquals(3.0, scrape.sum(bucket, Map.of("provider", "openai", "le", "+Inf")));
    assertEquals(3.0, scrape.sum("tiergate_upstream_latency_seconds_count", Map.of("provider", "openai")));
    assertEquals(0.555, scrape.sum("tiergate_upstream_latency_seconds_sum", Map.of()), 1e-9);
    assertEquals(7.0, scrape.sum("tiergate_inflight", Map.of()));
    assertEquals(0.0, scrape.sum("tiergate_requests_total", Map.of("provider", "nobody")));
  }

  @Test
  void readsTheFormatsCornerCases() {
    PromText text = PromText.parse("""
        # A plain comment, then a blank line.

        # HELP empty_help
        # TYPE weird:name_total counter
          weird:name_total{path="C:\\\\tmp",quote="say \\"hi\\"",nl="a\\nb",} 1.5e3 1700000000000
        \tspaced { a = "1" , b="2" }   -2E-2\t
        nan_value NaN
        up_value{} +Inf -12
        down_value -Inf
        frac .5
        untyped_value 42
        """);
    List<PromText.Sample> samples = text.samples();
    assertEquals(7, samples.size());
    assertEquals(new PromText.Sample("weird:name_total", Map.of("path", "C:\\tmp", "quote", "say \"hi\"", "nl",
        "a\nb"), 1500), samples.get(0));
    assertEquals(List.of("path", "quote", "nl"), List.copyOf(samples.get(0).labels().keySet()), "label order kept");
    assertEquals(new PromText.Sample("spaced", Map.of("a", "1", "b", "2"), -0.02), samples.get(1));
    assertTrue(Double.isNaN(samples.get(2).value()));
    assertEquals(Double.POSITIVE_INFINITY, samples.get(3).value());
    assertEquals(Map.of(), samples.get(3).labels());
    assertEquals(Double.NEGATIVE_INFINITY, samples.get(4).value());
    assertEquals(0.5, samples.get(5).value());
    assertEquals(Optional.of("counter"), text.type("weird:name_total"));
    assertEquals(Optional.of(""), text.help("empty_help"));
    assertEquals(Optional.empty(), text.type("untyped_value"), "samples without a TYPE are allowed");
    assertEquals(0, PromText.parse("").samples().size());
  }

  @Test
  void sumAddsTheSamplesWhoseLabelsIncludeTheMatch() {
    PromText text = PromText.parse("""
        calls_total{provider="a",outcome="ok"} 3
        calls_total{provider="a",outcome="error"} 1
        calls_total{provider="b",outcome="ok"} 5
        calls_total_other{provider="a",outcome="ok"} 100
        """);
    assertEquals(9.0, text.sum("calls_total", Map.of()));
    assertEquals(4.0, text.sum("calls_total", Map.of("provider", "a")));
    assertEquals(8.0, text.sum("calls_total", Map.of("outcome", "ok")));
    assertEquals(3.0, text.sum("calls_total", Map.of("provider", "a", "outcome", "ok")));
    assertEquals(0.0, text.sum("calls_total", Map.of("provider", "c")));
    assertEquals(0.0, text.sum("calls", Map.of()), "exact names only");
  }

  static Stream<Arguments> malformed() {
    String ok = "# TYPE ok counter\nok 1\n";
    return Stream.of(
        Arguments.of(ok + "x\n", 3, "no value"),
        Arguments.of(ok + "x 1x\n", 3, "bad value"),
        Arguments.of(ok + "x Infinity\n", 3, "bad value"),
        Arguments.of(ok + "x inf\n", 3, "bad value"),
        Arguments.of(ok + "x 0x1p3\n", 3, "bad value"),
        Arguments.of(ok + "x 1d\n", 3, "bad value"),
        Arguments.of(ok + "x 1\r\n", 3, "bad value"),
        Arguments.of(ok + "x 1 2 3\n", 3, "expected a value and an optional timestamp"),
        Arguments.of(ok + "x 1 1.5\n", 3, "bad timestamp"),
        Arguments.of(ok + "x{a=\"b} 1\n", 3, "unexpected end of line"),
        Arguments.of(ok + "x{a=\"b\\t\"} 1\n", 3, "invalid escape"),
        Arguments.of(ok + "x{a\"b\"} 1\n", 3, "expected '='"),
        Arguments.of(ok + "x{a=b} 1\n", 3, "expected '\"'"),
        Arguments.of(ok + "x{a=\"b\" c=\"d\"} 1\n", 3, "expected '}'"),
        Arguments.of(ok + "x{a=\"b\"\n", 3, "expected '}'"),
        Arguments.of(ok + "x{a=\"1\",a=\"2\"} 1\n", 3, "appears twice"),
        Arguments.of(ok + "x{1a=\"b\"} 1\n", 3, "bad label name"),
        Arguments.of(ok + "1x 1\n", 3, "bad metric name"),
        Arguments.of(ok + "x-y 1\n", 3, "expected a blank"),
        Arguments.of(ok + "# TYPE ok gauge\n", 3, "a second TYPE"),
        Arguments.of(ok + "# TYPE x countr\n", 3, "unknown type"),
        Arguments.of(ok + "# TYPE x counter extra\n", 3, "unexpected text after the type"),
        Arguments.of(ok + "# TYPE x\n", 3, "unexpected end of line"),
        Arguments.of(ok + "# HELP x a\n# HELP x b\n", 4, "a second HELP"),
        Arguments.of(ok + "# HELP x bad \\t escape\n", 3, "invalid escape"),
        Arguments.of(ok + "x 1\n# TYPE x gauge\n", 4, "comes after its samples"),
        Arguments.of(ok + "h_bucket{le=\"1\"} 1\n# TYPE h histogram\n", 4, "comes after its samples"),
        Arguments.of(ok + "x 1", 3, "does not end with"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void rejectsMalformedInputWithTheLineNumber(String text, int line, String problem) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromText.parse(text));
    assertTrue(e.getMessage().startsWith("line " + line + ": ") && e.getMessage().contains(problem), e.getMessage());
  }
}
