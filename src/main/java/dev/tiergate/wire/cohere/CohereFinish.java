package dev.tiergate.wire.cohere;

import dev.tiergate.http.GatewayException;
import dev.tiergate.provider.Redactor;
import dev.tiergate.wire.FinishReason;

/** Cohere v2 {@code finish_reason} values in the gateway's terms; shared by streamed and whole answers. */
final class CohereFinish {

  private CohereFinish() {
  }

  /**
   * Maps {@code reason}. COMPLETE after tool calls means the model waits for their results, so {@code toolCalls}
   * turns it into TOOL_USE.
   *
   * @param error the message Cohere sent with the reason, null when none
   * @throws GatewayException (502, {@code errorClass}) for ERROR: the generation failed upstream
   */
  static FinishReason read(String reason, boolean toolCalls, String error, String errorClass) {
    return switch (reason) {
      case "COMPLETE" -> toolCalls ? FinishReason.TOOL_USE : FinishReason.END_TURN;
      case "MAX_TOKENS" -> FinishReason.MAX_TOKENS;
      case "STOP_SEQUENCE" -> FinishReason.STOP_SEQUENCE;
      case "TOOL_CALL" -> FinishReason.TOOL_USE;
      case "ERROR_TOXIC" -> FinishReason.CONTENT_FILTER;
      case "ERROR" -> throw failed(error == null ? "the generation failed" : error, errorClass);
      default -> FinishReason.OTHER;
    };
  }

  static GatewayException failed(String message, String errorClass) {
    String prefix = errorClass.equals("upstream_stream_error") ? "The upstream reported an error mid-stream: "
        : "The upstream reported an error: ";
    return GatewayException.badGateway(errorClass, prefix + Redactor.clip(message));
  }
}
