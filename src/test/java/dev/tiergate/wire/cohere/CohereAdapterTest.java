package dev.tiergate.wire.cohere;

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
import dev.tiergate.provider.CohereAdapter;
import dev.tiergate.provider.Framing;
import dev.tiergate.provider.UpstreamRequest;
import dev.tiergate.routing.Target;
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
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Cohere adapter's upstream requests. */
class CohereAdapterTest {

  private static final String KEY = "co-test-key-0123456789";
  private final CohereAdapter adapter = new CohereAdapter();

  @Test
  void requestGoesToV2ChatWithABearerKeyAndTheUpstreamModel() throws Exception {
    UpstreamRequest request = prepare("https://api.cohere.com", true);
    RequestOptions options = request.options();
    assertEquals("/v2/chat", options.getURI());
    assertEquals("api.cohere.com", options.getHost());
    assertTrue(options.isSsl());
    assertEquals("Bearer " + KEY, options.getHeaders().get("authorization"));
    assertEquals("text/event-stream", options.getHeaders().get("accept"));
    assertEquals(Framing.SSE, adapter.framing());
    JsonNode body = JsonSupport.MAPPER.readTree(request.body().getBytes());
    assertEquals("command-a-03-2025", body.get("model").asText());
    assertTrue(body.get("stream").asBoolean());
    assertEquals("hello", body.at("/messages/0/content").asText());
  }

  @Test
  void wholeAnswersAskForJsonUnderTheBasePath() {
    RequestOptions options = prepare("http://cohere-proxy.internal:9000/api/", false).options();
    assertEquals("/api/v2/chat", options.getURI());
    assertEquals("application/json", options.getHeaders().get("accept"));
    assertNull(options.getHeaders().get("x-goog-api-key"));
    assertFalse(options.getURI().contains(KEY));
  }

  @Test
  void errorsUseCoheresMessageAndNeverTheKey() {
    GatewayException error = adapter.mapError(provider("https://api.cohere.com"), 400,
        MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{\"message\":\"invalid request: messages is empty\"}"));
    assertEquals("upstream_rejected", error.errorClass());
    assertTrue(error.getMessage().contains("messages is empty"), error.getMessage());
    GatewayException echoed = adapter.mapError(provider("https://api.cohere.com"), 500,
        MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{\"message\":\"bad key " + KEY + "\"}"));
    assertFalse(echoed.getMessage().contains(KEY), echoed.getMessage());
  }

  private UpstreamRequest prepare(String baseUrl, boolean stream) {
    Conversation conversation = new Conversation(null, List.of(new Turn(Turn.Role.USER,
        List.of(new Part.Text("hello")))), List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT, stream);
    ChatRequest request = new ChatRequest(ClientFormat.OPENAI, JsonNodeFactory.instance.objectNode(), "smart", stream,
        false, null, Lazy.of(conversation));
    Target target = new Target(new ModelConfig("smart", "cohere", "command-a-03-2025", Tier.SONNET, List.of(), false,
        false, 0, 0, 0),
        provider(baseUrl));
    return adapter.prepare(request, target, MultiMap.caseInsensitiveMultiMap(), "req-2");
  }

  private static ProviderConfig provider(String baseUrl) {
    return new ProviderConfig("cohere", ProviderFamily.COHERE, URI.create(baseUrl), Optional.of(new Secret(KEY)),
        new ProviderTimeouts(1000, 1000, 1000, 1000), 4, false, false, false);
  }
}
