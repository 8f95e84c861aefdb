package dev.tiergate.registry;

import dev.tiergate.config.DatabaseConfig;
import dev.tiergate.config.Secret;
import org.flywaydb.core.Flyway;

/**
 * Applies the SQL migrations of {@code db/migrations} (shipped in the jar at {@code classpath:db/migrations}) to the
 * configured schema, creating it when missing. Flyway records what it applied, so a second run is a no-op.
 */
public final class Migrations {

  private Migrations() {
  }

  /**
   * Brings the schema up to date. BLOCKING (JDBC): run it through {@code vertx.executeBlocking}.
   *
   * @throws IllegalStateException when the database is unreachable or a migration fails; the message names the
   *                               database (password masked) and never contains the password
   */
  public static void migrate(DatabaseConfig db) {
    String password = db.password().map(Secret::value).orElse(null);
    try {
      Flyway.configure()
          // A dead host must fail start-up in seconds, not hang it (pgjdbc's timeouts are in seconds).
          .dataSource(db.jdbcUrl() + "&connectTimeout=5&loginTimeout=10", db.user(), password)
          .schemas(db.schema())
          .createSchemas(true)
          .locations("classpath:db/migrations")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw failure(db, password, e);
    }
  }

  private static IllegalStateException failure(DatabaseConfig db, String password, RuntimeException cause) {
    StringBuilder reasons = new StringBuilder();
    boolean leaks = false;
    for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (password != null && !password.isEmpty() && message.contains(password)) {
        leaks = true;
        message = message.replace(password, "***");
      }
      if (reasons.indexOf(message) < 0) {
        reasons.append(reasons.isEmpty() ? "" : "; caused by: ").append(message);
      }
    }
    String text = "database migration failed on " + db.display() + ": " + reasons;
    // Keep the stack trace for diagnosis unless some message in it carries the password.
    return leaks ? new IllegalStateException(text) : new IllegalStateException(text, cause);
  }
}
