package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Fixture;
import dev.tiergate.support.Http;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad request is a 4xx with an OpenAI error body, never a 500, and never reaches the upstream; the gateway keeps
 * serving afterwards. The gateway under test has a 4 KiB body limit and client keys {@code k1,k2}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class BadInputTest {

  private static final int LIMIT = 4096;
  private static final String[] KEY = {"authorization", "Bearer k1"};
  private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  /** One bad request and what the gateway must answer. */
  record BadInput(String name, HttpMethod method, String path, Buffer body, int status, String code,
                  String... headers) {

    static BadInput post(String name, String body, int status, String code) {
      return new BadInput(name, HttpMethod.POST, "/v1/chat/completions", Buffer.buffer(body), status, code, KEY);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private FakeUpstream fake;
  private TestGateway gateway;
  private Http http;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    Fixture.start(vertx, gw -> gw.maxBodyBytes(LIMIT).env("TIERGATE_CLIENT_KEYS", "k1,k2"))
        .onSuccess(f -> {
          fake = f.fake();
          gateway = f.gateway();
          http = f.http();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  static Stream<BadInput> badInputs() {
    List<BadInput> all = new ArrayList<>();
    String bad = "invalid_request";
    String json = "invalid_json";
    all.add(BadInput.post("truncated JSON", "{\"model\":\"gpt-4o\"," + MESSAGES.substring(0, 20), 400, json));
    all.add(BadInput.post("not JSON at all", "hello there", 400, json));
    all.add(BadInput.post("empty body", "", 400, json));
    all.add(BadInput.post("whitespace body", "  \n ", 400, json));
    all.add(BadInput.post("JSON array body", "[{\"role\":\"user\",\"content\":\"hi\"}]", 400, bad));
    all.add(BadInput.post("JSON string body", "\"hi\"", 400, bad));
    all.add(BadInput.post("JSON null body", "null", 400, bad));
    all.add(BadInput.post("trailing garbage", "{" + MESSAGES + "} {}", 400, json));
    all.add(BadInput.post("duplicate key", "{\"model\":\"gpt-4o\",\"model\":\"o1\"," + MESSAGES + "}", 400, json));
    all.add(new BadInput("invalid UTF-8", HttpMethod.POST, "/v1/chat/completions", Buffer.buffer("{" + MESSAGES
        + ",\"user\":\"").appendBytes(new byte[] {(byte) 0xff, (byte) 0xfe}).appendString("\"}"), 400, json, KEY));
    all.add(BadInput.post("messages as string", "{\"model\":\"gpt-4o\",\"messages\":\"hi\"}", 400, bad));
    all.add(BadInput.post("messages as object", "{\"model\":\"gpt-4o\",\"messages\":{\"role\":\"user\"}}", 400, bad));
    all.add(BadInput.post("missing messages", "{\"model\":\"gpt-4o\"}", 400, bad));
    all.add(BadInput.post("null messages", "{\"model\":\"gpt-4o\",\"messages\":null}", 400, bad));
    all.add(BadInput.post("empty messages", "{\"model\":\"gpt-4o\",\"messages\":[]}", 400, bad));
    all.add(BadInput.post("message not an object", "{\"model\":\"gpt-4o\",\"messages\":[\"hi\"]}", 400, bad));
    all.add(BadInput.post("null message", "{\"model\":\"gpt-4o\",\"messages\":[null]}", 400, bad));
    all.add(BadInput.post("message without role",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"content\":\"hi\"}]}", 400, bad));
    all.add(BadInput.post("role not a string",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":1,\"content\":\"hi\"}]}", 400, bad));
    all.add(BadInput.post("unknown role",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", 400, bad));
    all.add(BadInput.post("content a number",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", 400, bad));
    all.add(BadInput.post("stream as string", "{\"model\":\"gpt-4o\",\"stream\":\"true\"," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("stream as number", "{\"model\":\"gpt-4o\",\"stream\":1," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("model as number", "{\"model\":4," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("model as object", "{\"model\":{\"name\":\"gpt-4o\"}," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("temperature above 2", "{\"model\":\"gpt-4o\",\"temperature\":2.5," + MESSAGES + "}",
        400, bad));
    all.add(BadInput.post("temperature negative", "{\"model\":\"gpt-4o\",\"temperature\":-0.1," + MESSAGES + "}",
        400, bad));
    all.add(BadInput.post("temperature as string", "{\"model\":\"gpt-4o\",\"temperature\":\"hot\"," + MESSAGES + "}",
        400, bad));
    all.add(BadInput.post("temperature overflowing", "{\"model\":\"gpt-4o\",\"temperature\":1e999," + MESSAGES + "}",
        400, bad));
    all.add(BadInput.post("max_tokens zero", "{\"model\":\"gpt-4o\",\"max_tokens\":0," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("max_tokens fraction", "{\"model\":\"gpt-4o\",\"max_tokens\":1.5," + MESSAGES + "}",
        400, bad));
    all.add(BadInput.post("n as string", "{\"model\":\"gpt-4o\",\"n\":\"2\"," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("stream_options as string",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":\"usage\"," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("include_usage as string", "{\"model\":\"gpt-4o\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":\"yes\"}," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("tools as object", "{\"model\":\"gpt-4o\",\"tools\":{}," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("response_format as string",
        "{\"model\":\"gpt-4o\",\"response_format\":\"json\"," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("user as number", "{\"model\":\"gpt-4o\",\"user\":7," + MESSAGES + "}", 400, bad));
    all.add(BadInput.post("nesting deeper than 64", "{\"model\":\"gpt-4o\"," + MESSAGES + ",\"metadata\":{\"x\":"
        + "[".repeat(100) + "]".repeat(100) + "}}", 400, json));
    all.add(BadInput.post("number longer than the parser accepts",
        "{\"model\":\"gpt-4o\",\"max_tokens\":" + "9".repeat(1500) + "," + MESSAGES + "}", 400, json));
    all.add(BadInput.post("unknown model", "{\"model\":\"gpt-17-ultra\"," + MESSAGES + "}", 404, "model_not_found"));
    all.add(BadInput.post("unknown tier", "{\"model\":\"tier:mega\"," + MESSAGES + "}", 404, "model_not_found"));
    all.add(BadInput.post("unknown purpose", "{\"model\":\"purpose:fun\"," + MESSAGES + "}", 404, "model_not_found"));
    all.add(BadInput.post("body over the limit (Content-Length)", "{\"model\":\"gpt-4o\"," + MESSAGES
        + ",\"user\":\"" + "x".repeat(LIMIT) + "\"}", 413, "request_too_large"));
    all.add(new BadInput("unknown path", HttpMethod.POST, "/v1/chat/complete", Buffer.buffer("{}"), 404,
        "not_found", KEY));
    all.add(new BadInput("unknown root path", HttpMethod.GET, "/", Buffer.buffer(), 404, "not_found", KEY));
    all.add(new BadInput("legacy completions path", HttpMethod.POST, "/v1/completions",
        Buffer.buffer("{\"model\":\"gpt-4o\",\"prompt\":\"hi\"}"), 404, "not_found", KEY));
    all.add(new BadInput("GET on the completions path", HttpMethod.GET, "/v1/chat/completions", Buffer.buffer(),
        405, "method_not_allowed", KEY));
    String good = "{\"model\":\"gpt-4o\"," + MESSAGES + "}";
    all.add(new BadInput("no client key", HttpMethod.POST, "/v1/chat/completions", Buffer.buffer(good), 401,
        "invalid_api_key"));
    all.add(new BadInput("wrong bearer key", HttpMethod.POST, "/v1/chat/completions", Buffer.buffer(good), 401,
        "invalid_api_key", "authorization", "Bearer k3"));
    all.add(new BadInput("key of another case", HttpMethod.POST, "/v1/chat/completions", Buffer.buffer(good), 401,
        "invalid_api_key", "authorization", "Bearer K1"));
    all.add(new BadInput("prefix of a key", HttpMethod.POST, "/v1/chat/completions", Buffer.buffer(good), 401,
        "invalid_api_key", "authorization", "Bearer k"));
    all.add(new BadInput("empty bearer", HttpMethod.POST, "/v1/chat/completions", Buffer.buffer(good), 401,
        "invalid_api_key", "authorization", "Bearer "));
    all.add(new BadInput("basic scheme", HttpMethod.POST, "/v1/chat/completions", Buffer.buffer(good), 401,
        "invalid_api_key", "authorization", "Basic k1"));
    all.add(new BadInput("wrong x-api-key", HttpMethod.POST, "/v1/chat/completions", Buffer.buffer(good), 401,
        "invalid_api_key", "x-api-key", "nope"));
    all.add(new BadInput("no key on the models list", HttpMethod.GET, "/v1/models", Buffer.buffer(), 401,
        "invalid_api_key"));
    all.add(new BadInput("no key and a body over the limit", HttpMethod.POST, "/v1/chat/completions",
        Buffer.buffer("{\"user\":\"" + "x".repeat(LIMIT) + "\"}"), 401, "invalid_api_key"));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void refusedWithAnOpenAiErrorAndTheUpstreamNeverCalled(BadInput input, VertxTestContext ctx) {
    http.send(input.method(), input.path(), input.body(), input.headers())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertRefused(input, response);
          assertTrue(fake.requests().isEmpty(), "the upstream was called");
          ctx.completeNow();
        })));
  }

  @Test
  void gatewaySurvivesEveryBadInputAndThenServesAGoodRequest(VertxTestContext ctx) {
    Future<Void> chain = Future.succeededFuture();
    for (BadInput input : badInputs().toList()) {
      chain = chain.compose(v -> http.send(input.method(), input.path(), input.body(), input.headers())
          .map(response -> {
            assertRefused(input, response);
            return null;
          }));
    }
    chain.compose(v -> http.post("/v1/chat/completions", Http.chat("gpt-4o", false), "x-api-key", "k2"))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.status(), response.text());
          assertEquals("hello", response.json().getJsonArray("choices").getJsonObject(0)
              .getJsonObject("message").getString("content"));
          assertEquals(1, fake.requests().size());
          ctx.completeNow();
        })));
  }

  @Test
  void rightKeysPass(VertxTestContext ctx) {
    String body = Http.chat("gpt-4o", false);
    http.post("/v1/chat/completions", body, "authorization", "Bearer k1")
        .compose(r1 -> http.post("/v1/chat/completions", body, "authorization", "Bearer k2").map(r2 -> List.of(r1, r2)))
        .compose(rs -> http.post("/v1/chat/completions", body, "authorization", "bearer k2").map(r3 -> add(rs, r3)))
        .compose(rs -> http.post("/v1/chat/completions", body, "x-api-key", "k1").map(r4 -> add(rs, r4)))
        .compose(rs -> http.get("/v1/models", "x-api-key", "k2").map(r5 -> add(rs, r5)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          for (Http.Response response : responses) {
            assertEquals(200, response.status(), response.text());
          }
          assertEquals(4, fake.requests().size());
          ctx.completeNow();
        })));
  }

  @Test
  void bodyJustUnderTheLimitIsAccepted(VertxTestContext ctx) {
    String prefix = "{\"model\":\"gpt-4o\"," + MESSAGES + ",\"user\":\"";
    String body = prefix + "u".repeat(LIMIT - prefix.length() - 2) + "\"}";
    assertEquals(LIMIT, body.length());
    http.post("/v1/chat/completions", body, KEY)
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.status(), response.text());
          assertEquals(1, fake.requests().size());
          ctx.completeNow();
        })));
  }

  @Test
  void chunkedBodyOverTheLimitIsRefusedBeforeTheClientFinishesSendingIt(Vertx vertx, VertxTestContext ctx) {
    HttpClient client = vertx.createHttpClient();
    client.request(chatOptions().addHeader("authorization", "Bearer k1"))
        .compose(request -> {
          request.setChunked(true);
          writeChunks(request, "{\"model\":\"gpt-4o\"," + MESSAGES + ",\"user\":\"", 3, 2000);
          // Never ended: the answer must come while the body is still open.
          return request.response();
        })
        .compose(response -> response.body().map(body -> new Http.Response(response.statusCode(),
            response.headers(), body)))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertRefused(BadInput.post("chunked over the limit", "", 413, "request_too_large"), response);
          assertTrue(fake.requests().isEmpty());
          ctx.completeNow();
        })));
  }

  @Test
  void chunkedBodyWithoutAKeyIsRefusedBeforeTheClientFinishesSendingIt(Vertx vertx, VertxTestContext ctx) {
    HttpClient client = vertx.createHttpClient();
    client.request(chatOptions())
        .compose(request -> {
          request.setChunked(true);
          writeChunks(request, "{\"model\":\"gpt-4o\",", 1, 100);
          return request.response();
        })
        .compose(response -> response.body().map(body -> new Http.Response(response.statusCode(),
            response.headers(), body)))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertRefused(BadInput.post("chunked without key", "", 401, "invalid_api_key"), response);
          assertTrue(fake.requests().isEmpty());
          ctx.completeNow();
        })));
  }

  @Test
  void chunkedBodyUnderTheLimitIsAccepted(Vertx vertx, VertxTestContext ctx) {
    HttpClient client = vertx.createHttpClient();
    String body = "{\"model\":\"gpt-4o\"," + MESSAGES + ",\"user\":\"" + "u".repeat(3000) + "\"}";
    client.request(chatOptions().addHeader("authorization", "Bearer k2"))
        .compose(request -> {
          request.setChunked(true);
          for (int i = 0; i < body.length(); i += 700) {
            request.write(body.substring(i, Math.min(body.length(), i + 700)));
          }
          return request.end().compose(v -> request.response());
        })
        .compose(response -> response.body().map(b -> new Http.Response(response.statusCode(), response.headers(), b)))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.status(), response.text());
          assertEquals("u".repeat(3000), fake.lastRequest().body().getString("user"));
          ctx.completeNow();
        })));
  }

  @Test
  void parserLimitsAreNamedForWhatTheyAre(VertxTestContext ctx) {
    String deep = "{\"model\":\"gpt-4o\"," + MESSAGES + ",\"metadata\":{\"x\":" + "[".repeat(100) + "]".repeat(100)
        + "}}";
    String longNumber = "{\"model\":\"gpt-4o\",\"max_tokens\":" + "9".repeat(1500) + "," + MESSAGES + "}";
    http.post("/v1/chat/completions", deep, KEY)
        .compose(r1 -> http.post("/v1/chat/completions", longNumber, KEY).map(r2 -> List.of(r1, r2)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          String nested = responses.get(0).json().getJsonObject("error").getString("message");
          String number = responses.get(1).json().getJsonObject("error").getString("message");
          assertTrue(nested.contains("nested deeper than 64"), nested);
          assertFalse(number.contains("nested"), number);
          ctx.completeNow();
        })));
  }

  private RequestOptions chatOptions() {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.port())
        .setURI("/v1/chat/completions").addHeader("content-type", "application/json");
  }

  private static void writeChunks(HttpClientRequest request, String start, int count, int size) {
    // The gateway closes the connection after refusing; the unfinished request then fails, as expected.
    request.exceptionHandler(e -> {
    });
    request.write(start + "x".repeat(size - start.length()));
    for (int i = 1; i < count; i++) {
      request.write("x".repeat(size));
    }
  }

  private static void assertRefused(BadInput input, Http.Response response) {
    String where = input.name() + ": " + response.status() + " " + response.text();
    assertEquals(input.status(), response.status(), where);
    assertTrue(response.status() >= 400 && response.status() < 500, where);
    assertTrue(response.headers().get("content-type").startsWith("application/json"), where);
    JsonObject error = response.json().getJsonObject("error");
    assertNotNull(error, where);
    assertTrue(error.getValue("message") instanceof String message && !message.isBlank(), where);
    assertTrue(error.getValue("type") instanceof String type && !type.isBlank(), where);
    assertTrue(error.containsKey("code"), where);
    if (input.code() != null) {
      assertEquals(input.code(), error.getString("code"), where);
    }
    assertFalse(error.getString("message").contains("Exception"), where);
  }

  private static <T> List<T> add(List<T> list, T item) {
    List<T> out = new ArrayList<>(list);
    out.add(item);
    return out;
  }
}
