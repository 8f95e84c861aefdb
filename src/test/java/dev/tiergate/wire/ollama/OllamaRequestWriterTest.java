package dev.tiergate.wire.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.ToolSpec;
import dev.tiergate.wire.Turn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conversations written as Ollama {@code /api/chat} bodies. */
class OllamaRequestWriterTest {

  private static final ObjectNode WEATHER_SCHEMA = (ObjectNode) json(
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

  private static Conversation conversation(List<Turn> turns, List<ToolSpec> tools, ToolChoice choice,
                                           Sampling sampling, ResponseFormat format, boolean stream) {
    return new Conversation("You are terse.", turns, tools, choice, sampling, format, stream);
  }

  private static JsonNode json(String text) {
    try {
      return JsonSupport.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aMultiTurnConversationWithImagesToolCallsAndResults() {
    List<Turn> turns = List.of(
        new Turn(Turn.Role.USER, List.of(new Part.Text("What is this, and the weather in Paris?"),
            new Part.Image("image/png", "iVBORw0KGgo", null))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text("Let me check."),
            new Part.ToolCall("toolu_01", "get_weather", "{\"city\":\"Paris\"}"),
            new Part.ToolCall("toolu_02", "get_weather", ""))),
        new Turn(Turn.Role.TOOL, List.of(new Part.ToolResult("toolu_01", null, "18 degrees", false),
            new Part.ToolResult("toolu_02", "get_weather", "no city given", true))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text("A cat; 18 degrees."))),
        new Turn(Turn.Role.USER, List.of(new Part.Text("Thanks"))));
    ObjectNode body = OllamaRequestWriter.write(conversation(turns, List.of(), ToolChoice.AUTO, Sampling.DEFAULT,
        ResponseFormat.TEXT, true), "llava:13b");
    assertEquals(json("{\"model\":\"llava:13b\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
        + "{\"role\":\"user\",\"content\":\"What is this, and the weather in Paris?\",\"images\":[\"iVBORw0KGgo\"]},"
        + "{\"role\":\"assistant\",\"content\":\"Let me check.\",\"tool_calls\":["
        + "{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}},"
        + "{\"function\":{\"name\":\"get_weather\",\"arguments\":{}}}]},"
        + "{\"role\":\"tool\",\"content\":\"18 degrees\",\"tool_name\":\"get_weather\"},"
        + "{\"role\":\"tool\",\"content\":\"Error: no city given\",\"tool_name\":\"get_weather\"},"
        + "{\"role\":\"assistant\",\"content\":\"A cat; 18 degrees.\"},"
        + "{\"role\":\"user\",\"content\":\"Thanks\"}],"
        + "\"stream\":true}"), body);
  }

  @Test
  void toolsSamplingAndAJsonSchema() {
    List<Turn> turns = List.of(new Turn(Turn.Role.USER, List.of(new Part.Text("q"))));
    ResponseFormat schema = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "answer", (ObjectNode) json(
        "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}"));
    ObjectNode body = OllamaRequestWriter.write(new Conversation(null, turns,
        List.of(new ToolSpec("get_weather", "Current weather", WEATHER_SCHEMA),
            new ToolSpec("now", null, (ObjectNode) json("{\"type\":\"object\"}"))),
        ToolChoice.AUTO, new Sampling(256, 0.7, 0.95, List.of("\n\n", "END")), schema, false), "qwen3:8b");
    assertEquals(json("{\"model\":\"qwen3:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"description\":\"Current weather\","
        + "\"parameters\":" + WEATHER_SCHEMA + "}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"now\",\"parameters\":{\"type\":\"object\"}}}],"
        + "\"stream\":false,"
        + "\"format\":{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}},"
        + "\"options\":{\"num_predict\":256,\"temperature\":0.7,\"top_p\":0.95,\"stop\":[\"\\n\\n\",\"END\"]}}"), body);
  }

  @Test
  void jsonModeIsFormatJson() {
    ObjectNode body = OllamaRequestWriter.write(conversation(List.of(new Turn(Turn.Role.USER,
        List.of(new Part.Text("q")))), List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.JSON_OBJECT,
        true), "m");
    assertEquals("json", body.path("format").asText());
    assertFalse(body.has("options"));
    assertFalse(body.has("tools"));
  }

  @Test
  void toolChoiceNoneSendsNoToolsAndANamedToolOnlyThatOne() {
    List<Turn> turns = List.of(new Turn(Turn.Role.USER, List.of(new Part.Text("q"))));
    List<ToolSpec> tools = List.of(new ToolSpec("a", null, WEATHER_SCHEMA), new ToolSpec("b", null, WEATHER_SCHEMA));
    assertFalse(OllamaRequestWriter.write(conversation(turns, tools, new ToolChoice(ToolChoice.Mode.NONE, null),
        Sampling.DEFAULT, ResponseFormat.TEXT, true), "m").has("tools"));
    JsonNode only = OllamaRequestWriter.write(conversation(turns, tools, new ToolChoice(ToolChoice.Mode.TOOL, "b"),
        Sampling.DEFAULT, ResponseFormat.TEXT, true), "m").path("tools");
    assertEquals(1, only.size());
    assertEquals("b", only.get(0).path("function").path("name").asText());
    assertEquals(2, OllamaRequestWriter.write(conversation(turns, tools, new ToolChoice(ToolChoice.Mode.ANY, null),
        Sampling.DEFAULT, ResponseFormat.TEXT, true), "m").path("tools").size());
  }

  @Test
  void imageUrlsCannotBeSent() {
    Conversation conversation = conversation(List.of(new Turn(Turn.Role.USER,
        List.of(new Part.Image(null, null, "https://example.com/cat.png")))), List.of(), ToolChoice.AUTO,
        Sampling.DEFAULT, ResponseFormat.TEXT, true);
    GatewayException error = assertThrows(GatewayException.class, () -> OllamaRequestWriter.write(conversation, "m"));
    assertEquals(400, error.status());
    assertEquals("Ollama takes only inline (base64) images; an image URL cannot be sent to it", error.getMessage());
  }

  @Test
  void toolCallArgumentsMustBeAJsonObject() {
    for (String arguments : List.of("{\"city\":", "[1]", "\"text\"")) {
      Conversation conversation = conversation(List.of(new Turn(Turn.Role.USER, List.of(new Part.Text("q"))),
          new Turn(Turn.Role.ASSISTANT, List.of(new Part.ToolCall("c1", "f", arguments)))), List.of(),
          ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT, true);
      GatewayException error = assertThrows(GatewayException.class,
          () -> OllamaRequestWriter.write(conversation, "m"), arguments);
      assertEquals(400, error.status());
      assertEquals("The arguments of tool call 'c1' are not a JSON object, which Ollama requires", error.getMessage());
    }
  }

  @Test
  void textBesideToolResultsBecomesAUserMessage() {
    Conversation conversation = new Conversation(null, List.of(
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.ToolCall("c1", "f", "{}"))),
        new Turn(Turn.Role.TOOL, List.of(new Part.ToolResult("c1", null, "done", false), new Part.Text("Go on.")))),
        List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT, true);
    assertEquals(json("[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\","
        + "\"arguments\":{}}}]},{\"role\":\"tool\",\"content\":\"done\",\"tool_name\":\"f\"},"
        + "{\"role\":\"user\",\"content\":\"Go on.\"}]"), OllamaRequestWriter.write(conversation, "m").get("messages"));
  }
}
