package dev.tiergate.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.config.ProviderTimeouts;
import dev.tiergate.config.Secret;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.AnthropicAdapter;
import dev.tiergate.provider.Framing;
import dev.tiergate.provider.UpstreamRequest;
import dev.tiergate.routing.Target;
import dev.tiergate.support.AnthropicTranscripts;
import dev.tiergate.routing.Tier;
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
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Anthropic adapter's upstream requests: where they go, their headers, and passthrough versus translation. */
class AnthropicAdapterTest {

  private static final String KEY = "sk-ant-api03-test-key";

  private final AnthropicAdapter adapter = new AnthropicAdapter();

  private static Target target(String baseUrl, boolean stripThinking) {
    ProviderConfig provider = new ProviderConfig("anthropic", ProviderFamily.ANTHROPIC, URI.create(baseUrl),
        Optional.of(new Secret(KEY)), new ProviderTimeouts(1_000, 2_000, 3_000, 4_000), 4, true, false, false);
    return new Target(new ModelConfig("smart", "anthropic", "claude-sonnet-4-5", Tier.SONNET, List.of(),
        stripThinking, true, 0, 0, 0), provider);
  }

  private static JsonNode json(Buffer buffer) {
    try {
      return JsonSupport.MAPPER.readTree(buffer.getBytes());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ChatRequest anthropicRequest(String body) {
    return ClientFormat.ANTHROPIC.codec().parse(Buffer.buffer(body));
  }

  @Test
  void requestsGoToTheMessagesEndpointWithAnthropicsHeaders() {
    MultiMap forward = MultiMap.caseInsensitiveMultiMap().add("traceparent", "00-abc-def-01");
    UpstreamRequest request = adapter.prepare(anthropicRequest("{\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Hi\"}]}"), target("https://api.anthropic.com", false), forward, "req-1");
    RequestOptions options = request.options();
    assertEquals(HttpMethod.POST, options.getMethod());
    assertEquals("api.anthropic.com", options.getHost());
    assertEquals(443, options.getPort());
    assertTrue(options.isSsl());
    assertEquals("/v1/messages", options.getURI());
    assertEquals(1_000, options.getConnectTimeout());
    MultiMap headers = options.getHeaders();
    assertEquals(KEY, headers.get("x-api-key"));
    assertEquals("2023-06-01", headers.get("anthropic-version"));
    assertEquals("application/json", headers.get("content-type"));
    assertEquals("text/event-stream", headers.get("accept"));
    assertEquals("identity", headers.get("accept-encoding"));
    assertEquals("tiergate/0.1", headers.get("user-agent"));
    assertEquals("req-1", headers.get("x-request-id"));
    assertEquals("00-abc-def-01", headers.get("traceparent"));
    assertNull(headers.get("authorization"));
    assertEquals(1, forward.size(), "the caller's headers are left as they were");
    assertEquals(Framing.SSE, adapter.framing());
  }

  @Test
  void aBasePathIsKeptInFrontOfTheEndpoint() {
    UpstreamRequest request = adapter.prepare(anthropicRequest("{\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"Hi\"}]}"), target("http://localhost:8089/proxy/anthropic/", false), MultiMap.caseInsensitiveMultiMap(),
        "r");
    assertEquals("/proxy/anthropic/v1/messages", request.options().getURI());
    assertEquals(8089, request.options().getPort());
    assertFalse(request.options().isSsl());
    assertEquals("application/json", request.options().getHeaders().get("accept"));
  }

  @Test
  void anAnthropicClientsBodyPassesThroughWithTheModelSwappedAndMaxTokensDefaulted() {
    String body = "{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\","
        + "\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBER\"}}]}],"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"top_k\":5}";
    ChatRequest request = anthropicRequest(body);
    JsonNode sent = json(adapter.prepare(request, target("https://api.anthropic.com", false),
        MultiMap.caseInsensitiveMultiMap(), "r").body());
    ObjectNode expected = (ObjectNode) json(Buffer.buffer(body));
    expected.put("model", "claude-sonnet-4-5").put("max_tokens", 4096);
    assertEquals(expected, sent);
    assertEquals("smart", request.body().get("model").asText(), "the client's body is not changed");
    assertFalse(request.body().has("max_tokens"));
    JsonNode withMax = json(adapter.prepare(anthropicRequest("{\"max_tokens\":50,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Hi\"}]}"), target("https://api.anthropic.com", false), MultiMap.caseInsensitiveMultiMap(),
        "r").body());
    assertEquals(50, withMax.get("max_tokens").asInt());
  }

  @Test
  void anotherFormatsRequestIsWrittenFromTheConversation() {
    Conversation conversation = new Conversation("Be brief.",
        List.of(new Turn(Turn.Role.USER, List.of(new Part.Text("Hi")))), List.of(), ToolChoice.AUTO,
        new Sampling(64, 0.2, null, List.of()), ResponseFormat.TEXT, true);
    ChatRequest openAi = new ChatRequest(ClientFormat.OPENAI, JsonNodeFactory.instance.objectNode()
        .put("model", "smart"), "smart", true, false, null, Lazy.of(conversation));
    JsonNode sent = json(adapter.prepare(openAi, target("https://api.anthropic.com", false),
        MultiMap.caseInsensitiveMultiMap(), "r").body());
    assertEquals(json(Buffer.buffer("""
        {"model":"claude-sonnet-4-5","max_tokens":64,"system":"Be brief.",
         "messages":[{"role":"user","content":"Hi"}],"temperature":0.2,"stream":true}
        """)), sent);
  }

  @Test
  void aModelWhoseThinkingIsStrippedIsTranslatedEvenForAnthropicClients() {
    ChatRequest request = anthropicRequest("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"top_k\":5}");
    JsonNode sent = json(adapter.prepare(request, target("https://api.anthropic.com", true),
        MultiMap.caseInsensitiveMultiMap(), "r").body());
    assertFalse(sent.has("top_k"), sent.toString());
    assertEquals(4096, sent.get("max_tokens").asInt());
  }

  @Test
  void upstreamErrorsAreMappedWithoutTheKey() {
    ProviderConfig provider = target("https://api.anthropic.com", false).provider();
    GatewayException overloaded = adapter.mapError(provider, 529, MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer(AnthropicTranscripts.errorBody("overloaded_error", "Overloaded")));
    assertEquals(502, overloaded.status());
    assertTrue(overloaded.retryable());
    assertTrue(overloaded.getMessage().contains("Overloaded"), overloaded.getMessage());
    GatewayException leaked = adapter.mapError(provider, 400, MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer(AnthropicTranscripts.errorBody("invalid_request_error", "bad " + KEY)));
    assertFalse(leaked.getMessage().contains(KEY), leaked.getMessage());
  }
}
