package dev.tiergate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiergate.http.GatewayException;
import dev.tiergate.http.JsonSupport;
import dev.tiergate.wire.anthropic.AnthropicRequestWriter;
import dev.tiergate.wire.cohere.CohereRequestWriter;
import dev.tiergate.wire.gemini.GeminiRequestWriter;
import dev.tiergate.wire.ollama.OllamaRequestWriter;
import dev.tiergate.wire.openai.OpenAiRequestWriter;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target for the client request readers: any bytes fed to each format's {@code codec().parse}, and on to what a
 * request becomes on its way upstream (the {@link Conversation}, every provider family's request, the serialized
 * bytes). The only acceptable failure is a {@link GatewayException} with a 4xx status; anything else (NPE,
 * ClassCastException, StackOverflowError, a 5xx) would be a 500 for the client, so it is a bug.
 *
 * <p>Without {@code JAZZER_FUZZ} (as in {@code mvn verify}) Jazzer runs {@link #parse} once per file in
 * {@code src/test/resources/dev/tiergate/wire/RequestFuzzTestInputs/parse/} (the small files of the malformed-input
 * corpus plus valid requests) as a regression test. {@code JAZZER_FUZZ=1 mvn test -Dtest=RequestFuzzTest} fuzzes for
 * real; under Maven a finding is saved in that directory and so becomes a regression case. Seeded mutations of the same seeds run
 * in every build too ({@link #seededMutationsHoldUp}), so a plain build explores beyond the seeds.
 */
class RequestFuzzTest {

  private static final String SEEDS = "/dev/tiergate/wire/RequestFuzzTestInputs/parse";
  private static final int MUTATIONS = 2_000;
  /** JSON fragments a mutation may splice in: the shapes the readers branch on. */
  private static final String[] TOKENS = {"null", "[]", "{}", "\"\"", "0", "-1", "1e999", "true", "\"x\"", "[null]",
      "{\"type\":\"text\"}", "\"role\"", "\"content\"", "\"tool_calls\"", "\"tools\"", "\"image_url\"", "\"source\"",
      "\"function\"", "\"tool_result\"", "\"tool_use\"", "\"\\ud800\"", ",", ":", "\"messages\":[]", "\"assistant\"",
      "\"tool\"", "\"system\"", "\"data:;base64,\"", "\"data:x,y\"", "{\"name\":1}", "\"json_schema\"", "\"type\""};

  /**
   * Replaying seeds needs no instrumentation. Jazzer's hooks (bug detectors, comparison tracing) would instrument the
   * classes of every later test in the same JVM and, measured here, turn a 5 s run into 20 s and 2.7 GB RSS. Real
   * fuzzing ({@code JAZZER_FUZZ} set) keeps them: they guide the fuzzer. Jazzer reads the option when it starts
   * {@link #parse}, after this has run.
   */
  @BeforeAll
  static void replaySeedsWithoutHooks() {
    if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
      System.setProperty("jazzer.hooks", "false");
    }
  }

  @FuzzTest(maxDuration = "5m")
  void parse(byte[] input) {
    for (ClientFormat format : ClientFormat.values()) {
      readAndTranslate(format, input);
    }
  }

  @Test
  void seededMutationsHoldUp() {
    List<byte[]> seeds = seeds().map(RequestFuzzTest::bytes).toList();
    Random random = new Random(20_240_608L);
    for (int i = 0; i < MUTATIONS; i++) {
      byte[] mutant = mutate(seeds.get(random.nextInt(seeds.size())), seeds, random);
      int round = i;
      assertDoesNotThrow(() -> parse(mutant), () -> "mutation " + round + ": " + printable(mutant));
    }
  }

  @Test
  void everyStoredCorpusCaseIsASeed() {
    Path corpus = resource("/malformed");
    List<String> missing = new ArrayList<>();
    try (Stream<Path> files = Files.walk(corpus)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String seedName = corpus.relativize(file).toString().replace('/', '-');
        Path seed = resource(SEEDS).resolve(seedName);
        if (!Files.exists(seed)) {
          missing.add(seedName);
        } else {
          assertArrayEquals(bytes(file), bytes(seed), seedName + " differs from its corpus file");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(List.of(), missing, "corpus files without a seed");
  }

  @Test
  void wellFormedTextIsNotMistakenForMalformed() {
    for (Path seed : seeds().filter(p -> p.getFileName().toString().startsWith("valid-")).toList()) {
      for (ClientFormat format : ClientFormat.values()) {
        if (seed.getFileName().toString().startsWith("valid-" + format.wireName())
            || seed.getFileName().toString().startsWith("valid-text")) {
          ChatRequest request = format.codec().parse(Buffer.buffer(bytes(seed)));
          assertTrue(request.conversation().turns().size() > 0, seed + " as " + format);
        }
      }
    }
    assertNull(JsonBytes.problem(bytes(resource(SEEDS).resolve("valid-text-edge-cases.json"))));
  }

  /** Jackson's default 20M-character string cap is lifted: the body limit (32 MiB by default) is the one cap. */
  @Test
  void aStringAsLongAsTheBodyLimitAllowsIsRead() {
    String image = "A".repeat(21_000_000);
    Buffer body = Buffer.buffer("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
        + "\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + image + "\"}}]}]}");
    ChatRequest request = ClientFormat.OPENAI.codec().parse(body);
    Part.Image part = (Part.Image) request.conversation().turns().getFirst().parts().getFirst();
    assertEquals(image.length(), part.data().length());
  }

  /** One format's whole read: parse, the conversation, each provider family's request, the bytes sent upstream. */
  private static void readAndTranslate(ClientFormat format, byte[] input) {
    ChatRequest request;
    try {
      request = format.codec().parse(Buffer.buffer(input));
    } catch (GatewayException e) {
      requireClientError(e);
      return;
    }
    request.promptView();
    upstreamBytes(request.body());
    Conversation conversation;
    try {
      conversation = request.conversation();
    } catch (GatewayException e) {
      requireClientError(e);
      return;
    }
    translate(() -> OpenAiRequestWriter.write(conversation, "m", true));
    translate(() -> AnthropicRequestWriter.write(conversation, "m"));
    translate(() -> OllamaRequestWriter.write(conversation, "m"));
    translate(() -> GeminiRequestWriter.write(conversation));
    translate(() -> CohereRequestWriter.write(conversation, "m"));
  }

  private interface Writer {
    ObjectNode write();
  }

  private static void translate(Writer writer) {
    try {
      upstreamBytes(writer.write());
    } catch (GatewayException e) {
      requireClientError(e);
    }
  }

  /** What would go upstream must serialize, and as well-formed UTF-8 JSON. */
  private static void upstreamBytes(ObjectNode body) {
    byte[] bytes;
    try {
      bytes = JsonSupport.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new AssertionError("a parsed request does not serialize", e);
    }
    String problem = JsonBytes.problem(bytes);
    if (problem != null) {
      throw new AssertionError("the upstream body " + problem);
    }
  }

  private static void requireClientError(GatewayException e) {
    if (e.status() < 400 || e.status() >= 500) {
      throw new AssertionError("expected a 4xx, got " + e.status() + ": " + e.getMessage(), e);
    }
  }

  /** A byte-level mutation (flip, insert, delete, duplicate, splice) or a JSON-level one (a token swapped in). */
  private static byte[] mutate(byte[] seed, List<byte[]> seeds, Random random) {
    byte[] out = seed.length == 0 ? new byte[] {'{'} : seed.clone();
    int rounds = 1 + random.nextInt(4);
    for (int r = 0; r < rounds; r++) {
      int at = random.nextInt(out.length);
      out = switch (random.nextInt(6)) {
        case 0 -> {
          out[at] = (byte) random.nextInt(256);
          yield out;
        }
        case 1 -> splice(out, at, at, new byte[] {(byte) random.nextInt(256)});
        case 2 -> splice(out, at, Math.min(out.length, at + 1 + random.nextInt(8)), new byte[0]);
        case 3 -> splice(out, at, at, slice(out, random));
        case 4 -> splice(out, at, at, slice(seeds.get(random.nextInt(seeds.size())), random));
        default -> splice(out, at, Math.min(out.length, at + random.nextInt(4)),
            TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
      };
      if (out.length == 0) {
        out = new byte[] {'['};
      }
    }
    return out;
  }

  private static byte[] slice(byte[] source, Random random) {
    if (source.length == 0) {
      return source;
    }
    int from = random.nextInt(source.length);
    int to = Math.min(source.length, from + 1 + random.nextInt(32));
    return Arrays.copyOfRange(source, from, to);
  }

  private static byte[] splice(byte[] bytes, int from, int to, byte[] insert) {
    byte[] out = new byte[bytes.length - (to - from) + insert.length];
    System.arraycopy(bytes, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(bytes, to, out, from + insert.length, bytes.length - to);
    return out;
  }

  private static Stream<Path> seeds() {
    try (Stream<Path> files = Files.list(resource(SEEDS))) {
      return files.sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(RequestFuzzTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String printable(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, 400); i++) {
      int b = bytes[i] & 0xff;
      out.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
    }
    return out.toString();
  }
}
