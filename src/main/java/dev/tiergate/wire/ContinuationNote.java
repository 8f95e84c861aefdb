package dev.tiergate.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a stream that another model finished tells the client in its last frame (as a {@code tiergate} object, where
 * the format allows one): that the answer was continued, from which model, after which failure, and that the usage
 * it reports is the sum of both calls.
 *
 * @param fromModel registry key of the model whose stream broke off
 * @param cause     the error class of that failure ({@code upstream_stream_cut}, …)
 */
public record ContinuationNote(String fromModel, String cause) {

  /** The {@code tiergate} object naming {@code model}, the model that finished the answer. */
  public ObjectNode json(String model) {
    return JsonNodeFactory.instance.objectNode().put("continued", true).put("continued_from", fromModel)
        .put("model", model).put("cause", cause).put("usage_combined", true);
  }
}
