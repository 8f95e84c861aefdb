package dev.tiergate.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A plain HTTP client for tests that need to see raw bytes, statuses and headers. */
public final class Http {

  /** A whole response. */
  public record Response(int status, MultiMap headers, Buffer body) {

    public JsonObject json() {
      return new JsonObject(body);
    }

    public String text() {
      return body.toString();
    }

    /** The {@code data:} payloads of an SSE body, in order. */
    public List<String> dataLines() {
      List<String> data = new ArrayList<>();
      for (String line : body.toString().split("\n")) {
        if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        }
      }
      return data;
    }

    /** The text of every content delta of an OpenAI stream, concatenated. */
    public String streamedText() {
      return streamedTextBefore(dataLines().size());
    }

    /** The streamed text of the first {@code count} data lines. */
    public String streamedTextBefore(int count) {
      StringBuilder text = new StringBuilder();
      for (String data : dataLines().subList(0, count)) {
        if (data.equals("[DONE]")) {
          continue;
        }
        JsonObject chunk = new JsonObject(data);
        if (chunk.containsKey("choices") && !chunk.getJsonArray("choices").isEmpty()) {
          String content = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content");
          if (content != null) {
            text.append(content);
          }
        }
      }
      return text.toString();
    }
  }

  private final HttpClient client;
  private final Context context;
  private final int port;

  public Http(Vertx vertx, int port) {
    this.client = vertx.createHttpClient();
    this.context = vertx.getOrCreateContext();
    this.port = port;
  }

  public Future<Response> post(String path, String body, String... headers) {
    return send(HttpMethod.POST, path, Buffer.buffer(body), headers);
  }

  public Future<Response> get(String path, String... headers) {
    return send(HttpMethod.GET, path, Buffer.buffer(), headers);
  }

  public Future<Response> send(HttpMethod method, String path, Buffer body, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    boolean typed = options.getHeaders() != null && options.getHeaders().contains("content-type");
    if (method == HttpMethod.POST && !typed) {
      options.putHeader("content-type", "application/json");
    }
    // The whole chain is built on one event loop: built from a test thread, the response (and its body) could arrive
    // before the body handler is attached, and the body would be lost.
    Promise<Response> result = Promise.promise();
    context.runOnContext(v -> client.request(options)
        .compose(req -> req.send(body).compose(resp -> resp.body()
            .map(b -> new Response(resp.statusCode(), resp.headers(), b))))
        .onComplete(result));
    return result.future();
  }

  /** A chat request body for {@code model} with one user message. */
  public static String chat(String model, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "Say hello"))).encode();
  }
}
