package dev.tiergate.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL registry and state store live, parsed from {@code DATABASE_URL}
 * ({@code postgres://user:pass@host:port/db?sslmode=require&schema=tiergate}).
 *
 * <p>Neither {@link #toString()}, {@link #display()}, {@link #jdbcUrl()} nor any parse error shows the password.
 *
 * @param schema the schema holding Tiergate's tables (a lowercase SQL identifier; created by the migrations)
 * @param ssl    encrypt the connection ({@code sslmode=require}: encrypted, the server certificate is not verified)
 */
public record DatabaseConfig(String host, int port, String database, String user, Optional<Secret> password,
                             String schema, boolean ssl) {

  private static final String KEY = "DATABASE_URL";
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public DatabaseConfig {
    requireText(host, "host");
    Checks.range(KEY + " port", port, 1, 65_535);
    requireText(database, "database name");
    requireText(user, "user name");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(schema, "schema");
    if (!SCHEMA.matcher(schema).matches()) {
      // Unquoted identifiers fold to lowercase in SQL but not in Flyway; accepting only lowercase keeps both agreeing.
      throw new ConfigException(KEY, "schema '" + schema + "' must be a lowercase SQL identifier ([a-z_][a-z0-9_]*)");
    }
  }

  /**
   * Parses a {@code postgres://} or {@code postgresql://} URL. User, password and database may be percent-encoded
   * (they must be when they hold {@code @ : / ? #}). Query parameters: {@code sslmode} ({@code disable}, {@code allow},
   * {@code prefer} → plain; {@code require} → encrypted), {@code schema} / {@code currentSchema} /
   * {@code search_path} (the first entry). Defaults: host {@code localhost}, port 5432, user {@code postgres},
   * database = user, schema {@code public}.
   *
   * @param schema the schema to use; when not null it wins over the URL's
   * @return empty when {@code url} is null or blank
   * @throws ConfigException keyed {@code DATABASE_URL}; its message never contains the password
   */
  public static Optional<DatabaseConfig> fromUrl(String url, String schema) {
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(parse(url.trim(), schema));
  }

  /** The JDBC URL for Flyway; it carries no credentials (pass {@link #user()} and {@link #password()} apart). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + hostPort() + "/" + encode(database) + "?sslmode=" + (ssl ? "require" : "disable");
  }

  /** For logs and {@code /admin/status}: the URL with the password masked. */
  public String display() {
    String credentials = encode(user) + (password.isPresent() ? ":***" : "");
    return "postgres://" + credentials + "@" + hostPort() + "/" + encode(database) + "?schema=" + schema
        + (ssl ? "&sslmode=require" : "");
  }

  private String hostPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static DatabaseConfig parse(String url, String schemaArgument) {
    int schemeEnd = url.indexOf("://");
    String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd);
    if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
      throw new ConfigException(KEY, "must start with postgres:// or postgresql://");
    }
    String rest = url.substring(schemeEnd + 3);
    // The user-info ends at the last '@' before the path, so a password holding an unencoded '@' still parses.
    int pathStart = indexOfAny(rest, rest.lastIndexOf('@') + 1, "/?");
    String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
    String tail = pathStart < 0 ? "" : rest.substring(pathStart);
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? "" : authority.substring(0, at);
    String hostPort = authority.substring(at + 1);

    int colon = userInfo.indexOf(':');
    String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
    Optional<Secret> password = colon < 0 ? Optional.empty()
        : Optional.of(decode(userInfo.substring(colon + 1), "password")).filter(p -> !p.isEmpty()).map(Secret::new);
    if (user.isEmpty()) {
      user = "postgres";
    }

    String[] hostAndPort = hostAndPort(hostPort);
    int query = tail.indexOf('?');
    String path = query < 0 ? tail : tail.substring(0, query);
    Map<String, String> params = query(query < 0 ? "" : tail.substring(query + 1));
    String database = decode(path.startsWith("/") ? path.substring(1) : path, "database name");
    if (database.isEmpty()) {
      database = user;
    }
    String schema = schemaArgument != null ? schemaArgument : schemaParameter(params);
    return new DatabaseConfig(hostAndPort[0], port(hostAndPort[1]), database, user, password, schema, ssl(params));
  }

  private static String[] hostAndPort(String hostPort) {
    if (hostPort.contains(",")) {
      throw new ConfigException(KEY, "lists several hosts; give exactly one");
    }
    String host;
    String port;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new ConfigException(KEY, "has an unterminated IPv6 address");
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        throw new ConfigException(KEY, "has text after the IPv6 address");
      }
      port = after.isEmpty() ? "" : after.substring(1);
    } else {
      int colon = hostPort.indexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      port = colon < 0 ? "" : hostPort.substring(colon + 1);
    }
    return new String[] {host.isEmpty() ? "localhost" : decode(host, "host"), port};
  }

  private static int port(String port) {
    if (port.isEmpty()) {
      return 5432;
    }
    // The value is not echoed: with a malformed URL this part may hold a piece of the password.
    if (!port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5
        || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
      throw new ConfigException(KEY, "port must be a number from 1 to 65535 (is a character in the password not"
          + " percent-encoded?)");
    }
    return Integer.parseInt(port);
  }

  private static Map<String, String> query(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), "query parameter name");
      params.put(name, decode(eq < 0 ? "" : pair.substring(eq + 1), "query parameter " + name));
    }
    return params;
  }

  private static String schemaParameter(Map<String, String> params) {
    for (String name : new String[] {"schema", "currentSchema", "search_path"}) {
      String value = params.get(name);
      if (value != null && !value.isBlank()) {
        return value.split(",")[0].trim();
      }
    }
    return "public";
  }

  private static boolean ssl(Map<String, String> params) {
    String mode = params.get("sslmode");
    if (mode == null) {
      return "true".equalsIgnoreCase(params.get("ssl"));
    }
    return switch (mode) {
      case "disable", "allow", "prefer" -> false;
      case "require" -> true;
      case "verify-ca", "verify-full" -> throw new ConfigException(KEY,
          "sslmode=" + mode + " is not supported (certificate verification is not configurable); use sslmode=require");
      default -> throw new ConfigException(KEY, "unknown sslmode '" + mode + "'");
    };
  }

  private static int indexOfAny(String text, int from, String chars) {
    for (int i = from; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Percent-decoding as in URLs ('+' stays '+', unlike form decoding). Errors name the part, never its value. */
  private static String decode(String text, String part) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
      if (lo < 0) {
        throw new ConfigException(KEY, "the " + part + " has an invalid percent-encoding");
      }
      bytes.write(hi * 16 + lo);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(KEY, "the " + part + " is not valid UTF-8 once percent-decoded");
    }
  }

  private static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(KEY, what + " is missing");
    }
  }
}
