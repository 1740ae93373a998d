package dev.autogen.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates automx2's schema ({@code autogen initdb}): the safe replacement for automx2's unauthenticated
 * {@code /initdb/} endpoint. It never drops or changes existing data: it creates the tables only in a database that
 * has none of them, and inserts the sample rows only into empty tables.
 */
public final class Schema {
    private Schema() {}

    /** Creation would touch existing data, or the schema is incomplete: nothing was changed. */
    public static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    /**
     * @param sample also insert automx2's sample data (tables must be empty)
     * @return what was done, one line
     */
    public static String initialize(DatabaseUrl url, boolean sample) throws DatabaseUnavailableException,
            RefusedException {
        try (Connection connection = Connections.open(url, false)) {
            Set<String> existing = new TreeSet<>(Automx2Tables.existingTables(connection, url));
            existing.retainAll(Automx2Tables.TABLES);
            if (!existing.isEmpty() && existing.size() < Automx2Tables.TABLES.size()) {
                Set<String> missing = Automx2Tables.missingTables(connection, url);
                throw new RefusedException(url + " has part of automx2's schema (tables " + String.join(", ", existing)
                        + " exist, " + String.join(", ", missing) + " do not); not touching it");
            }
            boolean created = existing.isEmpty();
            if (!created) {
                if (!sample) {
                    return url + " already has automx2's tables; nothing to do";
                }
                List<String> nonEmpty = nonEmptyTables(connection);
                if (!nonEmpty.isEmpty()) {
                    throw new RefusedException(url + " already holds data (tables " + String.join(", ", nonEmpty)
                            + "); sample data is only added to empty tables, nothing was changed");
                }
            }
            connection.setAutoCommit(false);
            try {
                if (created) {
                    execute(connection, statements("db/schema-" + dialectFile(url) + ".sql"));
                }
                if (sample) {
                    execute(connection, statements("db/sample.sql"));
                    resetSequences(connection, url);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (created && url.dialect() == DatabaseUrl.Dialect.MARIADB) {
                    // MariaDB commits each CREATE TABLE at once: remove the (still empty) tables this run created.
                    dropCreatedTables(connection);
                }
                throw e;
            }
            return (created ? "created automx2's tables in " + url : "automx2's tables in " + url + " were empty")
                    + (sample ? "; inserted the sample data" : "");
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot initialize " + url + ": " + Connections.describe(url, e), e);
        }
    }

    /**
     * PostgreSQL's SERIAL sequences do not see rows inserted with explicit ids; move them past the highest id so
     * that later inserts (by automx2 or an admin) do not collide.
     */
    static void resetSequences(Connection connection, DatabaseUrl url) throws SQLException {
        if (url.dialect() != DatabaseUrl.Dialect.POSTGRESQL) {
            return;
        }
        try (Statement st = connection.createStatement()) {
            for (String table : List.of("provider", "ldapserver", "domain", "server", "davserver")) {
                st.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), "
                        + "COALESCE((SELECT MAX(id) FROM " + table + "), 0) + 1, false)");
            }
        }
    }

    static List<String> nonEmptyTables(Connection connection) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = connection.createStatement()) {
            for (String table : Automx2Tables.TABLES) {
                try (var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        out.add(table);
                    }
                }
            }
        }
        return out;
    }

    private static void dropCreatedTables(Connection connection) {
        List<String> reverse = new ArrayList<>(List.of("server_domain", "davserver_domain", "domain", "server",
                "provider", "ldapserver", "davserver"));
        try (Statement st = connection.createStatement()) {
            for (String table : reverse) {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        } catch (SQLException ignored) {
            // best effort; the original error is what the user needs to see
        }
    }

    private static String dialectFile(DatabaseUrl url) {
        return switch (url.dialect()) {
            case SQLITE -> "sqlite";
            case POSTGRESQL -> "postgresql";
            case MARIADB -> "mariadb";
        };
    }

    private static void execute(Connection connection, List<String> statements) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** The statements of a bundled SQL file: comment lines dropped, split at semicolons that end a line. */
    static List<String> statements(String resource) {
        try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.strip().startsWith("--") || line.isBlank()) {
                    continue;
                }
                current.append(line).append('\n');
                if (line.strip().endsWith(";")) {
                    String sql = current.toString().strip();
                    out.add(sql.substring(0, sql.length() - 1));
                    current.setLength(0);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
