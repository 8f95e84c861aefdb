package dev.tiergate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code tiergate providers|models|usage} against an in-process fake admin API that answers canned JSON and records
 * what each command asked for.
 */
@ExtendWith(VertxExtension.class)
class OperatorCommandsTest {

  private static final String TOKEN = "s3cret-admin-token";

  private static final JsonObject PROVIDERS = new JsonObject("""
      {"providers":[
        {"name":"anthropic","family":"anthropic","baseUrl":"https://api.anthropic.com","local":false,
         "keyConfigured":true,"health":{"status":"up","latencyMs":12.4,"checkedAt":"2026-11-22T06:59:00Z",
         "detail":null,"models":["claude-sonnet-4-20250514"]},
         "circuits":{"claude-sonnet-4-20250514":"open","claude-haiku-3-5-20241022":"half_open","a":"closed",
         "b":"closed"},
         "registryModels":["claude-haiku-3-5-20241022","claude-sonnet-4-20250514"]},
        {"name":"ollama","family":"ollama","baseUrl":"http://127.0.0.1:11434","local":true,"keyConfigured":false,
         "health":{"status":"unknown","latencyMs":-1,"checkedAt":null,"detail":null,"models":[]},
         "circuits":{},"registryModels":[]},
        {"name":"openai","family":"openai","baseUrl":"https://api.openai.com","local":false,"keyConfigured":true,
         "health":{"status":"down","latencyMs":230.6,"checkedAt":"2026-11-22T06:59:00Z","detail":"HTTP 503",
         "models":[]},
         "circuits":{"gpt-4o":"closed"},"registryModels":["gpt-4o","gpt-4o-mini","o3"]}]}
      """);

  private static final JsonObject MODELS = new JsonObject("""
      {"models":[
        {"model":"gpt-4o","provider":"openai","upstreamModel":"gpt-4o","tier":"sonnet","local":false,
         "stripThinking":false,"providerStatus":"up","contextTokens":128000,
         "price":{"inputPer1k":0.0025,"outputPer1k":0.01}},
        {"model":"gpt-4o-mini","provider":"openai","upstreamModel":"gpt-4o-mini","tier":"haiku","local":false,
         "stripThinking":false,"providerStatus":"up","contextTokens":128000,
         "price":{"inputPer1k":0.00015,"outputPer1k":0.0006}},
        {"model":"gemini-2.5-pro","provider":"gemini","upstreamModel":"gemini-2.5-pro","tier":"opus","local":false,
         "stripThinking":true,"providerStatus":"down","contextTokens":1048576,
         "price":{"inputPer1k":3,"outputPer1k":0.015}},
        {"model":"llama3.1","provider":"ollama","upstreamModel":"llama3.1:8b","tier":"haiku","local":true,
         "stripThinking":false,"providerStatus":"up","installed":false,"contextTokens":null,
         "price":{"inputPer1k":0,"outputPer1k":0}}]}
      """);

  private static final JsonObject USAGE = new JsonObject("""
      {"source":"database","by":"provider","since":"2026-11-22T05:00:00Z","until":"2026-11-22T07:00:00Z",
       "rows":[
         {"key":"anthropic","requests":10,"errors":1,"partial":1,"estimated":2,"promptTokens":1234,
          "completionTokens":5678,"costUsd":0.012345},
         {"key":"openai","requests":1200,"errors":0,"partial":0,"estimated":0,"promptTokens":1234567,
          "completionTokens":89,"costUsd":1.5}],
       "total":{"requests":1210,"errors":1,"partial":1,"estimated":2,"promptTokens":1235801,"completionTokens":5767,
          "costUsd":1.512345}}
      """);

  /** A canned answer of the fake admin API. */
  private record Canned(int status, String body) {
  }

  /** What a command sent. */
  private record Seen(String path, String query, String authorization) {
  }

  /** A finished command: its exit code and what it printed. */
  private record Run(int exit, String out, String err) {
  }

  private final Map<String, Canned> answers = new ConcurrentHashMap<>();
  private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
  private int port;

  @BeforeEach
  void listen(Vertx vertx) throws Exception {
    answers.put("/admin/providers", new Canned(200, PROVIDERS.encode()));
    answers.put("/admin/models", new Canned(200, MODELS.encode()));
    answers.put("/admin/usage", new Canned(200, USAGE.encode()));
    port = vertx.createHttpServer().requestHandler(this::answer).listen(0).await(10, TimeUnit.SECONDS).actualPort();
  }

  private void answer(HttpServerRequest request) {
    seen.add(new Seen(request.path(), request.query(), request.getHeader("authorization")));
    Canned canned = answers.getOrDefault(request.path(), new Canned(404, "{\"error\":{\"message\":\"no route\"}}"));
    request.response().setStatusCode(canned.status()).putHeader("content-type", "application/json").end(canned.body());
  }

  @Test
  void providersShowHealthLatencyCircuitsAndModelCounts() {
    Run run = run(ProvidersCommand::new, env());
    assertEquals(0, run.exit(), run.err());
    assertEquals("", run.err());
    assertEquals("""
        NAME       FAMILY     LOCAL  STATUS   LATENCY  CIRCUIT                         MODELS
        anthropic  anthropic  no     up          12ms  open(1) half_open(1) closed(2)       2
        ollama     ollama     yes    unknown        -  closed                               0
        openai     openai     no     down       231ms  closed                               3
        """, run.out());
    assertEquals(List.of(new Seen("/admin/providers", null, "Bearer " + TOKEN)), List.copyOf(seen));
  }

  @Test
  void modelsShowContextPricesAndStatus() {
    Run run = run(ModelsCommand::new, env());
    assertEquals(0, run.exit(), run.err());
    List<List<String>> lines = run.out().lines().map(line -> List.of(line.split(" {2,}"))).toList();
    assertEquals(List.of(
        List.of("MODEL", "PROVIDER", "TIER", "LOCAL", "CONTEXT", "IN/1K", "OUT/1K", "STATUS"),
        List.of("gpt-4o", "openai", "sonnet", "no", "128k", "$0.0025", "$0.01", "up"),
        List.of("gpt-4o-mini", "openai", "haiku", "no", "128k", "$0.00015", "$0.0006", "up"),
        List.of("gemini-2.5-pro", "gemini", "opus", "no", "1049k", "$3.00", "$0.015", "down"),
        List.of("llama3.1", "ollama", "haiku", "yes", "-", "free", "free", "up (not installed)")), lines);
    assertTrue(run.out().lines().allMatch(line -> line.equals(line.stripTrailing())), "no trailing blanks");
    assertEquals("/admin/models", seen.remove().path());
  }

  @Test
  void usageSendsItsOptionsUrlEncodedAndEndsWithTheTotal() {
    Run run = run(UsageCommand::new, env(), "--since", "2026-11-22T06:00:00+01:00", "--by", "provider",
        "--source", "database");
    assertEquals(0, run.exit(), run.err());
    assertEquals("since=2026-11-22T06%3A00%3A00%2B01%3A00&by=provider&source=database", seen.remove().query());
    assertEquals("""
        usage by provider since 2026-11-22T05:00:00Z (source: database)
        PROVIDER   REQUESTS  ERRORS  PROMPT_TOKENS  COMPLETION_TOKENS  COST_USD
        anthropic        10       1          1,234              5,678  0.012345
        openai        1,200       0      1,234,567                 89  1.500000
        TOTAL         1,210       1      1,235,801              5,767  1.512345
        """, run.out());
  }

  @Test
  void usageWithoutOptionsSendsNoQueryAndNoRowsLeaveOnlyTheTotal() {
    answers.put("/admin/usage", new Canned(200, """
        {"source":"memory","by":"model","since":"2026-11-22T06:00:00Z","until":"2026-11-22T07:00:00Z","rows":[],
         "total":{"requests":0,"errors":0,"partial":0,"estimated":0,"promptTokens":0,"completionTokens":0,
         "costUsd":0.0}}
        """));
    Run run = run(UsageCommand::new, env());
    assertEquals(0, run.exit(), run.err());
    assertNull(seen.remove().query());
    assertEquals("""
        usage by model since 2026-11-22T06:00:00Z (source: memory)
        MODEL  REQUESTS  ERRORS  PROMPT_TOKENS  COMPLETION_TOKENS  COST_USD
        TOTAL         0       0              0                  0  0.000000
        """, run.out());
  }

  @Test
  void jsonPrintsTheAdminAnswerAsParseableJson() {
    assertEquals(PROVIDERS, new JsonObject(run(ProvidersCommand::new, env(), "--json").out()));
    assertEquals(MODELS, new JsonObject(run(ModelsCommand::new, env(), "--json").out()));
    Run usage = run(UsageCommand::new, env(), "--json", "--by", "provider");
    assertEquals(0, usage.exit(), usage.err());
    assertEquals(USAGE, new JsonObject(usage.out()));
  }

  @Test
  void aRefusalExitsOneWithTheAdminApisMessage() {
    String refusal = "{\"error\":{\"type\":\"unauthorized\",\"message\":\"missing or wrong admin token\"}}";
    answers.replaceAll((path, canned) -> new Canned(401, refusal));
    for (Function<Map<String, String>, Object> command : List.<Function<Map<String, String>, Object>>of(
        ProvidersCommand::new, ModelsCommand::new, UsageCommand::new)) {
      Run run = run(command, env(), "--json");
      assertEquals(1, run.exit());
      assertEquals("", run.out());
      assertTrue(run.err().startsWith("tiergate: ") && run.err().contains("(401): missing or wrong admin token"),
          run.err());
    }
    answers.put("/admin/usage", new Canned(503, "{}"));
    Run run = run(UsageCommand::new, env());
    assertEquals(1, run.exit());
    assertEquals("tiergate: usage failed (503): no reason given\n", run.err());
  }

  @Test
  void anUnreachableAdminApiExitsOne() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Map<String, String> env = Map.of("TIERGATE_ADMIN_URL", "http://127.0.0.1:" + closed);
    for (Function<Map<String, String>, Object> command : List.<Function<Map<String, String>, Object>>of(
        ProvidersCommand::new, ModelsCommand::new, UsageCommand::new)) {
      Run run = run(command, env);
      assertEquals(1, run.exit());
      assertEquals("", run.out());
      assertTrue(run.err().startsWith("tiergate: cannot reach the admin API: "), run.err());
    }
  }

  @Test
  void withoutATokenNoAuthorizationIsSent() {
    assertEquals(0, run(ModelsCommand::new, Map.of("TIERGATE_ADMIN_URL", "http://127.0.0.1:" + port + "/")).exit());
    assertNull(seen.remove().authorization());
  }

  @Test
  void tablesRightAlignNumericColumnsAndPrintTheFooterLast() {
    String table = new Table("name", "count", "note").row("a", "5", "x").row("bbbb", "1,234", "")
        .footer("TOTAL", "1,239", "-").render();
    assertEquals("""
        NAME   COUNT  NOTE
        a          5  x
        bbbb   1,234
        TOTAL  1,239  -""", table);
    assertThrows(IllegalArgumentException.class, () -> new Table("a", "b").row("only one"));
  }

  private Map<String, String> env() {
    return Map.of("TIERGATE_ADMIN_URL", "http://127.0.0.1:" + port, "TIERGATE_ADMIN_TOKEN", TOKEN);
  }

  private static Run run(Function<Map<String, String>, Object> command, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(command.apply(env)).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
