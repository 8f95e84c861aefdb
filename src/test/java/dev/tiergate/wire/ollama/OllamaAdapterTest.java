package dev.tiergate.wire.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.config.ModelConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.config.ProviderTimeouts;
import dev.tiergate.config.Secret;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.provider.Framing;
import dev.tiergate.provider.OllamaAdapter;
import dev.tiergate.provider.UpstreamRequest;
import dev.tiergate.routing.Target;
import dev.tiergate.routing.Tier;
import dev.tiergate.support.OllamaTranscripts;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.FinishReason;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Ollama provider adapter: where requests go, with which body and headers, and how answers are read. */
class OllamaAdapterTest {

  private static final String BODY = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
      + "\"keep_alive\":\"10m\",\"options\":{\"num_ctx\":8192,\"temperature\":0.1}}";

  private final OllamaAdapter adapter = new OllamaAdapter();

  private static Target target(String baseUrl, Optional<Secret> key, boolean stripThinking) {
    ProviderConfig provider = new ProviderConfig("ollama", ProviderFamily.OLLAMA, URI.create(baseUrl), key,
        new ProviderTimeouts(1_000, 30_000, 30_000, 600_000), 8, false, true, false);
    return new Target(new ModelConfig("local-fast", "ollama", "qwen3:8b", Tier.HAIKU, List.of(), stripThinking,
        true, 0, 0, 0),
        provider);
  }

  private static ChatRequest request(String body) {
    return new OllamaClientCodec().parse(Buffer.buffer(body));
  }

  private static JsonNode json(Buffer buffer) throws IOException {
    return JsonSupport.MAPPER.readTree(buffer.getBytes());
  }

  @Test
  void anOllamaClientsBodyPassesThroughWithTheModelSwappedAndStreamSpelledOut() throws IOException {
    UpstreamRequest upstream = adapter.prepare(request(BODY), target("http://localhost:11434", Optional.empty(),
        false), MultiMap.caseInsensitiveMultiMap(), "req-1");
    assertEquals(JsonSupport.MAPPER.readTree("{\"model\":\"qwen3:8b\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}],\"keep_alive\":\"10m\",\"options\":{\"num_ctx\":8192,\"temperature\":0.1},"
        + "\"stream\":true}"), json(upstream.body()));
    assertEquals(HttpMethod.POST, upstream.options().getMethod());
    assertEquals("localhost", upstream.options().getHost());
    assertEquals(11434, upstream.options().getPort());
    assertFalse(upstream.options().isSsl());
    assertEquals("/api/chat", upstream.options().getURI());
    MultiMap headers = upstream.options().getHeaders();
    assertEquals("application/x-ndjson", headers.get("accept"));
    assertEquals("application/json", headers.get("content-type"));
    assertEquals("identity", headers.get("accept-encoding"));
    assertEquals("req-1", headers.get("x-request-id"));
    assertNull(headers.get("authorization"));
  }

  @Test
  void aNonStreamedCallSaysSoAndAKeyIsSentWhenConfigured() throws IOException {
    UpstreamRequest upstream = adapter.prepare(request(BODY.replace("{\"model\"", "{\"stream\":false,\"model\"")),
        target("https://ollama.example.com/proxy/", Optional.of(new Secret("ol-key")), false),
        MultiMap.caseInsensitiveMultiMap(), "req-2");
    assertFalse(json(upstream.body()).path("stream").asBoolean(true));
    assertEquals("/proxy/api/chat", upstream.options().getURI());
    assertEquals(443, upstream.options().getPort());
    assertTrue(upstream.options().isSsl());
    assertEquals("application/json", upstream.options().getHeaders().get("accept"));
    assertEquals("Bearer ol-key", upstream.options().getHeaders().get("authorization"));
  }

  @Test
  void aModelWhoseThinkingIsStrippedGetsABodyWrittenFromTheConversation() throws IOException {
    UpstreamRequest upstream = adapter.prepare(request(BODY), target("http://localhost:11434", Optional.empty(), true),
        MultiMap.caseInsensitiveMultiMap(), "req-3");
    assertEquals(JsonSupport.MAPPER.readTree("{\"model\":\"qwen3:8b\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}],\"stream\":true,\"options\":{\"temperature\":0.1}}"), json(upstream.body()));
  }

  @Test
  void streamsAreNdjsonDecodedByTheOllamaDecoderAndAnswersByTheOllamaReader() {
    assertEquals(Framing.NDJSON, adapter.framing());
    assertTrue(adapter.newDecoder(null) instanceof OllamaStreamDecoder);
    assertEquals(FinishReason.TOOL_USE,
        adapter.readCompletion(Buffer.buffer(OllamaTranscripts.toolCallCompletion())).finishReason());
  }

  @Test
  void ollamasErrorBodiesMapToTheGatewaysErrors() {
    ProviderConfig provider = target("http://localhost:11434", Optional.empty(), false).provider();
    GatewayException missing = adapter.mapError(provider, 404, MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer(OllamaTranscripts.modelNotFound("qwen3:8b")));
    assertEquals(404, missing.status());
    assertEquals("model 'qwen3:8b' not found", missing.getMessage());
    GatewayException failed = adapter.mapError(provider, 500, MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer("{\"error\":\"llama runner process has terminated\"}"));
    assertEquals("upstream_status_500", failed.errorClass());
    assertTrue(failed.retryable());
  }
}
