package dev.tiergate.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The gateway's Jackson mapper: strict, with nesting limited to {@value #MAX_DEPTH} levels. Thread-safe. */
public final class JsonSupport {

  /** Deepest nesting accepted in a request body. */
  public static final int MAX_DEPTH = 64;

  public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          // Every body read is already capped in bytes (http.maxBodyBytes, upstream response limits); Jackson's own
          // 20M-character string cap would silently refuse a base64 image that the body limit allows.
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
              .maxStringLength(Integer.MAX_VALUE).build())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      // Emoji and other characters beyond the BMP go out as UTF-8, as every provider sends them, not as \uD83D pairs.
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build();

  private JsonSupport() {
  }
}
