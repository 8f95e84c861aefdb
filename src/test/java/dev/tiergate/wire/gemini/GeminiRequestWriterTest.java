package dev.tiergate.wire.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.tiergate.wire.Turn.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conversations written as Gemini {@code generateContent} bodies. */
class GeminiRequestWriterTest {

  private static final String SIG = GeminiRequestWriter.FOREIGN_SIGNATURE;

  @Test
  void systemAndTextTurnsWithoutExtras() {
    JsonNode body = GeminiRequestWriter.write(conversation("Be brief.", List.of(
        new Turn(Role.USER, List.of(new Part.Text("Hi"))),
        new Turn(Role.ASSISTANT, List.of(new Part.Text("Hello!"))),
        new Turn(Role.USER, List.of(new Part.Text("How are you?"), new Part.Text(" Really?"))))));
    assertJson("""
        {"systemInstruction":{"parts":[{"text":"Be brief."}]},
         "contents":[{"role":"user","parts":[{"text":"Hi"}]},
                     {"role":"model","parts":[{"text":"Hello!"}]},
                     {"role":"user","parts":[{"text":"How are you?"},{"text":" Really?"}]}]}""", body);
  }

  @Test
  void toolCallsAndResultsBecomeFunctionPartsAndSameRoleNeighboursMerge() {
    JsonNode body = GeminiRequestWriter.write(conversation(null, List.of(
        new Turn(Role.USER, List.of(new Part.Text("Weather in Paris and Rome?"))),
        new Turn(Role.ASSISTANT, List.of(new Part.Text("Checking."),
            new Part.ToolCall("c1", "get_weather", "{\"city\":\"Paris\"}"),
            new Part.ToolCall("c2", "get_weather", "{\"city\":\"Rome\"}"))),
        new Turn(Role.TOOL, List.of(new Part.ToolResult("c1", null, "{\"temp\":21}", false),
            new Part.ToolResult("c2", "get_weather", "sunny, 25C", false))),
        new Turn(Role.USER, List.of(new Part.Text("Thanks"))))));
    assertJson("""
        {"contents":[
          {"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
          {"role":"model","parts":[{"text":"Checking."},
            {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"%s"},
            {"functionCall":{"name":"get_weather","args":{"city":"Rome"}},"thoughtSignature":"%s"}]},
          {"role":"user","parts":[
            {"functionResponse":{"name":"get_weather","response":{"temp":21}}},
            {"functionResponse":{"name":"get_weather","response":{"content":"sunny, 25C"}}},
            {"text":"Thanks"}]}]}""".formatted(SIG, SIG), body);
  }

  @Test
  void aToolResultIsMatchedToTheLatestCallWithItsId() {
    // Ids the gateway made up for Gemini calls ("call_0") repeat in every answer.
    JsonNode body = GeminiRequestWriter.write(conversation(null, List.of(
        new Turn(Role.USER, List.of(new Part.Text("go"))),
        new Turn(Role.ASSISTANT, List.of(new Part.ToolCall("call_0", "first", "{}"))),
        new Turn(Role.TOOL, List.of(new Part.ToolResult("call_0", null, "1", false))),
        new Turn(Role.ASSISTANT, List.of(new Part.ToolCall("call_0", "second", "{}"))),
        new Turn(Role.TOOL, List.of(new Part.ToolResult("call_0", null, "2", true))))));
    JsonNode contents = body.get("contents");
    assertEquals("first", contents.get(2).at("/parts/0/functionResponse/name").asText());
    assertEquals("second", contents.get(4).at("/parts/0/functionResponse/name").asText());
    assertJson("{\"error\":\"2\"}", contents.get(4).at("/parts/0/functionResponse/response"));
  }

  @Test
  void aResultWhoseToolCannotBeNamedIsTheClientsError() {
    Conversation conversation = conversation(null, List.of(
        new Turn(Role.USER, List.of(new Part.Text("go"))),
        new Turn(Role.TOOL, List.of(new Part.ToolResult("nope", null, "x", false)))));
    GatewayException error = assertThrows(GatewayException.class, () -> GeminiRequestWriter.write(conversation));
    assertEquals(400, error.status());
    assertEquals("invalid_request", error.code());
    assertTrue(error.getMessage().contains("'nope'"), error.getMessage());
  }

  @Test
  void toolCallArgumentsMustBeAnObject() {
    Conversation conversation = conversation(null, List.of(
        new Turn(Role.USER, List.of(new Part.Text("go"))),
        new Turn(Role.ASSISTANT, List.of(new Part.ToolCall("c1", "f", "[1]")))));
    GatewayException error = assertThrows(GatewayException.class, () -> GeminiRequestWriter.write(conversation));
    assertEquals(400, error.status());
  }

  @Test
  void inlineImagesAreInlineDataAndUrlImagesAreFileData() {
    JsonNode body = GeminiRequestWriter.write(conversation(null, List.of(new Turn(Role.USER, List.of(
        new Part.Text("Compare"),
        new Part.Image("image/png", "iVBORw0KGgo=", null),
        new Part.Image(null, null, "https://example.com/cat.JPG?size=large"),
        new Part.Image("image/webp", null, "https://example.com/dog"),
        new Part.Image(null, null, "https://example.com/unknown"))))));
    assertJson("""
        {"contents":[{"role":"user","parts":[
          {"text":"Compare"},
          {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
          {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/cat.JPG?size=large"}},
          {"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/dog"}},
          {"fileData":{"fileUri":"https://example.com/unknown"}}]}]}""", body);
  }

  @Test
  void toolsAreDeclaredWithSchemasGeminiAccepts() {
    ObjectNode weather = json("""
        {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
         "properties":{"city":{"type":"string","description":"City name"},
           "additionalProperties":{"type":"boolean","description":"a property that happens to have this name"},
           "days":{"type":"array","items":{"type":"object","additionalProperties":false,
             "properties":{"date":{"type":"string","format":"date"}}}},
           "unit":{"anyOf":[{"type":"string","enum":["c","f"],"$comment":"x"},{"type":"null"}]}},
         "required":["city"]}""");
    ObjectNode before = weather.deepCopy();
    Conversation conversation = new Conversation(null, userSays("hi"), List.of(
        new ToolSpec("get_weather", "Weather for a city", weather),
        new ToolSpec("get_time", null, json("{\"type\":\"object\",\"properties\":{}}"))),
        new ToolChoice(ToolChoice.Mode.TOOL, "get_weather"), Sampling.DEFAULT, ResponseFormat.TEXT, false);
    JsonNode body = GeminiRequestWriter.write(conversation);
    assertJson("""
        {"contents":[{"role":"user","parts":[{"text":"hi"}]}],
         "tools":[{"functionDeclarations":[
           {"name":"get_weather","description":"Weather for a city","parameters":{"type":"object",
             "properties":{"city":{"type":"string","description":"City name"},
               "additionalProperties":{"type":"boolean","description":"a property that happens to have this name"},
               "days":{"type":"array","items":{"type":"object","properties":{"date":{"type":"string",
                 "format":"date"}}}},
               "unit":{"anyOf":[{"type":"string","enum":["c","f"]},{"type":"null"}]}},
             "required":["city"]}},
           {"name":"get_time"}]}],
         "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}}}""", body);
    assertEquals(before, weather, "the client's schema is not modified");
  }

  @Test
  void toolChoiceModes() {
    assertEquals("AUTO", toolMode(ToolChoice.AUTO));
    assertEquals("NONE", toolMode(new ToolChoice(ToolChoice.Mode.NONE, null)));
    assertEquals("ANY", toolMode(new ToolChoice(ToolChoice.Mode.ANY, null)));
    Conversation noTools = new Conversation(null, userSays("hi"), List.of(),
        new ToolChoice(ToolChoice.Mode.NONE, null), Sampling.DEFAULT, ResponseFormat.TEXT, false);
    assertFalse(GeminiRequestWriter.write(noTools).has("toolConfig"));
  }

  @Test
  void samplingAndJsonSchemaGoInGenerationConfig() {
    ObjectNode schema = json("""
        {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","additionalProperties":false,
         "properties":{"answer":{"type":"string"}},"required":["answer"]}""");
    Conversation conversation = new Conversation(null, userSays("hi"), List.of(), ToolChoice.AUTO,
        new Sampling(256, 1.5, 0.9, List.of("END", "STOP")), new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA,
        "answer", schema), true);
    assertJson("""
        {"maxOutputTokens":256,"temperature":1.5,"topP":0.9,"stopSequences":["END","STOP"],
         "responseMimeType":"application/json",
         "responseSchema":{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}}""",
        GeminiRequestWriter.write(conversation).get("generationConfig"));
    Conversation jsonObject = new Conversation(null, userSays("hi"), List.of(), ToolChoice.AUTO,
        new Sampling(null, 0.0, null, List.of()), ResponseFormat.JSON_OBJECT, false);
    assertJson("{\"temperature\":0.0,\"responseMimeType\":\"application/json\"}",
        GeminiRequestWriter.write(jsonObject).get("generationConfig"));
  }

  private static String toolMode(ToolChoice choice) {
    Conversation conversation = new Conversation(null, userSays("hi"),
        List.of(new ToolSpec("f", null, json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"))),
        choice, Sampling.DEFAULT, ResponseFormat.TEXT, false);
    JsonNode config = GeminiRequestWriter.write(conversation).at("/toolConfig/functionCallingConfig");
    assertFalse(config.has("allowedFunctionNames"));
    return config.get("mode").asText();
  }

  private static List<Turn> userSays(String text) {
    return List.of(new Turn(Role.USER, List.of(new Part.Text(text))));
  }

  private static Conversation conversation(String system, List<Turn> turns) {
    return new Conversation(system, turns, List.of(), ToolChoice.AUTO, Sampling.DEFAULT, ResponseFormat.TEXT, false);
  }

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JsonSupport.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertJson(String expected, JsonNode actual) {
    assertEquals(json(expected), actual, () -> "actual: " + actual);
  }
}
