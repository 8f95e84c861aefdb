package dev.tiergate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** DATABASE_URL parsing: every part, the defaults, and no password in any output or error. */
class DatabaseConfigTest {

  private static final String PASSWORD = "s3cr3t-NEVER-SHOWN";

  @Test
  void parsesEveryPart() {
    DatabaseConfig db = parse("postgres://tiergate:" + PASSWORD + "@db.internal:6543/gateway?sslmode=require"
        + "&schema=tg");
    assertEquals(new DatabaseConfig("db.internal", 6543, "gateway", "tiergate", Optional.of(new Secret(PASSWORD)),
        "tg", true), db);
    assertEquals("jdbc:postgresql://db.internal:6543/gateway?sslmode=require", db.jdbcUrl());
    assertEquals("postgres://tiergate:***@db.internal:6543/gateway?schema=tg&sslmode=require", db.display());
  }

  @Test
  void appliesDefaults() {
    DatabaseConfig db = parse("postgresql://localhost");
    assertEquals(new DatabaseConfig("localhost", 5432, "postgres", "postgres", Optional.empty(), "public", false), db);
    assertEquals("jdbc:postgresql://localhost:5432/postgres?sslmode=disable", db.jdbcUrl());
    assertEquals("postgres://postgres@localhost:5432/postgres?schema=public", db.display());
    assertEquals(new DatabaseConfig("localhost", 5432, "app", "app", Optional.empty(), "public", false),
        parse("postgres://app@/"));
  }

  @Test
  void percentDecodesUserPasswordAndDatabase() {
    DatabaseConfig db = parse("postgres://us%40er:p%3Aw%2Fd%40%25+x%C3%A9@host/my%20db");
    assertEquals("us@er", db.user());
    assertEquals("p:w/d@%+xé", db.password().orElseThrow().value());
    assertEquals("my db", db.database());
    assertEquals("jdbc:postgresql://host:5432/my%20db?sslmode=disable", db.jdbcUrl());
    assertEquals("postgres://us%40er:***@host:5432/my%20db?schema=public", db.display());
  }

  @Test
  void acceptsAnUnencodedAtSignInThePassword() {
    DatabaseConfig db = parse("postgres://u:p@ss@host:5433/db");
    assertEquals("p@ss", db.password().orElseThrow().value());
    assertEquals("host", db.host());
    assertEquals(5433, db.port());
  }

  @Test
  void parsesIpv6Hosts() {
    DatabaseConfig db = parse("postgres://u@[::1]:5999/db");
    assertEquals("::1", db.host());
    assertEquals(5999, db.port());
    assertEquals("jdbc:postgresql://[::1]:5999/db?sslmode=disable", db.jdbcUrl());
  }

  @Test
  void readsTheSchemaFromAnyOfItsParameterNames() {
    assertEquals("a", parse("postgres://h/db?schema=a").schema());
    assertEquals("b", parse("postgres://h/db?currentSchema=b").schema());
    assertEquals("c", parse("postgres://h/db?search_path=c,public").schema());
    assertEquals("explicit", DatabaseConfig.fromUrl("postgres://h/db?schema=a", "explicit").orElseThrow().schema());
  }

  @Test
  void mapsSslModes() {
    assertFalse(parse("postgres://h/db?sslmode=disable").ssl());
    assertFalse(parse("postgres://h/db?sslmode=prefer").ssl());
    assertTrue(parse("postgres://h/db?sslmode=require").ssl());
    assertTrue(parse("postgres://h/db?ssl=true").ssl());
    assertError("postgres://h/db?sslmode=verify-full", "use sslmode=require");
    assertError("postgres://h/db?sslmode=sometimes", "unknown sslmode");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void aMissingUrlMeansNoDatabase(String url) {
    assertEquals(Optional.empty(), DatabaseConfig.fromUrl(url, null));
  }

  @Test
  void errorsNameTheKeyButNeverThePassword() {
    assertError("mysql://u:" + PASSWORD + "@h/db", "postgres://");
    assertError("postgres://u:" + PASSWORD + "/x@h:port/db", "port must be a number");
    assertError("postgres://u:" + PASSWORD + "%zz@h/db", "password has an invalid percent-encoding");
    assertError("postgres://u:" + PASSWORD + "@h1,h2/db", "several hosts");
    assertError("postgres://u:" + PASSWORD + "@h:70000/db", "port must be a number");
    assertError("postgres://u:" + PASSWORD + "@h/db?schema=Mixed", "lowercase SQL identifier");
  }

  @Test
  void toStringMasksThePassword() {
    DatabaseConfig db = parse("postgres://u:" + PASSWORD + "@h/db");
    assertFalse(db.toString().contains(PASSWORD), db.toString());
    assertFalse(db.display().contains(PASSWORD));
    assertFalse(db.jdbcUrl().contains(PASSWORD));
  }

  private static DatabaseConfig parse(String url) {
    return DatabaseConfig.fromUrl(url, null).orElseThrow();
  }

  private static void assertError(String url, String expected) {
    ConfigException error = assertThrows(ConfigException.class, () -> DatabaseConfig.fromUrl(url, null));
    assertTrue(error.getMessage().startsWith("DATABASE_URL"), error.getMessage());
    assertTrue(error.getMessage().contains(expected), error.getMessage());
    assertFalse(error.getMessage().contains(PASSWORD), error.getMessage());
  }
}
