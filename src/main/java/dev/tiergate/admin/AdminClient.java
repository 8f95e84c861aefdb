package dev.tiergate.admin;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The CLI's side of the admin API ({@code TIERGATE_ADMIN_URL}, bearer {@code TIERGATE_ADMIN_TOKEN}). Blocking: it runs
 * in the CLI process, never on an event loop.
 */
public final class AdminClient {

  /** An admin answer: its status and JSON body. */
  public record Answer(int status, JsonObject body) {
  }

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public AdminClient(Map<String, String> env) {
    this.base = URI.create(env.getOrDefault("TIERGATE_ADMIN_URL", "http://127.0.0.1:8081").replaceAll("/+$", ""));
    this.token = env.get("TIERGATE_ADMIN_TOKEN");
  }

  /** A connection failure in words (the JDK's often has no message). */
  static String describe(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  public Answer post(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  public Answer post(String path, JsonObject body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /**
   * GETs {@code path} for a CLI command: the JSON body of a 2xx answer, or null after printing to {@code err} why
   * there is none (admin API unreachable, or its refusal with the reason it gave).
   */
  public JsonObject fetch(String path, String command, PrintWriter err) throws InterruptedException {
    Answer answer;
    try {
      answer = get(path);
    } catch (IOException e) {
      err.println("tiergate: cannot reach the admin API: " + describe(e));
      return null;
    }
    if (answer.status() / 100 != 2) {
      err.println("tiergate: " + command + " failed (" + answer.status() + "): "
          + answer.body().getJsonObject("error", new JsonObject()).getString("message", "no reason given"));
      return null;
    }
    return answer.body();
  }

  public Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    request.timeout(Duration.ofSeconds(15)).header("accept", "application/json");
    if (token != null && !token.isBlank()) {
      request.header("authorization", "Bearer " + token.trim());
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String body = response.body();
    JsonObject json = body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
    return new Answer(response.statusCode(), json);
  }
}
