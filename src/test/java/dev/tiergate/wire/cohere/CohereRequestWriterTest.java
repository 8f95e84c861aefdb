package dev.tiergate.wire.cohere;

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
import dev.tiergate.wire.Turn.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conversations written as Cohere v2 {@code /v2/chat} bodies. */
class CohereRequestWriterTest {

  private static final ObjectNode WEATHER = json("""
      {"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""");

  @Test
  void systemFirstThenTurnsAndStream() {
    JsonNode body = CohereRequestWriter.write(conversation("Be brief.", List.of(
        new Turn(Role.USER, List.of(new Part.Text("Hi"))),
        new Turn(Role.ASSISTANT, List.of(new Part.Text("Hello!"))),
        new Turn(Role.USER, List.of(new Part.Text("How are you?")))), true), "command-a-03-2025");
    assertJson("""
        {"model":"command-a-03-2025","messages":[
          {"role":"system","content":"Be brief."},
          {"role":"user","content":"Hi"},
          {"role":"assistant","content":"Hello!"},
          {"role":"user","content":"How are you?"}],
         "stream":true}""", body);
  }

  @Test
  void imagesMakeUserContentAnArrayWithDataUrls() {
    JsonNode body = CohereRequestWriter.write(conversation(null, List.of(new Turn(Role.USER, List.of(
        new Part.Text("What is this?"),
        new Part.Image("image/png", "iVBORw0KGgo=", null),
        new Part.Image(null, null, "https://example.com/cat.jpg")))), false), "command-a-vision-07-2025");
    assertJson("""
        {"model":"command-a-vision-07-2025","messages":[{"role":"user","content":[
          {"type":"text","text":"What is this?"},
          {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
          {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}],
         "stream":false}""", body);
  }

  @Test
  void toolCallsCarryTheirTextAsToolPlanAndResultsAreToolMessages() {
    JsonNode body = CohereRequestWriter.write(conversation(null, List.of(
        new Turn(Role.USER, List.of(new Part.Text("Weather in Madrid?"))),
        new Turn(Role.ASSISTANT, List.of(new Part.Text("I will look it up."),
            new Part.ToolCall("get_weather_1", "get_weather", "{\"location\":\"Madrid\"}"))),
        new Turn(Role.TOOL, List.of(new Part.ToolResult("get_weather_1", null, "{\"temp\":24}", false))),
        new Turn(Role.ASSISTANT, List.of(new Part.ToolCall("c2", "get_weather", "{\"location\":\"Lima\"}"))),
        new Turn(Role.TOOL, List.of(new Part.ToolResult("c2", "get_weather", "timeout", true))),
        new Turn(Role.ASSISTANT, List.of())), false), "command-a-03-2025");
    assertJson("""
        {"model":"command-a-03-2025","messages":[
          {"role":"user","content":"Weather in Madrid?"},
          {"role":"assistant","tool_plan":"I will look it up.","tool_calls":[{"id":"get_weather_1","type":"function",
            "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Madrid\\"}"}}]},
          {"role":"tool","tool_call_id":"get_weather_1","content":"{\\"temp\\":24}"},
          {"role":"assistant","tool_calls":[{"id":"c2","type":"function",
            "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Lima\\"}"}}]},
          {"role":"tool","tool_call_id":"c2","content":"timeout"}],
         "stream":false}""", body);
  }

  @Test
  void toolsAndToolChoice() {
    List<ToolSpec> tools = List.of(new ToolSpec("get_weather", "Weather for a place", WEATHER),
        new ToolSpec("get_time", null, json("{\"type\":\"object\",\"properties\":{}}")));
    JsonNode auto = CohereRequestWriter.write(withTools(tools, ToolChoice.AUTO), "m");
    assertJson("""
        [{"type":"function","function":{"name":"get_weather","description":"Weather for a place",
           "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}},
         {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}]""",
        auto.get("tools"));
    assertFalse(auto.has("tool_choice"));
    assertEquals("NONE", CohereRequestWriter.write(withTools(tools, new ToolChoice(ToolChoice.Mode.NONE, null)), "m")
        .get("tool_choice").asText());
    JsonNode any = CohereRequestWriter.write(withTools(tools, new ToolChoice(ToolChoice.Mode.ANY, null)), "m");
    assertEquals("REQUIRED", any.get("tool_choice").asText());
    assertEquals(2, any.get("tools").size());
    JsonNode one = CohereRequestWriter.write(withTools(tools, new ToolChoice(ToolChoice.Mode.TOOL, "get_time")), "m");
    assertEquals("REQUIRED", one.get("tool_choice").asText());
    assertEquals(1, one.get("tools").size());
    assertEquals("get_time", one.at("/tools/0/function/name").asText());
    GatewayException error = assertThrows(GatewayException.class, () -> CohereRequestWriter.write(
        withTools(tools, new ToolChoice(ToolChoice.Mode.TOOL, "missing")), "m"));
    assertEquals(400, error.status());
  }

  @Test
  void samplingIsClampedToCoheresRanges() {
    JsonNode body = CohereRequestWriter.write(new Conversation(null, userSays("hi"), List.of(), ToolChoice.AUTO,
        new Sampling(300, 1.4, 1.0, List.of("END")), ResponseFormat.TEXT, true), "m");
    assertEquals(300, body.get("max_tokens").asInt());
    assertEquals(1.0, body.get("temperature").asDouble());
    assertEquals(0.99, body.get("p").asDouble());
    assertJson("[\"END\"]", body.get("stop_sequences"));
    JsonNode low = CohereRequestWriter.write(new Conversation(null, userSays("hi"), List.of(), ToolChoice.AUTO,
        new Sampling(null, 0.3, 0.0, List.of()), ResponseFormat.TEXT, false), "m");
    assertEquals(0.3, low.get("temperature").asDouble());
    assertEquals(0.01, low.get("p").asDouble());
    assertFalse(low.has("max_tokens"));
    assertFalse(low.has("stop_sequences"));
  }

  @Test
  void jsonResponseFormats() {
    JsonNode object = CohereRequestWriter.write(new Conversation(null, userSays("hi"), List.of(), ToolChoice.AUTO,
        Sampling.DEFAULT, ResponseFormat.JSON_OBJECT, false), "m");
    assertJson("{\"type\":\"json_object\"}", object.get("response_format"));
    JsonNode schema = CohereRequestWriter.write(new Conversation(null, userSays("hi"), List.of(), ToolChoice.AUTO,
        Sampling.DEFAULT, new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "w", WEATHER), false), "m");
    assertJson("""
        {"type":"json_object","json_schema":{"type":"object","properties":{"location":{"type":"string"}},
         "required":["location"]}}""", schema.get("response_format"));
    assertFalse(CohereRequestWriter.write(conversation(null, userSays("hi"), false), "m").has("response_format"));
  }

  private static Conversation withTools(List<ToolSpec> tools, ToolChoice choice) {
    return new Conversation(null, userSays("hi"), tools, choice, Sampling.DEFAULT, ResponseFormat.TEXT, false);
  }

  private static List<Turn> userSays(String text) {
    return List.of(new Turn(Role.USER, List.of(new Part.Text(text))));
  }

  private static Conversation conversation(String system, List<Turn> turns, boolean stream) {
    return new Conversation(system, turns, List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT, stream);
  }

  private static ObjectNode json(String text) {
    return (ObjectNode) tree(text);
  }

  private static JsonNode tree(String text) {
    try {
      return JsonSupport.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertJson(String expected, JsonNode actual) {
    assertEquals(tree(expected), actual, () -> "actual: " + actual);
  }
}
