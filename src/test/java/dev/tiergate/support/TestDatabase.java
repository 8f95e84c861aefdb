package dev.tiergate.support;

import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.config.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A fresh, empty schema {@code t_<random>} on a real PostgreSQL per test: the server of
 * {@code TIERGATE_TEST_DATABASE_URL} when set (CI points it at the local server), otherwise one Testcontainers
 * PostgreSQL shared by the test run. {@link #close()} drops the schema with everything in it, so tests never depend
 * on each other or on their order. The helpers run plain SQL over JDBC, as an operator would with psql.
 */
public final class TestDatabase implements AutoCloseable {

  private final DatabaseConfig config;

  private TestDatabase(DatabaseConfig config) {
    this.config = config;
  }

  /** Creates an empty schema with a random name. */
  public static TestDatabase create() {
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    DatabaseConfig server = server();
    DatabaseConfig config = new DatabaseConfig(server.host(), server.port(), server.database(), server.user(),
        server.password(), schema, server.ssl());
    TestDatabase database = new TestDatabase(config);
    database.executeUnscoped("CREATE SCHEMA " + schema);
    return database;
  }

  /** Where the schema lives; {@link DatabaseConfig#schema()} is this test's own schema. */
  public DatabaseConfig config() {
    return config;
  }

  /** {@code DATABASE_URL} for a gateway using this server (pass {@link DatabaseConfig#schema()} separately). */
  public String url() {
    String password = config.password().map(p -> ":" + URLEncoder.encode(p.value(),
        StandardCharsets.UTF_8)).orElse("");
    return "postgres://" + URLEncoder.encode(config.user(), StandardCharsets.UTF_8)
        + password + "@" + config.host() + ":" + config.port() + "/" + config.database();
  }

  /**
   * Points every provider row of the migrated registry at a fake upstream at {@code root}
   * ({@code http://127.0.0.1:port}; {@code /v1} added for the OpenAI-compatible ones), keyed by {@code FAKE_KEY}.
   */
  public void pointProvidersAt(String root) {
    execute("UPDATE llm_providers SET api_key_env = 'FAKE_KEY', base_url = CASE WHEN family = 'openai-compatible'"
        + " THEN ? ELSE ? END", root + "/v1", root);
  }

  /** Runs one statement with {@code search_path} set to this test's schema; returns the update count. */
  public int execute(String sql, Object... params) {
    try (Connection conn = connect(); PreparedStatement statement = conn.prepareStatement(sql)) {
      bind(statement, params);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Runs a query in this test's schema; each row maps column label to value, in column order. */
  public List<Map<String, Object>> query(String sql, Object... params) {
    try (Connection conn = connect(); PreparedStatement statement = conn.prepareStatement(sql)) {
      bind(statement, params);
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
            row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    executeUnscoped("DROP SCHEMA IF EXISTS " + config.schema() + " CASCADE");
  }

  private Connection connect() throws SQLException {
    Connection conn = DriverManager.getConnection(config.jdbcUrl(), config.user(),
        config.password().map(Secret::value).orElse(null));
    try (Statement statement = conn.createStatement()) {
      statement.execute("SET search_path TO " + config.schema());
    }
    return conn;
  }

  private void executeUnscoped(String sql) {
    try (Connection conn = DriverManager.getConnection(config.jdbcUrl(), config.user(),
        config.password().map(Secret::value).orElse(null)); Statement statement = conn.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement statement, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, params[i]);
    }
  }

  private static DatabaseConfig server() {
    String url = System.getenv("TIERGATE_TEST_DATABASE_URL");
    return DatabaseConfig.fromUrl(url, "public").orElseGet(Container::config);
  }

  /** Started on first use only, so runs with {@code TIERGATE_TEST_DATABASE_URL} never need Docker. */
  private static final class Container {

    private static final PostgreSQLContainer<?> POSTGRES = start();

    private static PostgreSQLContainer<?> start() {
      PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:15-alpine");
      postgres.start();
      return postgres;
    }

    static DatabaseConfig config() {
      return new DatabaseConfig(POSTGRES.getHost(), POSTGRES.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
          POSTGRES.getDatabaseName(), POSTGRES.getUsername(), Optional.of(new Secret(POSTGRES.getPassword())),
          "public", false);
    }
  }
}
