package dev.autogen.db;

import dev.autogen.cli.InitDbCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code autogen initdb} on real databases: automx2's exact schema, and never touching existing data. */
class InitDbTest {
    @TempDir
    Path tempDir;

    private record Result(int code, String out, String err) {}

    private static Result initdb(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new InitDbCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** automx2's model.py: column name → nullable, per table. */
    private static final Map<String, Map<String, Boolean>> AUTOMX2_COLUMNS = new LinkedHashMap<>();

    static {
        AUTOMX2_COLUMNS.put("provider", columns("id", false, "name", false, "short_name", false));
        AUTOMX2_COLUMNS.put("server", columns("id", false, "prio", false, "name", false, "port", false, "type", false,
                "socket_type", false, "user_name", false, "authentication", false));
        AUTOMX2_COLUMNS.put("davserver", columns("id", false, "url", false, "port", false, "type", false,
                "use_ssl", false, "domain_required", false, "user_name", true));
        AUTOMX2_COLUMNS.put("ldapserver", columns("id", false, "name", false, "port", false, "use_ssl", false,
                "search_base", false, "search_filter", false, "attr_uid", false, "attr_cn", true,
                "bind_password", true, "bind_user", true));
        AUTOMX2_COLUMNS.put("domain", columns("id", false, "name", false, "provider_id", false,
                "ldapserver_id", true));
        AUTOMX2_COLUMNS.put("server_domain", columns("server_id", false, "domain_id", false));
        AUTOMX2_COLUMNS.put("davserver_domain", columns("davserver_id", false, "domain_id", false));
    }

    private static Map<String, Boolean> columns(Object... pairs) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], (Boolean) pairs[i + 1]);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void createsAutomx2sSchemaAndSampleData(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            Result r = initdb("--db", db.sqlAlchemyUrl, "--sample");
            assertEquals(0, r.code(), r.err());
            DatabaseUrl url = DatabaseUrl.parse(db.sqlAlchemyUrl);
            assertEquals("created automx2's tables in " + url + "; inserted the sample data\n", r.out());

            try (Connection c = db.connect()) {
                DatabaseMetaData meta = c.getMetaData();
                for (Map.Entry<String, Map<String, Boolean>> table : AUTOMX2_COLUMNS.entrySet()) {
                    Map<String, Boolean> actual = new LinkedHashMap<>();
                    try (ResultSet rs = meta.getColumns(dialect == DatabaseUrl.Dialect.MARIADB ? db.name : null,
                            dialect == DatabaseUrl.Dialect.POSTGRESQL ? "public" : null, table.getKey(), "%")) {
                        while (rs.next()) {
                            actual.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                                    rs.getInt("NULLABLE") == DatabaseMetaData.columnNullable);
                        }
                    }
                    assertEquals(table.getValue(), actual, table.getKey());
                }
                try (Statement st = c.createStatement()) {
                    // automx2 inserts rows without an id (populate_with_dict) and relies on prio's server default
                    st.execute("INSERT INTO provider (name, short_name) VALUES ('New', 'N')");
                    st.execute("INSERT INTO server (name, port, type, socket_type, user_name, authentication)"
                            + " VALUES ('x.example', 993, 'imap', 'SSL', '%EMAILADDRESS%', 'plain')");
                    try (ResultSet rs = st.executeQuery("SELECT MAX(id) FROM provider")) {
                        rs.next();
                        assertEquals(1003, rs.getLong(1));
                    }
                    try (ResultSet rs = st.executeQuery("SELECT prio FROM server WHERE name = 'x.example'")) {
                        rs.next();
                        assertEquals(10, rs.getInt(1));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void neverTouchesExistingData(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            assertEquals(0, initdb("--db", db.jdbcUrl).code());
            DatabaseUrl url = DatabaseUrl.parse(db.jdbcUrl);

            Result again = initdb("--db", db.jdbcUrl);
            assertEquals(0, again.code());
            assertEquals(url + " already has automx2's tables; nothing to do\n", again.out());

            // empty tables may still receive the sample data
            assertEquals(0, initdb("--db", db.jdbcUrl, "--sample").code());
            db.execute("UPDATE provider SET name = 'Edited by the admin' WHERE id = 1000");

            Result refused = initdb("--db", db.jdbcUrl, "--sample");
            assertEquals(3, refused.code());
            assertEquals("autogen initdb: " + url + " already holds data (tables provider, domain, server,"
                    + " server_domain, davserver, davserver_domain); sample data is only added to empty tables,"
                    + " nothing was changed\n", refused.err());
            assertEquals(List.of("Edited by the admin", "Ham & Eggs", "Some Other Provider"), providerNames(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void refusesAPartialSchema(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            db.execute("CREATE TABLE provider (id INTEGER NOT NULL, name VARCHAR(128) NOT NULL,"
                    + " short_name VARCHAR(32) NOT NULL, PRIMARY KEY (id))",
                    "INSERT INTO provider (id, name, short_name) VALUES (1, 'Keep me', 'K')");
            Result r = initdb("--db", db.jdbcUrl, "--sample");
            assertEquals(3, r.code());
            assertTrue(r.err().contains("has part of automx2's schema (tables provider exist, davserver,"
                    + " davserver_domain, domain, ldapserver, server, server_domain do not); not touching it"), r.err());
            assertEquals(List.of("Keep me"), providerNames(db));
            try (Connection c = db.connect()) {
                assertEquals(List.of("provider"), new ArrayList<>(Automx2Tables.existingTables(c,
                        DatabaseUrl.parse(db.jdbcUrl))).stream().filter(Automx2Tables.TABLES::contains).toList());
            }
        }
    }

    @Test
    void unusableUrlsExitWithFour() {
        Result memory = initdb("--db", "sqlite:///:memory:");
        assertEquals(4, memory.code());
        assertEquals("autogen initdb: sqlite:///:memory: is an in-memory database: it holds no data to read\n",
                memory.err());
        Result unreachable = initdb("--db", "postgresql://postgres:Secret99@127.0.0.1:1/x");
        assertEquals(4, unreachable.code());
        assertTrue(unreachable.err().startsWith("autogen initdb: cannot connect to postgresql://postgres:****@"
                + "127.0.0.1:1/x: "), unreachable.err());
        assertTrue(!unreachable.err().contains("Secret99"));
        assertEquals(2, initdb().code());
    }

    private static List<String> providerNames(ScratchDatabase db) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM provider ORDER BY id")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
