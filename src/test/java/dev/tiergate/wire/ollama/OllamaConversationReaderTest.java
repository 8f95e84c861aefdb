package dev.tiergate.wire.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.Turn;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ollama chat bodies read into the gateway's conversation. */
class OllamaConversationReaderTest {

  private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAG0AAABmCAYAAADBPx";

  private static Conversation read(String json) {
    ChatRequest request = new OllamaClientCodec().parse(Buffer.buffer(json));
    return request.conversation();
  }

  @Test
  void systemMessagesAreJoinedAndTheRestBecomeTurns() {
    Conversation conversation = read("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"why is the sky blue?\"},"
        + "{\"role\":\"assistant\",\"content\":\"due to rayleigh scattering.\"},"
        + "{\"role\":\"system\",\"content\":\"Answer in French.\"},"
        + "{\"role\":\"user\",\"content\":\"how is that different than mie scattering?\"}],\"stream\":false}");
    assertEquals("Be brief.\n\nAnswer in French.", conversation.system());
    assertEquals(List.of(
        new Turn(Turn.Role.USER, List.of(new Part.Text("why is the sky blue?"))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text("due to rayleigh scattering."))),
        new Turn(Turn.Role.USER, List.of(new Part.Text("how is that different than mie scattering?")))),
        conversation.turns());
    assertEquals(false, conversation.stream());
    assertEquals(ToolChoice.AUTO, conversation.toolChoice());
    assertEquals(Sampling.DEFAULT, conversation.sampling());
    assertEquals(ResponseFormat.TEXT, conversation.responseFormat());
    assertTrue(conversation.tools().isEmpty());
  }

  @Test
  void imagesGetTheirTypeFromTheirFirstBytes() {
    Conversation conversation = read("{\"messages\":[{\"role\":\"user\",\"content\":\"what is in these?\",\"images\":["
        + "\"" + PNG + "\",\"/9j/4AAQSkZJRg\",\"R0lGODlhAQABAAAAACw=\",\"UklGRiQAAABXRUJQ\",\"AAAAHGZ0eXBhdmlm\","
        + "\"data:image/jpeg;base64,/9j/4AAQ\"]}]}");
    assertEquals(List.of(new Part.Text("what is in these?"),
        new Part.Image("image/png", PNG, null),
        new Part.Image("image/jpeg", "/9j/4AAQSkZJRg", null),
        new Part.Image("image/gif", "R0lGODlhAQABAAAAACw=", null),
        new Part.Image("image/webp", "UklGRiQAAABXRUJQ", null),
        new Part.Image("image/png", "AAAAHGZ0eXBhdmlm", null),
        new Part.Image("image/jpeg", "/9j/4AAQ", null)), conversation.turns().getFirst().parts());
  }

  @Test
  void toolCallsGetIdsByPositionAndResultsAnswerThemByNameThenInOrder() {
    Conversation conversation = read("{\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Weather and time in Paris and Oslo?\"},"
        + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
        + "{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}},"
        + "{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\"}}},"
        + "{\"function\":{\"name\":\"get_time\"}}]},"
        + "{\"role\":\"tool\",\"content\":\"12:00\",\"tool_name\":\"get_time\"},"
        + "{\"role\":\"tool\",\"content\":\"18 degrees\",\"tool_name\":\"get_weather\"},"
        + "{\"role\":\"tool\",\"content\":\"9 degrees\"},"
        + "{\"role\":\"assistant\",\"content\":\"Paris 18, Oslo 9, noon.\"},"
        + "{\"role\":\"user\",\"content\":\"And Rome?\"},"
        + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_z9\",\"function\":{\"name\":\"get_weather\","
        + "\"arguments\":{\"city\":\"Rome\"}}}]},"
        + "{\"role\":\"tool\",\"content\":\"25 degrees\",\"tool_name\":\"weather\"}]}");
    List<Turn> turns = conversation.turns();
    assertEquals(List.of(new Part.ToolCall("call_0", "get_weather", "{\"city\":\"Paris\"}"),
        new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"),
        new Part.ToolCall("call_2", "get_time", "{}")), turns.get(1).parts());
    assertEquals(new Turn(Turn.Role.TOOL, List.of(
        new Part.ToolResult("call_2", "get_time", "12:00", false),
        new Part.ToolResult("call_0", "get_weather", "18 degrees", false),
        new Part.ToolResult("call_1", "get_weather", "9 degrees", false))), turns.get(2));
    assertEquals(List.of(new Part.ToolCall("call_z9", "get_weather", "{\"city\":\"Rome\"}")), turns.get(5).parts());
    // A result whose tool_name matches no waiting call answers the first waiting call, under that call's name.
    assertEquals(List.of(new Part.ToolResult("call_z9", "get_weather", "25 degrees", false)), turns.get(6).parts());
    assertEquals(7, turns.size());
  }

  @Test
  void aToolCallIdGivenWithAResultIsHonoured() {
    Conversation conversation = read("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
        + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"f\"}},"
        + "{\"id\":\"b\",\"function\":{\"name\":\"f\"}}]},"
        + "{\"role\":\"tool\",\"content\":\"for b\",\"tool_call_id\":\"b\"},"
        + "{\"role\":\"tool\",\"content\":\"for a\"}]}");
    assertEquals(List.of(new Part.ToolResult("b", "f", "for b", false), new Part.ToolResult("a", "f", "for a", false)),
        conversation.turns().get(2).parts());
  }

  @Test
  void aToolResultWithNothingToAnswerCannotBeTranslatedButStillParses() {
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"tool\",\"content\":\"r\"}]}";
    ChatRequest request = new OllamaClientCodec().parse(Buffer.buffer(body));
    GatewayException error = assertThrows(GatewayException.class, request::conversation);
    assertEquals(400, error.status());
    assertEquals("'messages[1]' is a tool result, but no earlier assistant tool call is waiting for one",
        error.getMessage());
  }

  @Test
  void aConversationOfOnlySystemMessagesCannotBeTranslated() {
    GatewayException error = assertThrows(GatewayException.class,
        () -> read("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"}]}"));
    assertEquals("'messages' must contain a message that is not a system message", error.getMessage());
  }

  @Test
  void emptyAssistantMessagesAreDroppedAndEmptyUserMessagesKept() {
    Conversation conversation = read("{\"messages\":[{\"role\":\"user\"},{\"role\":\"assistant\",\"content\":\"\"},"
        + "{\"role\":\"user\",\"content\":\"again\"}]}");
    assertEquals(List.of(new Turn(Turn.Role.USER, List.of(new Part.Text(""))),
        new Turn(Turn.Role.USER, List.of(new Part.Text("again")))), conversation.turns());
  }

  @Test
  void optionsToolsAndFormatAreRead() {
    Conversation conversation = read("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],"
        + "\"options\":{\"num_predict\":128,\"temperature\":0.2,\"top_p\":0.9,\"stop\":[\"\\n\",\"user:\"],"
        + "\"seed\":42,\"num_ctx\":4096},"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"now\"}}],"
        + "\"format\":{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}},"
        + "\"keep_alive\":\"5m\",\"think\":true}");
    assertEquals(new Sampling(128, 0.2, 0.9, List.of("\n", "user:")), conversation.sampling());
    assertEquals(2, conversation.tools().size());
    assertEquals("get_weather", conversation.tools().getFirst().name());
    assertEquals("Weather", conversation.tools().getFirst().description());
    assertEquals("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}",
        conversation.tools().getFirst().parameters().toString());
    assertNull(conversation.tools().get(1).description());
    assertEquals("{\"type\":\"object\",\"properties\":{}}", conversation.tools().get(1).parameters().toString());
    assertEquals(ResponseFormat.Kind.JSON_SCHEMA, conversation.responseFormat().kind());
    assertEquals("response", conversation.responseFormat().name());
    assertEquals("{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}",
        conversation.responseFormat().schema().toString());
  }

  @Test
  void aSingleStopStringJsonModeAndUnlimitedPredictionAreRead() {
    Conversation conversation = read("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],\"format\":\"json\","
        + "\"options\":{\"num_predict\":-1,\"stop\":\"END\"}}");
    assertEquals(new Sampling(null, null, null, List.of("END")), conversation.sampling());
    assertEquals(ResponseFormat.JSON_OBJECT, conversation.responseFormat());
    assertEquals(ResponseFormat.TEXT,
        read("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],\"format\":\"\"}").responseFormat());
  }
}
