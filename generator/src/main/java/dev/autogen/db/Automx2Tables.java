package dev.autogen.db;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The raw rows of automx2's seven tables, as text: SQLite stores whatever it is given, so every value is parsed and
 * checked later by {@link Automx2Mapping}, which can then name the table, the row and the bad value.
 */
record Automx2Tables(List<Row> providers, List<Row> domains, List<Row> servers, List<Row> davservers,
                     List<Row> ldapservers, List<Link> serverDomains, List<Link> davserverDomains) {

    /** automx2's tables, in the order they are created. */
    static final List<String> TABLES = List.of("provider", "ldapserver", "domain", "server", "server_domain",
            "davserver", "davserver_domain");

    /**
     * One row: its integer primary key and its other columns (null for SQL NULL). The column names are the table's
     * one array, shared by its rows: a million domain rows must not each carry a map.
     */
    record Row(long id, String[] columns, String[] values) {
        String get(String column) {
            for (int i = 0; i < columns.length; i++) {
                if (columns[i].equals(column)) {
                    return values[i];
                }
            }
            throw new IllegalArgumentException("no column " + column);
        }
    }

    /**
     * One row of an association table (four per domain in a usual automx2 database): the ids as numbers, the text
     * only when it is not one (null or other text in a broken SQLite file), for the messages.
     */
    static final class Link {
        private static final long NOT_A_NUMBER = Long.MIN_VALUE;
        private final long owner;
        private final long domain;
        private final String ownerText;
        private final String domainText;

        Link(String ownerId, String domainId) {
            this.owner = number(ownerId);
            this.domain = number(domainId);
            this.ownerText = owner == NOT_A_NUMBER ? ownerId : null;
            this.domainText = domain == NOT_A_NUMBER ? domainId : null;
        }

        /** The id as stored: digits, or the text that is none. */
        String ownerId() {
            return ownerText != null || owner == NOT_A_NUMBER ? ownerText : Long.toString(owner);
        }

        String domainId() {
            return domainText != null || domain == NOT_A_NUMBER ? domainText : Long.toString(domain);
        }

        /** The value when the text is exactly the canonical decimal of a long (what it gives back), else none. */
        private static long number(String text) {
            if (text == null || text.isEmpty() || text.length() > 19) {
                return NOT_A_NUMBER;
            }
            try {
                long n = Long.parseLong(text);
                return n != NOT_A_NUMBER && Long.toString(n).equals(text) ? n : NOT_A_NUMBER;
            } catch (NumberFormatException e) {
                return NOT_A_NUMBER;
            }
        }
    }

    /**
     * Reads every table in one read-only transaction: REPEATABLE READ (SERIALIZABLE on SQLite, its only snapshot
     * level) so that rows changed by automx2's admin while we read cannot mix two states.
     */
    static Automx2Tables read(Connection connection, DatabaseUrl url) throws DatabaseUnavailableException {
        return read(connection, url, () -> { });
    }

    /** {@link #read(Connection, DatabaseUrl)}, running {@code afterFirstTable} between two queries (for tests). */
    static Automx2Tables read(Connection connection, DatabaseUrl url, Runnable afterFirstTable)
            throws DatabaseUnavailableException {
        try {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(url.dialect() == DatabaseUrl.Dialect.SQLITE
                    ? Connection.TRANSACTION_SERIALIZABLE : Connection.TRANSACTION_REPEATABLE_READ);
            Set<String> missing = missingTables(connection, url);
            if (!missing.isEmpty()) {
                throw new DatabaseUnavailableException("cannot read " + url + ": missing table"
                        + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                        + " (not an automx2 database? `autogen initdb` creates the schema)");
            }
            List<Row> providers = rows(connection, "provider", "name", "short_name");
            afterFirstTable.run();
            Automx2Tables tables = new Automx2Tables(
                    providers,
                    rows(connection, "domain", "name", "provider_id", "ldapserver_id"),
                    rows(connection, "server", "prio", "name", "port", "type", "socket_type", "user_name",
                            "authentication"),
                    rows(connection, "davserver", "url", "port", "type", "use_ssl", "domain_required", "user_name"),
                    rows(connection, "ldapserver", "name", "port", "use_ssl", "search_base", "search_filter",
                            "attr_uid", "attr_cn", "bind_password", "bind_user"),
                    links(connection, "server_domain", "server_id"),
                    links(connection, "davserver_domain", "davserver_id"));
            connection.rollback(); // nothing was written; ends the snapshot
            return tables;
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot read " + url + ": " + Connections.describe(url, e), e);
        }
    }

    /** Tables of automx2's schema that the database lacks (names compared case-insensitively). */
    static Set<String> missingTables(Connection connection, DatabaseUrl url) throws SQLException {
        Set<String> present = existingTables(connection, url);
        Set<String> missing = new TreeSet<>();
        for (String table : TABLES) {
            if (!present.contains(table)) {
                missing.add(table);
            }
        }
        return missing;
    }

    static Set<String> existingTables(Connection connection, DatabaseUrl url) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String catalog = url.dialect() == DatabaseUrl.Dialect.MARIADB ? connection.getCatalog() : null;
        String schema = url.dialect() == DatabaseUrl.Dialect.POSTGRESQL ? connection.getSchema() : null;
        Set<String> present = new TreeSet<>();
        try (ResultSet rs = meta.getTables(catalog, schema, "%", new String[] {"TABLE", "VIEW"})) {
            while (rs.next()) {
                present.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return present;
    }

    private static List<Row> rows(Connection connection, String table, String... columns) throws SQLException {
        String sql = "SELECT id, " + String.join(", ", columns) + " FROM " + table + " ORDER BY id";
        return query(connection, sql, rs -> {
            String[] values = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                values[i] = text(rs, columns[i]);
            }
            return new Row(rs.getLong("id"), columns, values);
        });
    }

    private static List<Link> links(Connection connection, String table, String ownerColumn) throws SQLException {
        String sql = "SELECT " + ownerColumn + ", domain_id FROM " + table + " ORDER BY " + ownerColumn + ", domain_id";
        return query(connection, sql, rs -> new Link(text(rs, ownerColumn), text(rs, "domain_id")));
    }

    /**
     * A column as text. Booleans arrive as {@code true}/{@code false} (PostgreSQL), 1/0 (SQLite, MariaDB); the
     * mapping accepts all of them.
     */
    private static String text(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        return value == null ? null : value.toString();
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(Connection connection, String sql, RowReader<T> reader) throws SQLException {
        List<T> out = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(reader.read(rs));
            }
        }
        return out;
    }
}
