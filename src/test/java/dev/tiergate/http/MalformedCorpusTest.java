package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The malformed-input corpus ({@code src/test/resources/malformed/}) against the three chat endpoints of one gateway
 * (client key {@code k1}, 1 MiB body limit) whose upstream must see nothing: every case is a 4xx with a JSON error in
 * the endpoint's own format, never a 500, never a hang; the gateway stays healthy and its heap bounded afterwards.
 * Files under {@code any/} are wrong for every format and go to all three endpoints; {@code openai/},
 * {@code anthropic/} and {@code ollama/} hold wrong types of fields only that format has and go to its endpoint.
 * Big cases (10,000-deep nesting, a 50 MB string, oversized bodies) are generated here, never stored. Raw sockets
 * carry what an HTTP client would refuse or normalize: oversized heads, odd request lines, path spellings that must
 * never reach an admin handler, and bearer values that must all get the same 401.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MalformedCorpusTest {

  private static final long LIMIT = 1024 * 1024;
  private static final String KEY = "k1";
  private static final long FIFTY_MB = 50L * 1024 * 1024;
  private static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;
  private static final String VALID = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** A chat endpoint and the error shape its clients expect. */
  enum Endpoint {
    OPENAI("/v1/chat/completions", "openai"),
    ANTHROPIC("/v1/messages", "anthropic"),
    OLLAMA("/api/chat", "ollama");

    final String path;
    final String corpusDir;

    Endpoint(String path, String corpusDir) {
      this.path = path;
      this.corpusDir = corpusDir;
    }
  }

  /** One body sent to one endpoint. */
  record Case(String name, Endpoint endpoint, byte[] body) {
    @Override
    public String toString() {
      return name + " -> " + endpoint.path;
    }
  }

  private static Vertx vertx;
  private static Context context;
  private static FakeUpstream fake;
  private static TestGateway gateway;
  private static Http http;
  private static HttpClient client;
  private static NetClient net;
  private static long heapBefore;
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    fake = await(FakeUpstream.start(vertx));
    gateway = await(TestGateway.to(fake).maxBodyBytes(LIMIT).env("TIERGATE_CLIENT_KEYS", KEY).start(vertx));
    http = new Http(vertx, gateway.port());
    // A refused upload holds its connection until the gateway closes it (after a short linger): room for all of them.
    client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(32));
    net = vertx.createNetClient();
    LOGS.list = Collections.synchronizedList(new ArrayList<>());
    LOGS.start();
    ((Logger) LoggerFactory.getLogger("dev.tiergate")).addAppender(LOGS);
    // Warm the request path with a refused request (the upstream must stay untouched), then take the baseline.
    await(http.post(Endpoint.OPENAI.path, "{", "authorization", "Bearer " + KEY));
    heapBefore = heapUsedAfterGc();
  }

  @AfterAll
  static void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger("dev.tiergate")).detachAppender(LOGS);
    await(vertx.close());
  }

  static Stream<Case> storedCases() {
    Path root = resource("/malformed");
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String dir = root.relativize(file).getName(0).toString();
        for (Endpoint endpoint : Endpoint.values()) {
          if (dir.equals("any") || dir.equals(endpoint.corpusDir)) {
            cases.add(new Case(root.relativize(file).toString(), endpoint, Files.readAllBytes(file)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases.stream();
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("storedCases")
  void storedCaseIsRefusedInTheEndpointsFormat(Case c) throws Exception {
    assertRefused(c.endpoint(), 400, await(post(c.endpoint(), Buffer.buffer(c.body()))), c.toString());
  }

  static Stream<Case> deepCases() {
    String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
    String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    List<Case> cases = new ArrayList<>();
    for (Endpoint endpoint : Endpoint.values()) {
      cases.add(new Case("10,000-deep arrays as the body", endpoint, utf8(deepArrays)));
      cases.add(new Case("10,000-deep objects as the body", endpoint, utf8(deepObjects)));
      cases.add(new Case("10,000 unclosed arrays", endpoint, utf8("[".repeat(10_000))));
      cases.add(new Case("10,000-deep arrays in metadata", endpoint,
          utf8(VALID.substring(0, VALID.length() - 1) + ",\"metadata\":" + deepArrays + "}")));
      cases.add(new Case("10,000-deep objects as message content", endpoint,
          utf8("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":" + deepObjects + "}]}")));
    }
    return cases.stream();
  }

  @Order(2)
  @ParameterizedTest(name = "{0}")
  @MethodSource("deepCases")
  void deepNestingIsRefusedWithoutAStackOverflow(Case c) throws Exception {
    assertRefused(c.endpoint(), 400, await(post(c.endpoint(), Buffer.buffer(c.body()))), c.toString());
  }

  static Stream<Object[]> oversizedCases() {
    List<Object[]> cases = new ArrayList<>();
    for (Endpoint endpoint : Endpoint.values()) {
      for (long size : new long[] {LIMIT + 1, FIFTY_MB}) {
        cases.add(new Object[] {endpoint, size, false});
        cases.add(new Object[] {endpoint, size, true});
      }
    }
    return cases.stream();
  }

  /** A string value of {@code size - envelope} bytes, streamed: with Content-Length (refused before a byte is read) or
   * chunked (refused as it crosses the limit); either way the gateway never buffers more than the limit. */
  @Order(3)
  @ParameterizedTest(name = "{0} {1} bytes, chunked={2}")
  @MethodSource("oversizedCases")
  void oversizedBodyIsRefusedBySize(Endpoint endpoint, long size, boolean chunked) throws Exception {
    Http.Response answer = await(streamBody(endpoint, size, chunked));
    assertRefused(endpoint, 413, answer, endpoint + " " + size + (chunked ? " chunked" : " with Content-Length"));
  }

  @Order(4)
  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void declaredOversizeIsRefusedBeforeTheBodyIsSent(Endpoint endpoint) throws Exception {
    RawAnswer answer = await(raw("POST " + endpoint.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + FIFTY_MB + "\r\n\r\n"));
    assertEquals(413, answer.status(), answer.toString());
    assertErrorShape(endpoint, new JsonObject(answer.body()), answer.toString());
  }

  /** A refused upload does not hold its connection: the gateway closes it (after a short linger) by itself. */
  @Order(4)
  @Test
  void refusedUploadsConnectionIsClosedByTheGateway() throws Exception {
    String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: " + FIFTY_MB + "\r\n\r\n{\"model\":";
    RawAnswer answer = await(raw(head, true));
    assertEquals(413, answer.status(), "answered, then closed: " + answer);
  }

  /**
   * A client that gives up mid-body (a FIN, or a reset) is the client's doing: nothing reaches the upstream and
   * nothing is logged above DEBUG (checked with the rest in {@link #gatewayStaysHealthyAndItsHeapBounded}).
   */
  @Order(4)
  @ParameterizedTest(name = "reset={0}")
  @ValueSource(booleans = {false, true})
  void uploadAbandonedMidBodyIsNotAnError(boolean reset) throws Exception {
    NetClient abrupt = vertx.createNetClient(new NetClientOptions().setSoLinger(reset ? 0 : -1));
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> abrupt.connect(gateway.port(), "127.0.0.1").onSuccess(socket -> {
      socket.closeHandler(c -> closed.tryComplete());
      String head = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
      socket.write(head + "10\r\n{\"model\":\"gpt-4o\"\r\n").onComplete(w -> vertx.setTimer(50, id -> socket.close()));
    }).onFailure(closed::fail));
    await(closed.future());
    await(abrupt.close());
  }

  static Stream<Object[]> oversizedHeads() {
    String start = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY + "\r\n";
    String end = "Content-Type: application/json\r\nContent-Length: 1\r\n\r\n{";
    StringBuilder small = new StringBuilder();
    StringBuilder large = new StringBuilder();
    for (int i = 0; i < 1_000; i++) {
      small.append("X-F-").append(i).append(": v\r\n");
      large.append("X-Filler-").append(i).append(": ").append("f".repeat(100)).append("\r\n");
    }
    String big = "X-Big: " + "b".repeat(100 * 1024) + "\r\n";
    return Stream.of(new Object[] {"a 100 KiB header value", start + big + end},
        new Object[] {"1,000 headers past the head limit", start + large + end},
        new Object[] {"1,000 small headers", start + small + end},
        new Object[] {"a 100 KiB path", start.replace(" HTTP", "/" + "p".repeat(100 * 1024) + " HTTP") + end},
        new Object[] {"a 100 KiB query", start.replace(" HTTP", "?q=" + "q".repeat(100 * 1024) + " HTTP") + end});
  }

  /**
   * Vert.x refuses an oversized head itself, before any handler, with an empty body: 431 past the head limit, 414
   * past the request-line limit (measured with Vert.x 5.0.8). A head within the limits reaches the parser (400 for
   * the truncated body). A plain close would be acceptable too; a 5xx, a hang or the upstream would not.
   */
  @Order(5)
  @ParameterizedTest(name = "{0}")
  @MethodSource("oversizedHeads")
  void oversizedHeadIsRefusedOrClosed(String name, String request) throws Exception {
    RawAnswer answer = await(raw(request));
    assertTrue(Set.of(0, 400, 414, 431).contains(answer.status()), name + ": " + answer);
  }

  static Stream<String> oddRequestLines() {
    return Stream.of("GET * HTTP/1.1", "GET http://169.254.169.254/admin/status HTTP/1.1", "GET admin/status HTTP/1.1",
        "GET /%zz HTTP/1.1", "GET /v1/models%00 HTTP/1.1", "BREW /v1/chat/completions HTTP/1.1",
        "GET /admin/status HTTP/9.9", "GET /admin/status", "GET  /admin/status  HTTP/1.1", "\u0000\u0001\u0002");
  }

  /**
   * Any 4xx or a close. The one 5xx is Vert.x's own for an HTTP version it does not speak: it answers
   * {@code HTTP/9.9} with 501 (RFC 9110 would say 505) before the gateway sees the request.
   */
  @Order(6)
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("oddRequestLines")
  void oddRequestLineIsRefusedOrClosed(String line) throws Exception {
    RawAnswer answer = await(raw(line + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
        + "\r\nConnection: close\r\n\r\n"));
    boolean unknownVersion = line.endsWith("HTTP/9.9") && answer.status() == 501;
    assertTrue(answer.status() == 0 || answer.status() >= 400 && answer.status() < 500 || unknownVersion,
        line + ": " + answer);
    assertNoAdminAnswer(answer);
  }

  /** The spellings the issue names: 401 or 404, never an admin answer. */
  static Stream<String> adminSpellings() {
    return Stream.of("/v1/../admin/status", "/ADMIN/status", "/Admin/canary", "/admin%2fstatus", "/%61dmin/status",
        "/metrics", "/v1/chat/completions/../../admin/status", "/admin/status", "/admin/providers", "//admin/status",
        "/./admin/status", "/admin/status/", "/admin/status?x=1", "/%2e%2e/admin/status", "/v1/%2e%2e/admin/status",
        "/admin//status", "/%2561dmin/status");
  }

  /** No spelling of a path reaches an admin handler on the public port, with or without a client key. */
  @Order(7)
  @ParameterizedTest(name = "{0}")
  @MethodSource("adminSpellings")
  void adminPathSpellingNeverReachesAnAdminHandler(String path) throws Exception {
    for (RawAnswer answer : withAndWithoutKey(path)) {
      assertTrue(Set.of(401, 404).contains(answer.status()), path + ": " + answer);
    }
  }

  /** Spellings a server may also refuse as malformed (400): any 4xx will do, never an admin answer. */
  static Stream<String> oddAdminSpellings() {
    return Stream.of("/admin/status;x=1", "/admin\\status", "/admin/status%00", "/admin/status#x", "/admin%00/status",
        "/%41DMIN/status", "/admin/./status", "/adm%69n/status", "/\u00e0dmin/status");
  }

  @Order(7)
  @ParameterizedTest(name = "{0}")
  @MethodSource("oddAdminSpellings")
  void oddAdminSpellingIsRefused(String path) throws Exception {
    for (RawAnswer answer : withAndWithoutKey(path)) {
      assertTrue(answer.status() >= 400 && answer.status() < 500, path + ": " + answer);
    }
  }

  private static List<RawAnswer> withAndWithoutKey(String path) throws Exception {
    List<RawAnswer> answers = new ArrayList<>();
    for (String auth : new String[] {"", "Authorization: Bearer " + KEY + "\r\n"}) {
      long started = System.nanoTime();
      RawAnswer answer = await(raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
          + "Connection: close\r\n\r\n"));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertNoAdminAnswer(answer);
      assertTrue(elapsedMs < 2_000, path + " took " + elapsedMs + " ms");
      answers.add(answer);
    }
    return answers;
  }

  @Order(8)
  @Test
  void doubledSlashOnTheChatPathIsStillAuthenticated() throws Exception {
    RawAnswer answer = await(raw(chatRequest("//v1/chat/completions", "127.0.0.1", null, VALID)));
    assertEquals(401, answer.status(), answer.toString());
  }

  /** SQL metacharacters, {@code pg_sleep}, a 64 KiB token and odd Host values all get the one 401, quickly. */
  @Order(9)
  @Test
  void oddBearerValuesGetTheSame401Quickly() throws Exception {
    String reference = await(raw(chatRequest("/v1/chat/completions", "127.0.0.1", "Bearer wrong", VALID))).body();
    List<String[]> attempts = List.of(new String[] {"127.0.0.1", "Bearer ' OR 1=1 --"},
        new String[] {"127.0.0.1", "Bearer '; SELECT pg_sleep(5); --"},
        new String[] {"127.0.0.1", "Bearer \" OR \"\"=\""}, new String[] {"127.0.0.1", "Bearer k1' --"},
        new String[] {"127.0.0.1", "Bearer " + "k".repeat(64 * 1024)}, new String[] {"127.0.0.1", null},
        new String[] {"127.0.0.1", "Bearer "}, new String[] {"127.0.0.1", "Basic azE6"},
        new String[] {"evil.example", "Bearer nope"}, new String[] {"169.254.169.254:80", null},
        new String[] {"localhost:" + gateway.adminPort(), "Bearer nope"});
    for (String[] attempt : attempts) {
      RawAnswer answer = timed(chatRequest("/v1/chat/completions", attempt[0], attempt[1], VALID));
      String where = "Host " + attempt[0] + ", " + abbreviate(attempt[1]) + ": " + answer;
      assertEquals(401, answer.status(), where);
      assertEquals(reference, answer.body(), "one refusal for every bad key; " + where);
    }
  }

  /**
   * A Host value that is not an authority ({@code x/#}) is refused before anything else: Vert.x Web answers it with
   * 400 ahead of every handler, client auth included, as RFC 9112 §3.2 requires. So it gets 400, not the 401; never
   * a 500 and never further than the parser, whatever key comes with it.
   */
  @Order(9)
  @Test
  void hostThatIsNotAnAuthorityIsRefusedQuickly() throws Exception {
    for (String authorization : new String[] {null, "Bearer nope", "Bearer " + KEY}) {
      RawAnswer answer = timed(chatRequest("/v1/chat/completions", "x/#", authorization, VALID));
      String where = "Host x/#, " + authorization + ": " + answer;
      assertTrue(answer.status() == 400 || answer.status() == 401, where);
      assertErrorShape(Endpoint.OPENAI, new JsonObject(answer.body()), where);
    }
    RawAnswer anthropic = timed(chatRequest("/v1/messages", "x/#", "Bearer " + KEY, VALID));
    assertErrorShape(Endpoint.ANTHROPIC, new JsonObject(anthropic.body()), anthropic.toString());
    assertTrue(fake.requests().isEmpty());
  }

  private static RawAnswer timed(String request) throws Exception {
    long started = System.nanoTime();
    RawAnswer answer = await(raw(request));
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(elapsedMs < 2_000, abbreviate(request) + " took " + elapsedMs + " ms");
    return answer;
  }

  /** The corpus never reached the upstream; a normal request still succeeds on every endpoint; the heap is bounded. */
  @Order(10)
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void gatewayStaysHealthyAndItsHeapBounded() throws Exception {
    assertEquals(List.of(), fake.requests().stream().map(FakeUpstream.Recorded::path).toList(),
        "no malformed request may reach the upstream");
    synchronized (LOGS.list) {
      assertEquals(List.of(), LOGS.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(ILoggingEvent::getFormattedMessage).toList(), "every case is the client's mistake: no WARN or ERROR");
    }
    long heapAfter = heapUsedAfterGc();
    assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND, "heap grew by " + (heapAfter - heapBefore) / 1024 / 1024
        + " MiB across the corpus (bound " + HEAP_GROWTH_BOUND / 1024 / 1024 + " MiB)");
    for (Endpoint endpoint : Endpoint.values()) {
      String body = endpoint == Endpoint.OLLAMA ? VALID.replace("{\"model\"", "{\"stream\":false,\"model\"") : VALID;
      Http.Response answer = await(post(endpoint, Buffer.buffer(body)));
      assertEquals(200, answer.status(), endpoint + ": " + answer.text());
    }
    assertEquals(3, fake.requests().size());
  }

  private static Future<Http.Response> post(Endpoint endpoint, Buffer body) {
    return http.send(HttpMethod.POST, endpoint.path, body, "authorization", "Bearer " + KEY);
  }

  private static void assertRefused(Endpoint endpoint, int status, Http.Response answer, String where) {
    String text = answer.body().length() > 300 ? answer.body().getString(0, 300) + "…" : answer.text();
    where = where + ": " + answer.status() + " " + text;
    assertEquals(status, answer.status(), where);
    String type = answer.headers().get("content-type");
    assertTrue(type != null && type.startsWith("application/json"), where);
    assertErrorShape(endpoint, answer.json(), where);
    assertTrue(fake.requests().isEmpty(), "the upstream was called: " + where);
  }

  /** OpenAI {@code {"error":{…}}}, Anthropic {@code {"type":"error","error":{…}}}, Ollama {@code {"error":"…"}}. */
  private static void assertErrorShape(Endpoint endpoint, JsonObject json, String where) {
    switch (endpoint) {
      case OPENAI -> {
        JsonObject error = json.getJsonObject("error");
        assertTrue(error.getValue("message") instanceof String m && !m.isBlank(), where);
        assertTrue(error.getValue("type") instanceof String t && !t.isBlank(), where);
        assertTrue(error.containsKey("code"), where);
      }
      case ANTHROPIC -> {
        assertEquals("error", json.getString("type"), where);
        JsonObject error = json.getJsonObject("error");
        assertTrue(error.getValue("message") instanceof String m && !m.isBlank(), where);
        assertTrue(error.getValue("type") instanceof String t && !t.isBlank(), where);
      }
      case OLLAMA -> {
        assertEquals(Set.of("error"), json.fieldNames(), where);
        assertTrue(json.getValue("error") instanceof String m && !m.isBlank(), where);
      }
      default -> fail(where);
    }
    assertFalse(json.encode().contains("Exception"), "internals in the error: " + where);
  }

  private static void assertNoAdminAnswer(RawAnswer answer) {
    assertNotEquals(200, answer.status(), answer.toString());
    for (String adminOnly : new String[] {"uptimeMs", "# TYPE", "# HELP", "\"providers\"", "\"canary\""}) {
      assertFalse(answer.body().contains(adminOnly), "an admin answer on the public port: " + answer);
    }
  }

  private static String chatRequest(String path, String host, String authorization, String body) {
    byte[] bytes = utf8(body);
    return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
        + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + body;
  }

  /**
   * Sends {@code size} bytes of a chat body whose one string value fills it, 64 KiB at a time and only as fast as the
   * connection takes them; stops writing once the answer has come (the gateway answers and closes mid-body).
   */
  private static Future<Http.Response> streamBody(Endpoint endpoint, long size, boolean chunked) {
    Promise<Http.Response> answered = Promise.promise();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(gateway.port()).setURI(endpoint.path).putHeader("content-type", "application/json")
        .putHeader("authorization", "Bearer " + KEY);
    if (!chunked) {
      options.putHeader("content-length", Long.toString(size));
    }
    context.runOnContext(v -> client.request(options).onSuccess(request -> {
      request.setChunked(chunked);
      // Writes after the gateway has answered and closed fail; that is the expected end of the upload.
      request.exceptionHandler(e -> {
      });
      request.response().compose(response -> response.body()
              .map(body -> new Http.Response(response.statusCode(), response.headers(), body)))
          .onComplete(answered);
      new BodyPump(request, size, answered.future()).pump();
    }).onFailure(answered::fail));
    return answered.future();
  }

  /** Writes a generated body with backpressure until it is all written or an answer has arrived. */
  private static final class BodyPump {
    private static final byte[] FILL = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
    private final HttpClientRequest request;
    private final byte[] head = utf8("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"");
    private final byte[] tail = utf8("\"}]}");
    private final long size;
    private final Future<?> answered;
    private long written;

    BodyPump(HttpClientRequest request, long size, Future<?> answered) {
      this.request = request;
      this.size = size;
      this.answered = answered;
    }

    void pump() {
      while (!answered.isComplete() && written < size) {
        if (request.writeQueueFull()) {
          request.drainHandler(v -> pump());
          return;
        }
        request.write(Buffer.buffer(next()));
      }
      if (!answered.isComplete()) {
        request.end();
      }
    }

    private byte[] next() {
      byte[] chunk;
      if (written == 0) {
        chunk = head;
      } else if (size - written <= tail.length) {
        chunk = Arrays.copyOfRange(tail, (int) (tail.length - (size - written)), tail.length);
      } else {
        chunk = Arrays.copyOf(FILL, (int) Math.min(FILL.length, size - written - tail.length));
      }
      written += chunk.length;
      return chunk;
    }
  }

  /** An answer read off a raw socket: status 0 when the gateway closed the connection without answering. */
  record RawAnswer(int status, String head, String body) {
    @Override
    public String toString() {
      return status + " " + abbreviate(head.replace("\r\n", " | ")) + " " + abbreviate(body);
    }
  }

  /** Writes {@code request} as it is on a fresh connection; reads one answer, or the close. */
  private static Future<RawAnswer> raw(String request) {
    return raw(request, false);
  }

  /**
   * Like {@link #raw(String)}, but with {@code untilClosed} the answer is only returned once the gateway has closed
   * the connection (the client never does).
   */
  private static Future<RawAnswer> raw(String request, boolean untilClosed) {
    Promise<RawAnswer> answered = Promise.promise();
    Buffer received = Buffer.buffer();
    context.runOnContext(v -> net.connect(gateway.port(), "127.0.0.1").onSuccess(socket -> {
      socket.handler(bytes -> {
        received.appendBuffer(bytes);
        RawAnswer answer = parse(received);
        if (answer != null && !untilClosed && answered.tryComplete(answer)) {
          socket.close();
        }
      });
      socket.exceptionHandler(e -> answered.tryComplete(closedWith(received)));
      socket.closeHandler(c -> answered.tryComplete(closedWith(received)));
      socket.write(Buffer.buffer(request.getBytes(StandardCharsets.ISO_8859_1)));
    }).onFailure(answered::fail));
    return answered.future();
  }

  private static RawAnswer closedWith(Buffer received) {
    RawAnswer answer = parse(received);
    return answer != null ? answer : received.length() == 0 ? new RawAnswer(0, "(closed)", "")
        : new RawAnswer(statusOf(received.toString(StandardCharsets.ISO_8859_1)), received.toString(), "");
  }

  /** A whole answer (head and Content-Length body) from {@code received}, or null while it is incomplete. */
  private static RawAnswer parse(Buffer received) {
    String text = received.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return null;
    }
    String head = text.substring(0, end);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    int length = headers.contains("content-length") ? Integer.parseInt(headers.get("content-length")) : 0;
    if (received.length() < end + 4 + length) {
      return null;
    }
    return new RawAnswer(statusOf(head), head, received.getString(end + 4, end + 4 + length, "UTF-8"));
  }

  private static int statusOf(String head) {
    String[] parts = head.split(" ", 3);
    return parts.length > 1 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : 0;
  }

  private static long heapUsedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static String abbreviate(String value) {
    return value == null ? "(none)" : value.length() > 120 ? value.substring(0, 120) + "…(" + value.length() + ")"
        : value;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Path resource(String name) {
    try {
      return Path.of(MalformedCorpusTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
