package dev.tiergate.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canonical conversations written as Anthropic Messages requests. */
class AnthropicRequestWriterTest {

  private static final List<Turn> HELLO = List.of(new Turn(Turn.Role.USER, List.of(new Part.Text("Hello"))));

  private static Conversation conversation(String system, List<Turn> turns, List<ToolSpec> tools, ToolChoice choice,
                                           Sampling sampling, ResponseFormat format, boolean stream) {
    return new Conversation(system, turns, tools, choice, sampling, format, stream);
  }

  private static Conversation simple(List<Turn> turns) {
    return conversation(null, turns, List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT, false);
  }

  private static JsonNode json(String text) {
    try {
      return JsonSupport.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ObjectNode schema() {
    return (ObjectNode) json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
  }

  @Test
  void maxTokensIsAlwaysSentAndStreamFollowsTheConversation() {
    assertEquals(json("""
        {"model":"claude-x","max_tokens":4096,"messages":[{"role":"user","content":"Hello"}],"stream":false}
        """), AnthropicRequestWriter.write(simple(HELLO), "claude-x"));
    Conversation streamed = conversation(null, HELLO, List.of(), ToolChoice.AUTO,
        new Sampling(100, 1.7, 0.5, List.of("END")), ResponseFormat.TEXT, true);
    assertEquals(json("""
        {"model":"claude-x","max_tokens":100,"messages":[{"role":"user","content":"Hello"}],
         "temperature":1.0,"top_p":0.5,"stop_sequences":["END"],"stream":true}
        """), AnthropicRequestWriter.write(streamed, "claude-x"));
  }

  @Test
  void aToolConversationAlternatesRolesWithResultsFirstInTheUserMessage() {
    Conversation conversation = conversation("Be brief.", List.of(
        new Turn(Turn.Role.USER, List.of(new Part.Text("Weather in Paris?"),
            new Part.Image("image/png", "iVBOR", null), new Part.Image(null, null, "https://example.com/a.jpg"),
            new Part.Image(null, null, "data:image/jpeg;base64,/9j/4AAQ"))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text(""),
            new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
            new Part.ToolCall("call_2", "get_time", "{}"))),
        new Turn(Turn.Role.TOOL, List.of(new Part.ToolResult("call_1", "get_weather", "Sunny", false))),
        new Turn(Turn.Role.USER, List.of(new Part.Text("And the time?"))),
        new Turn(Turn.Role.TOOL, List.of(new Part.ToolResult("call_2", "get_time", "", true))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text("Sunny; unknown time."))),
        new Turn(Turn.Role.USER, List.of(new Part.Text("Thanks")))),
        List.of(new ToolSpec("get_weather", "Weather now", schema()),
            new ToolSpec("get_time", null, (ObjectNode) json("{\"type\":\"object\"}"))),
        new ToolChoice(ToolChoice.Mode.ANY, null), Sampling.DEFAULT, ResponseFormat.TEXT, true);
    assertEquals(json("""
        {"model":"m","max_tokens":4096,"system":"Be brief.","messages":[
          {"role":"user","content":[{"type":"text","text":"Weather in Paris?"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},
            {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}},
            {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]},
          {"role":"assistant","content":[
            {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},
            {"type":"tool_use","id":"call_2","name":"get_time","input":{}}]},
          {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"call_1","content":"Sunny"},
            {"type":"tool_result","tool_use_id":"call_2","is_error":true},
            {"type":"text","text":"And the time?"}]},
          {"role":"assistant","content":"Sunny; unknown time."},
          {"role":"user","content":"Thanks"}],
         "tools":[{"name":"get_weather","description":"Weather now","input_schema":
                     {"type":"object","properties":{"city":{"type":"string"}}}},
                  {"name":"get_time","input_schema":{"type":"object"}}],
         "tool_choice":{"type":"any"},"stream":true}
        """), AnthropicRequestWriter.write(conversation, "m"));
  }

  @Test
  void toolChoiceIsWrittenOnlyWithTools() {
    List<ToolSpec> tools = List.of(new ToolSpec("t", null, schema()));
    assertEquals(json("{\"type\":\"tool\",\"name\":\"t\"}"), AnthropicRequestWriter.write(conversation(null, HELLO,
        tools, new ToolChoice(ToolChoice.Mode.TOOL, "t"), Sampling.DEFAULT, ResponseFormat.TEXT, false), "m")
        .get("tool_choice"));
    assertEquals(json("{\"type\":\"none\"}"), AnthropicRequestWriter.write(conversation(null, HELLO, tools,
        new ToolChoice(ToolChoice.Mode.NONE, null), Sampling.DEFAULT, ResponseFormat.TEXT, false), "m")
        .get("tool_choice"));
    assertEquals(null, AnthropicRequestWriter.write(conversation(null, HELLO, tools, ToolChoice.AUTO,
        Sampling.DEFAULT, ResponseFormat.TEXT, false), "m").get("tool_choice"));
    assertEquals(null, AnthropicRequestWriter.write(conversation(null, HELLO, List.of(),
        new ToolChoice(ToolChoice.Mode.NONE, null), Sampling.DEFAULT, ResponseFormat.TEXT, false), "m")
        .get("tool_choice"));
  }

  @Test
  void temperatureIsClampedToAnthropicsRange() {
    for (double[] pair : new double[][] {{0.0, 0.0}, {0.4, 0.4}, {1.0, 1.0}, {2.0, 1.0}}) {
      Conversation c = conversation(null, HELLO, List.of(), ToolChoice.AUTO,
          new Sampling(null, pair[0], null, List.of()), ResponseFormat.TEXT, false);
      assertEquals(pair[1], AnthropicRequestWriter.write(c, "m").get("temperature").asDouble());
    }
  }

  @Test
  void aJsonFormatBecomesAnInstructionInTheSystemPrompt() {
    Conversation object = conversation("Be brief.", HELLO, List.of(), ToolChoice.AUTO, Sampling.DEFAULT,
        ResponseFormat.JSON_OBJECT, false);
    assertEquals("Be brief.\n\n" + AnthropicRequestWriter.JSON_INSTRUCTION,
        AnthropicRequestWriter.write(object, "m").get("system").asText());
    Conversation schema = conversation(null, HELLO, List.of(), ToolChoice.AUTO, Sampling.DEFAULT,
        new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "weather", schema()), false);
    String system = AnthropicRequestWriter.write(schema, "m").get("system").asText();
    assertTrue(system.startsWith(AnthropicRequestWriter.JSON_INSTRUCTION), system);
    assertTrue(system.endsWith("\n{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"), system);
  }

  @Test
  void toolCallArgumentsThatAreNotAJsonObjectAreTheClientsError() {
    for (String arguments : List.of("{\"city\":", "[1]", "\"x\"")) {
      Conversation conversation = simple(List.of(HELLO.getFirst(),
          new Turn(Turn.Role.ASSISTANT, List.of(new Part.ToolCall("call_9", "get_weather", arguments)))));
      GatewayException error = assertThrows(GatewayException.class,
          () -> AnthropicRequestWriter.write(conversation, "m"));
      assertEquals(400, error.status());
      assertTrue(error.getMessage().contains("'call_9' (get_weather)"), error.getMessage());
    }
  }

  @Test
  void anAnthropicRequestSurvivesReadingAndWritingBack() {
    String body = """
        {"model":"m","max_tokens":300,"system":"Be brief.","messages":[
          {"role":"user","content":"Weather?"},
          {"role":"assistant","content":[{"type":"text","text":"Looking."},
            {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Sunny"},
            {"type":"text","text":"Thanks"}]}],
         "temperature":0.3,"stop_sequences":["END"],
         "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
         "tool_choice":{"type":"any"},"stream":true}
        """;
    Conversation conversation = new AnthropicClientCodec().parse(Buffer.buffer(body)).conversation();
    assertEquals(json(body), AnthropicRequestWriter.write(conversation, "m"));
  }
}
