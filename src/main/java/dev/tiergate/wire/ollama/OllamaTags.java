package dev.tiergate.wire.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ollama's model list, {@code GET /api/tags}: the gateway answers it for Ollama clients (which list models before they
 * chat), and reads it from Ollama upstreams to check their health and find the models they hold.
 */
public final class OllamaTags {

  private OllamaTags() {
  }

  /**
   * The gateway's own {@code /api/tags} answer. The gateway holds no model files: size and digest are empty and the
   * details say nothing, which Ollama clients accept.
   *
   * @param modifiedAt the {@code modified_at} of every entry (when the model list was last loaded)
   */
  public static Buffer body(List<String> models, Instant modifiedAt) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode root = json.objectNode();
    ArrayNode list = root.putArray("models");
    for (String name : models) {
      ObjectNode model = list.addObject().put("name", name).put("model", name)
          .put("modified_at", modifiedAt.toString()).put("size", 0).put("digest", "");
      model.putObject("details").put("parent_model", "").put("format", "").put("family", "")
          .<ObjectNode>set("families", json.arrayNode()).put("parameter_size", "").put("quantization_level", "");
    }
    return Buffer.buffer(OllamaStreamEncoder.bytes(root));
  }

  /**
   * The model names in an upstream's {@code /api/tags} answer, in its order ({@code model}, or the older
   * {@code name}).
   *
   * @throws GatewayException (502 {@code upstream_malformed_response}) when the body is not a model list
   */
  public static List<String> modelNames(Buffer body) {
    JsonNode root;
    try {
      root = JsonSupport.MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      throw malformed();
    }
    JsonNode models = root == null ? null : root.get("models");
    if (models == null || !models.isArray()) {
      throw malformed();
    }
    List<String> names = new ArrayList<>();
    for (JsonNode model : models) {
      JsonNode name = model.path("model").isTextual() ? model.get("model") : model.path("name");
      if (!name.isTextual() || name.asText().isEmpty()) {
        throw malformed();
      }
      names.add(name.asText());
    }
    return names;
  }

  private static GatewayException malformed() {
    return GatewayException.badGateway("upstream_malformed_response", "The upstream's model list is malformed");
  }
}
