package dev.autogen.db;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh, uniquely named database on the local test servers (PostgreSQL: user postgres, trust auth; MariaDB: user
 * root, empty password; both on 127.0.0.1), or a fresh SQLite file; dropped by {@link #close()}. A server that is
 * not running skips the test with a visible reason, except under CI=true, where it fails the test.
 */
final class ScratchDatabase implements AutoCloseable {
    static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String MARIADB_ADMIN = "jdbc:mariadb://127.0.0.1:3306/test";

    private static final Map<DatabaseUrl.Dialect, String> UNAVAILABLE = new EnumMap<>(DatabaseUrl.Dialect.class);

    final DatabaseUrl.Dialect dialect;
    final String name;
    /** A JDBC URL of the scratch database. */
    final String jdbcUrl;
    /** The same database as automx2 would name it in db_uri. */
    final String sqlAlchemyUrl;

    private ScratchDatabase(DatabaseUrl.Dialect dialect, String name, String jdbcUrl, String sqlAlchemyUrl) {
        this.dialect = dialect;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.sqlAlchemyUrl = sqlAlchemyUrl;
    }

    static ScratchDatabase create(DatabaseUrl.Dialect dialect, Path tempDir) throws SQLException {
        String name = "autogen_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        switch (dialect) {
            case SQLITE -> {
                Path file = tempDir.resolve(name + ".sqlite");
                return new ScratchDatabase(dialect, name, "jdbc:sqlite:" + file, "sqlite:///" + file);
            }
            case POSTGRESQL -> {
                requireServer(dialect);
                try (Connection c = admin(dialect); Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + name);
                }
                return new ScratchDatabase(dialect, name, "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres",
                        "postgresql+psycopg2://postgres@127.0.0.1/" + name);
            }
            case MARIADB -> {
                requireServer(dialect);
                try (Connection c = admin(dialect); Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + name);
                }
                return new ScratchDatabase(dialect, name, "jdbc:mariadb://127.0.0.1:3306/" + name + "?user=root",
                        "mysql+pymysql://root@127.0.0.1/" + name);
            }
            default -> throw new IllegalArgumentException(dialect.toString());
        }
    }

    /** Skips (or under CI=true fails) when the server for {@code dialect} is not reachable. */
    static synchronized void requireServer(DatabaseUrl.Dialect dialect) {
        if (dialect == DatabaseUrl.Dialect.SQLITE) {
            return;
        }
        if (!UNAVAILABLE.containsKey(dialect)) {
            try (Connection ignored = admin(dialect)) {
                UNAVAILABLE.put(dialect, "");
            } catch (SQLException e) {
                UNAVAILABLE.put(dialect, dialect + " test server not reachable on 127.0.0.1 (" + e.getMessage() + ")");
            }
        }
        String reason = UNAVAILABLE.get(dialect);
        if (!reason.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(reason + "; CI=true requires every database server");
            }
            Assumptions.abort("SKIPPED: " + reason + " (set CI=true to make this a failure)");
        }
    }

    static Connection admin(DatabaseUrl.Dialect dialect) throws SQLException {
        Properties props = new Properties();
        if (dialect == DatabaseUrl.Dialect.POSTGRESQL) {
            props.setProperty("user", "postgres");
            props.setProperty("connectTimeout", "3");
            return DriverManager.getConnection(PG_ADMIN, props);
        }
        props.setProperty("user", "root");
        props.setProperty("connectTimeout", "3000");
        return DriverManager.getConnection(MARIADB_ADMIN, props);
    }

    /** A read-write connection to the scratch database, for setting up rows. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    /** Runs statements against the scratch database (test setup). */
    void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        switch (dialect) {
            case SQLITE -> { /* the file lives in the test's temporary directory */ }
            case POSTGRESQL -> {
                try (Connection c = admin(dialect); Statement st = c.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
            }
            case MARIADB -> {
                try (Connection c = admin(dialect); Statement st = c.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + name);
                }
            }
        }
    }
}
