package dev.tiergate.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated OpenAI Chat Completions request. The body is kept as parsed so that every field the gateway does not
 * know reaches the upstream unchanged.
 *
 * @param body              the parsed request; adapters copy what they need
 * @param model             the {@code model} field, null when absent
 * @param stream            whether the client asked for a stream
 * @param clientWantsUsage  whether the client asked for the usage chunk ({@code stream_options.include_usage})
 * @param user              the OpenAI {@code user} field, null when absent
 */
public record ChatRequest(ObjectNode body, String model, boolean stream, boolean clientWantsUsage, String user) {
}
