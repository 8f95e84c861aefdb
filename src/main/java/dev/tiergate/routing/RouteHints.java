package dev.tiergate.routing;

/**
 * What a request says about where it should go; all fields may be null.
 *
 * @param model   the request's {@code model} field
 * @param tier    {@code X-Tiergate-Tier}
 * @param purpose {@code X-Tiergate-Purpose}
 */
public record RouteHints(String model, String tier, String purpose) {
}
