package dev.tiergate.http;

import dev.tiergate.wire.StreamPosition;

/**
 * What a client received of an answer that broke off, for another model to continue it: the text so far and where
 * the client's stream stands.
 *
 * @param text the answer's text as the client received it (possibly empty)
 * @param at   the position of the client's stream
 */
record Resume(String text, StreamPosition at) {
}
