package dev.tiergate.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.tiergate.http.GatewayException;
import dev.tiergate.wire.ChatRequest;
import dev.tiergate.wire.ClientFormat;
import dev.tiergate.wire.Conversation;
import dev.tiergate.wire.Part;
import dev.tiergate.wire.ResponseFormat;
import dev.tiergate.wire.Sampling;
import dev.tiergate.wire.ToolChoice;
import dev.tiergate.wire.Turn;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation of Anthropic Messages requests, and their reading into the canonical conversation. */
class AnthropicRequestReaderTest {

  private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";

  private static ChatRequest parse(String json) {
    return new AnthropicClientCodec().parse(Buffer.buffer(json));
  }

  private static Conversation read(String json) {
    return parse(json).conversation();
  }

  @Test
  void aMinimalRequestNeedsNeitherModelNorMaxTokens() {
    ChatRequest request = parse("{" + HELLO + "}");
    assertEquals(ClientFormat.ANTHROPIC, request.format());
    assertNull(request.model());
    assertFalse(request.stream());
    assertTrue(request.clientWantsUsage());
    assertNull(request.user());
    Conversation conversation = request.conversation();
    assertEquals(List.of(new Turn(Turn.Role.USER, List.of(new Part.Text("Hello")))), conversation.turns());
    assertEquals(Sampling.DEFAULT, conversation.sampling());
    assertEquals(ToolChoice.AUTO, conversation.toolChoice());
    assertEquals(ResponseFormat.TEXT, conversation.responseFormat());
    assertNull(conversation.system());
  }

  @Test
  void modelStreamAndUserAreRead() {
    ChatRequest request = parse("{\"model\":\"claude-x\",\"max_tokens\":100,\"stream\":true,"
        + "\"metadata\":{\"user_id\":\"u-42\"}," + HELLO + "}");
    assertEquals("claude-x", request.model());
    assertTrue(request.stream());
    assertTrue(request.conversation().stream());
    assertEquals("u-42", request.user());
  }

  /** A body with one user message whose content is {@code content}. */
  private static String user(String content) {
    return "{\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}";
  }

  /** A body with one assistant message whose content is {@code content}. */
  private static String assistant(String content) {
    return "{\"messages\":[{\"role\":\"assistant\",\"content\":" + content + "}]}";
  }

  /** A valid body with {@code fields} added. */
  private static String with(String fields) {
    return "{" + fields + "," + HELLO + "}";
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        arguments("{\"messages\":\"hi\"}", "'messages' must be an array"),
        arguments("{}", "'messages' is required"),
        arguments("{\"messages\":[]}", "'messages' must contain at least one message"),
        arguments("{\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
            "'messages[0].role' must be one of assistant, user"),
        arguments("{\"messages\":[{\"content\":\"x\"}]}", "'messages[0].role' is required and must be a string"),
        arguments("{\"messages\":[{\"role\":\"user\"}]}", "'messages[0].content' is required"),
        arguments(user("5"), "'messages[0].content' is required"),
        arguments(user("[{\"text\":\"x\"}]"), "'messages[0].content[0]' must be an object with a 'type' string"),
        arguments(user("[{\"type\":\"text\"}]"), "'messages[0].content[0].text' is required"),
        arguments(user("[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"x\"}}]"),
            "'messages[0].content[0].source.media_type' is required"),
        arguments(user("[{\"type\":\"image\"}]"), "'messages[0].content[0].source' is required"),
        arguments(user("[{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"b\",\"input\":{}}]"),
            "'messages[0].content[0]' tool_use blocks may only appear in assistant messages"),
        arguments(assistant("[{\"type\":\"tool_result\",\"tool_use_id\":\"a\"}]"),
            "'messages[0].content[0]' tool_result blocks may only appear in user messages"),
        arguments(user("[{\"type\":\"tool_result\",\"tool_use_id\":\"a\",\"is_error\":\"yes\"}]"),
            "'messages[0].content[0].is_error' must be a boolean"),
        arguments(user("[{\"type\":\"tool_result\",\"tool_use_id\":\"a\",\"content\":[{\"type\":\"text\"}]}]"),
            "'messages[0].content[0].content[0].text' is required"),
        arguments(assistant("[{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"b\",\"input\":[]}]"),
            "'messages[0].content[0].input' must be an object"),
        arguments(with("\"model\":5"), "'model' must be a string"),
        arguments(with("\"max_tokens\":0"), "'max_tokens' must be a positive integer"),
        arguments(with("\"max_tokens\":1.5"), "'max_tokens' must be a positive integer"),
        arguments(with("\"temperature\":1.5"), "'temperature' must be a number between 0 and 1"),
        arguments(with("\"top_p\":\"a\""), "'top_p' must be a number between 0 and 1"),
        arguments(with("\"stream\":\"yes\""), "'stream' must be a boolean"),
        arguments(with("\"system\":5"), "'system' must be a string or an array of text blocks"),
        arguments(with("\"system\":[{\"type\":\"image\"}]"), "'system[0]' must be a text block"),
        arguments(with("\"stop_sequences\":\"END\""), "'stop_sequences' must be an array of strings"),
        arguments(with("\"stop_sequences\":[1]"), "'stop_sequences[0]' must be a string"),
        arguments(with("\"tools\":{}"), "'tools' must be an array"),
        arguments(with("\"tools\":[{\"input_schema\":{}}]"), "'tools[0].name' is required"),
        arguments(with("\"tools\":[{\"name\":\"t\"}]"), "'tools[0].input_schema' is required"),
        arguments(with("\"tool_choice\":\"auto\""), "'tool_choice' must be an object"),
        arguments(with("\"tool_choice\":{\"type\":\"required\"}"),
            "'tool_choice.type' must be one of any, auto, none, tool"),
        arguments(with("\"tool_choice\":{\"type\":\"tool\"}"), "'tool_choice.name' is required"),
        arguments(with("\"metadata\":[]"), "'metadata' must be an object"),
        arguments(with("\"metadata\":{\"user_id\":7}"), "'metadata.user_id' must be a string"),
        arguments("[1]", "The request body must be a JSON object"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidRequests")
  void invalidRequestsAreRefusedNamingTheField(String json, String message) {
    GatewayException error = assertThrows(GatewayException.class, () -> parse(json));
    assertEquals(400, error.status());
    assertEquals("invalid_request", error.code());
    assertTrue(error.getMessage().startsWith(message), error.getMessage());
  }

  @Test
  void bodiesThatAreNotJsonAreInvalidJson() {
    for (String body : List.of("", "{", "{\"messages\": [}", "   ")) {
      GatewayException error = assertThrows(GatewayException.class, () -> parse(body), body);
      assertEquals(400, error.status());
      assertEquals("invalid_json", error.code(), body);
    }
  }

  @Test
  void systemBlocksAreJoinedByABlankLine() {
    assertEquals("You are terse.", read("{\"system\":\"You are terse.\"," + HELLO + "}").system());
    assertEquals("One.\n\nTwo.", read("{\"system\":[{\"type\":\"text\",\"text\":\"One.\"},{\"type\":\"text\","
        + "\"text\":\"Two.\",\"cache_control\":{\"type\":\"ephemeral\"}}]," + HELLO + "}").system());
  }

  @Test
  void aToolRoundTripBecomesCallsInTheAssistantTurnAndResultsInAToolTurn() {
    Conversation conversation = read("""
        {"messages":[
          {"role":"user","content":[{"type":"text","text":"Weather?"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},
            {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}}]},
          {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},
            {"type":"text","text":"Let me look."},
            {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris","days":[1,2]}},
            {"type":"tool_use","id":"toolu_2","name":"get_time"}]},
          {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"Sunny"},
              {"type":"text","text":"20C"}]},
            {"type":"tool_result","tool_use_id":"toolu_2","content":"boom","is_error":true},
            {"type":"text","text":"Thanks, and tomorrow?"}]}]}
        """);
    assertEquals(List.of(
        new Turn(Turn.Role.USER, List.of(new Part.Text("Weather?"), new Part.Image("image/png", "iVBOR", null),
            new Part.Image(null, null, "https://example.com/a.jpg"))),
        new Turn(Turn.Role.ASSISTANT, List.of(new Part.Text("Let me look."),
            new Part.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\",\"days\":[1,2]}"),
            new Part.ToolCall("toolu_2", "get_time", "{}"))),
        new Turn(Turn.Role.TOOL, List.of(new Part.ToolResult("toolu_1", "get_weather", "Sunny\n20C", false),
            new Part.ToolResult("toolu_2", "get_time", "boom", true))),
        new Turn(Turn.Role.USER, List.of(new Part.Text("Thanks, and tomorrow?")))), conversation.turns());
  }

  @Test
  void samplingToolsAndToolChoiceAreRead() {
    Conversation conversation = read("""
        {"max_tokens":256,"temperature":0.7,"top_p":0.9,"top_k":40,"stop_sequences":["END","STOP"],
         "tools":[{"name":"get_weather","description":"Weather now",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
                  {"name":"noop","input_schema":{"type":"object"}}],
         "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
         "messages":[{"role":"user","content":"x"}]}
        """);
    assertEquals(new Sampling(256, 0.7, 0.9, List.of("END", "STOP")), conversation.sampling());
    assertEquals(2, conversation.tools().size());
    assertEquals("get_weather", conversation.tools().getFirst().name());
    assertEquals("Weather now", conversation.tools().getFirst().description());
    assertEquals("string", conversation.tools().getFirst().parameters().path("properties").path("city")
        .path("type").asText());
    assertNull(conversation.tools().get(1).description());
    assertEquals(new ToolChoice(ToolChoice.Mode.TOOL, "get_weather"), conversation.toolChoice());
    assertEquals(new ToolChoice(ToolChoice.Mode.ANY, null),
        read("{\"tool_choice\":{\"type\":\"any\"}," + HELLO + "}").toolChoice());
    assertEquals(new ToolChoice(ToolChoice.Mode.NONE, null),
        read("{\"tool_choice\":{\"type\":\"none\"}," + HELLO + "}").toolChoice());
    assertEquals(ToolChoice.AUTO, read("{\"tool_choice\":{\"type\":\"auto\"}," + HELLO + "}").toolChoice());
  }

  @Test
  void structuredOutputBecomesAJsonSchemaFormat() {
    for (String field : List.of("\"output_config\":{\"format\":", "\"output_format\":")) {
      String json = "{" + field + "{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}"
          + (field.startsWith("\"output_config") ? "}" : "") + "," + HELLO + "}";
      ResponseFormat format = read(json).responseFormat();
      assertEquals(ResponseFormat.Kind.JSON_SCHEMA, format.kind(), json);
      assertEquals("object", format.schema().path("type").asText());
    }
  }

  @Test
  void whatOnlyAnthropicCanExpressPassesValidationButNotTranslation() {
    for (String json : List.of(
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"base64\","
            + "\"media_type\":\"application/pdf\",\"data\":\"JVBER\"}}]}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"file\","
            + "\"file_id\":\"file_1\"}}]}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"search_result\",\"source\":\"s\"}]}]}",
        "{\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]," + HELLO + "}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\","
            + "\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/y.png\"}}]}]}]}")) {
      ChatRequest request = parse(json);
      GatewayException error = assertThrows(GatewayException.class, request::conversation, json);
      assertEquals(400, error.status());
      assertTrue(error.getMessage().contains("cannot be translated"), error.getMessage());
    }
  }

  @Test
  void aConversationOfOnlyThinkingHasNothingToTranslate() {
    GatewayException error = assertThrows(GatewayException.class, () -> read("{\"messages\":[{\"role\":"
        + "\"assistant\",\"content\":[{\"type\":\"redacted_thinking\",\"data\":\"x\"}]}]}"));
    assertTrue(error.getMessage().startsWith("'messages'"), error.getMessage());
  }
}
