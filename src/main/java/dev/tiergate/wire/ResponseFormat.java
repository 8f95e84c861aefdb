package dev.tiergate.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The shape the answer must take.
 *
 * @param kind   TEXT, JSON_OBJECT (any JSON object) or JSON_SCHEMA (an object following {@code schema})
 * @param name   the schema's name (OpenAI requires one), null for the other kinds
 * @param schema the JSON Schema for {@link Kind#JSON_SCHEMA}, else null
 */
public record ResponseFormat(Kind kind, String name, ObjectNode schema) {

  /** What the answer is. */
  public enum Kind { TEXT, JSON_OBJECT, JSON_SCHEMA }

  public static final ResponseFormat TEXT = new ResponseFormat(Kind.TEXT, null, null);
  public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Kind.JSON_OBJECT, null, null);

  public ResponseFormat {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.JSON_SCHEMA) {
      Objects.requireNonNull(schema, "schema");
    }
  }

  public boolean json() {
    return kind != Kind.TEXT;
  }
}
