package dev.tiergate.wire.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.config.ProviderTimeouts;
import dev.tiergate.config.Secret;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.Framing;
import dev.tiergate.provider.GeminiAdapter;
import dev.tiergate.provider.UpstreamRequest;
import dev.tiergate.routing.Target;
import dev.tiergate.routing.Tier;
import dev.tiergate.support.GeminiTranscripts;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientFormat;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Lazy;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.Turn;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Gemini adapter's upstream requests: where they go, and that the key travels only in its header. */
class GeminiAdapterTest {

  private static final String KEY = "AIzaSyD-test-key-0123456789abcdef";
  private final GeminiAdapter adapter = new GeminiAdapter();

  @Test
  void streamingRequestGoesToStreamGenerateContentWithTheKeyInAHeaderOnly() throws Exception {
    UpstreamRequest request = prepare("https://generativelanguage.googleapis.com", "gemini-2.5-flash", true);
    RequestOptions options = request.options();
    assertEquals(HttpMethod.POST, options.getMethod());
    assertEquals("generativelanguage.googleapis.com", options.getHost());
    assertEquals(443, options.getPort());
    assertTrue(options.isSsl());
    assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", options.getURI());
    assertFalse(options.getURI().contains(KEY));
    assertFalse(options.getURI().contains("key="));
    assertEquals(KEY, options.getHeaders().get("x-goog-api-key"));
    assertNull(options.getHeaders().get("authorization"));
    assertEquals("text/event-stream", options.getHeaders().get("accept"));
    assertEquals("application/json", options.getHeaders().get("content-type"));
    assertEquals("req-1", options.getHeaders().get("x-request-id"));
    assertEquals("00-abc-def-01", options.getHeaders().get("traceparent"));
    assertEquals(Framing.SSE, adapter.framing());
    JsonNode body = JsonSupport.MAPPER.readTree(request.body().getBytes());
    assertEquals("hello", body.at("/contents/0/parts/0/text").asText());
    assertFalse(body.has("model"), "the model is in the URL");
    assertFalse(request.body().toString().contains(KEY));
  }

  @Test
  void wholeAnswerGoesToGenerateContentUnderTheBasePath() {
    RequestOptions options = prepare("http://gemini-proxy.internal:8080/google/", "gemini-2.5-pro", false).options();
    assertEquals("/google/v1beta/models/gemini-2.5-pro:generateContent", options.getURI());
    assertEquals(8080, options.getPort());
    assertFalse(options.isSsl());
    assertEquals("application/json", options.getHeaders().get("accept"));
    assertEquals(KEY, options.getHeaders().get("x-goog-api-key"));
  }

  @Test
  void theModelNameCannotChangeThePathOrTheMethod() {
    String uri = prepare("https://generativelanguage.googleapis.com", "../x:generateContent?key=a b#f", true)
        .options().getURI();
    assertEquals("/v1beta/models/..%2Fx%3AgenerateContent%3Fkey%3Da%20b%23f:streamGenerateContent?alt=sse", uri);
  }

  @Test
  void aBadKeyIsTheGatewaysProblemNotTheClients() {
    GatewayException error = adapter.mapError(provider("https://generativelanguage.googleapis.com"), 400,
        MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(GeminiTranscripts.invalidKeyError()));
    assertEquals("upstream_auth", error.errorClass());
    assertEquals(502, error.status());
    GatewayException rejected = adapter.mapError(provider("https://generativelanguage.googleapis.com"), 400,
        MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{\"error\":{\"code\":400,\"message\":\"bad schema\","
            + "\"status\":\"INVALID_ARGUMENT\"}}"));
    assertEquals("upstream_rejected", rejected.errorClass());
    assertTrue(rejected.getMessage().contains("bad schema"));
  }

  private UpstreamRequest prepare(String baseUrl, String model, boolean stream) {
    Conversation conversation = new Conversation(null, List.of(new Turn(Turn.Role.USER,
        List.of(new Part.Text("hello")))), List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT, stream);
    ChatRequest request = new ChatRequest(ClientFormat.OPENAI, JsonNodeFactory.instance.objectNode(), "fast", stream,
        false, null, Lazy.of(conversation));
    Target target = new Target(new ModelConfig("fast", "gemini", model, Tier.HAIKU, List.of(), false, false, 0, 0, 0),
        provider(baseUrl));
    MultiMap forward = MultiMap.caseInsensitiveMultiMap().add("traceparent", "00-abc-def-01");
    return adapter.prepare(request, target, forward, "req-1");
  }

  private static ProviderConfig provider(String baseUrl) {
    return new ProviderConfig("gemini", ProviderFamily.GEMINI, URI.create(baseUrl), Optional.of(new Secret(KEY)),
        new ProviderTimeouts(1000, 1000, 1000, 1000), 4, false, false, false);
  }
}
