package dev.tiergate.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema made acceptable to Gemini's {@code Schema} (an OpenAPI subset) for function parameters and
 * {@code responseSchema}: Gemini rejects the whole request ("Invalid JSON payload received. Unknown name …") when a
 * schema carries a keyword it does not know, so those are removed at every level. Property names are data, not
 * keywords: a property called {@code additionalProperties} survives.
 */
final class GeminiSchema {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> REJECTED = Set.of("$schema", "additionalProperties", "$id", "$comment");
  /** Keywords whose value is a subschema or an array of subschemas. */
  private static final Set<String> SUBSCHEMAS = Set.of("items", "anyOf", "oneOf", "allOf", "not", "prefixItems");
  /** Keywords whose value maps names to subschemas. */
  private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions");

  private GeminiSchema() {
  }

  /** A cleaned deep copy of {@code schema}; the input is not modified. */
  static ObjectNode clean(ObjectNode schema) {
    return (ObjectNode) cleanSchema(schema);
  }

  /**
   * Whether the schema describes an object without properties. Gemini refuses such a {@code parameters} ("properties:
   * should be non-empty for OBJECT type"); a function without arguments must leave {@code parameters} out.
   */
  static boolean isEmptyObject(ObjectNode schema) {
    JsonNode type = schema.get("type");
    boolean object = type == null || "object".equals(type.asText());
    JsonNode properties = schema.get("properties");
    boolean noProperties = properties == null || properties.isEmpty();
    return object && noProperties && !schema.has("anyOf") && !schema.has("oneOf") && !schema.has("allOf");
  }

  private static JsonNode cleanSchema(JsonNode node) {
    if (node.isArray()) {
      ArrayNode out = JSON.arrayNode();
      node.forEach(item -> out.add(cleanSchema(item)));
      return out;
    }
    if (!node.isObject()) {
      return node.deepCopy();
    }
    ObjectNode out = JSON.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (REJECTED.contains(key)) {
        continue;
      }
      if (SCHEMA_MAPS.contains(key) && value.isObject()) {
        ObjectNode map = out.putObject(key);
        value.fields().forEachRemaining(entry -> map.set(entry.getKey(), cleanSchema(entry.getValue())));
      } else if (SUBSCHEMAS.contains(key)) {
        out.set(key, cleanSchema(value));
      } else {
        out.set(key, value.deepCopy());
      }
    }
    return out;
  }
}
