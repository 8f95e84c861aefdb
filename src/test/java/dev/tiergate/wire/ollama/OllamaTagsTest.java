package dev.tiergate.wire.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.support.OllamaTranscripts;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model list in Ollama's {@code /api/tags} shape, written and read. */
class OllamaTagsTest {

  @Test
  void theGatewaysListHasEveryFieldOllamaClientsRead() throws IOException {
    Buffer body = OllamaTags.body(List.of("local-fast", "cloud-smart"), Instant.parse("2025-01-02T03:04:05Z"));
    JsonNode first = JsonSupport.MAPPER.readTree(body.getBytes()).path("models").get(0);
    assertEquals(JsonSupport.MAPPER.readTree("{\"name\":\"local-fast\",\"model\":\"local-fast\","
        + "\"modified_at\":\"2025-01-02T03:04:05Z\",\"size\":0,\"digest\":\"\",\"details\":{\"parent_model\":\"\","
        + "\"format\":\"\",\"family\":\"\",\"families\":[],\"parameter_size\":\"\",\"quantization_level\":\"\"}}"),
        first);
    assertEquals(List.of("local-fast", "cloud-smart"), OllamaTags.modelNames(body));
    assertEquals("{\"models\":[]}", OllamaTags.body(List.of(), Instant.EPOCH).toString());
  }

  @Test
  void anUpstreamsListGivesItsModelNames() {
    assertEquals(List.of("llama3.2:latest", "qwen3:8b"),
        OllamaTags.modelNames(Buffer.buffer(OllamaTranscripts.tags())));
    assertEquals(List.of("old:7b"), OllamaTags.modelNames(Buffer.buffer("{\"models\":[{\"name\":\"old:7b\"}]}")));
    assertEquals(List.of(), OllamaTags.modelNames(Buffer.buffer("{\"models\":[]}")));
  }

  @Test
  void aMalformedListIsAnUpstreamFault() {
    for (String body : List.of("", "<html>", "{}", "{\"models\":{}}", "{\"models\":[{\"size\":1}]}")) {
      GatewayException error = assertThrows(GatewayException.class, () -> OllamaTags.modelNames(Buffer.buffer(body)));
      assertEquals("upstream_malformed_response", error.errorClass(), body);
    }
  }
}
