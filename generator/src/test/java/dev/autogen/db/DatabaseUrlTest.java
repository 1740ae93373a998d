package dev.autogen.db;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseUrlTest {
    @Test
    void sqlAlchemySqliteUrlsUseThreeSlashesForRelativeAndFourForAbsolutePaths() throws Exception {
        DatabaseUrl abs = DatabaseUrl.parse("sqlite:////var/lib/automx2/db.sqlite");
        assertEquals(DatabaseUrl.Dialect.SQLITE, abs.dialect());
        assertEquals("jdbc:sqlite:/var/lib/automx2/db.sqlite", abs.jdbcUrl());
        assertEquals("sqlite:/var/lib/automx2/db.sqlite", abs.toString());

        DatabaseUrl rel = DatabaseUrl.parse("sqlite:///data/automx2.db");
        assertEquals(Path.of("data/automx2.db").toAbsolutePath().normalize(), rel.sqliteFile().orElseThrow());

        assertEquals(Path.of("/srv/a.db"), DatabaseUrl.parse("jdbc:sqlite:/srv/a.db").sqliteFile().orElseThrow());
    }

    @Test
    void inMemoryDatabasesAreRefused() {
        for (String url : List.of("sqlite://", "sqlite:///:memory:", "jdbc:sqlite::memory:", "jdbc:sqlite:")) {
            DatabaseUrlException e = assertThrows(DatabaseUrlException.class, () -> DatabaseUrl.parse(url));
            assertTrue(e.getMessage().contains("in-memory"), e.getMessage());
        }
    }

    @Test
    void mysqlUrlsUseTheMariadbDriverWithDecodedCredentialsAsProperties() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse(
                "mysql+pymysql://automx2:p%40ss%3Aw+rd@db.example.com:3307/automx2?charset=utf8mb4");
        assertEquals(DatabaseUrl.Dialect.MARIADB, url.dialect());
        assertEquals("jdbc:mariadb://db.example.com:3307/automx2", url.jdbcUrl());
        Properties props = url.connectionProperties();
        assertEquals("automx2", props.getProperty("user"));
        assertEquals("p@ss:w+rd", props.getProperty("password")); // '+' stays a plus, as in SQLAlchemy
        assertEquals("mysql://automx2:****@db.example.com:3307/automx2", url.toString());
        assertEquals("Access denied (password '****')", url.redact("Access denied (password 'p@ss:w+rd')"));
        assertFalse(url.redact("x p@ss:w+rd y").contains("p@ss:w+rd"));

        assertEquals("jdbc:mariadb://localhost/automx2", DatabaseUrl.parse("mariadb+mariadbconnector:///automx2")
                .jdbcUrl());
    }

    @Test
    void postgresqlUrls() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+psycopg2://automx2:secret@[::1]:5433/automx2?sslmode=require");
        assertEquals(DatabaseUrl.Dialect.POSTGRESQL, url.dialect());
        assertEquals("jdbc:postgresql://[::1]:5433/automx2", url.jdbcUrl());
        assertEquals("require", url.connectionProperties().getProperty("sslmode"));
        assertEquals("postgresql://automx2:****@[::1]:5433/automx2", url.toString());
        assertEquals("postgresql://postgres@127.0.0.1/test",
                DatabaseUrl.parse("postgres://postgres@127.0.0.1/test").toString());
    }

    @Test
    void jdbcUrlsPassThroughButAreShownWithoutPassword() throws Exception {
        DatabaseUrl pg = DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432/automx2?user=postgres&password=hunter2");
        assertEquals("jdbc:postgresql://127.0.0.1:5432/automx2?user=postgres&password=hunter2", pg.jdbcUrl());
        assertEquals("postgresql://postgres:****@127.0.0.1:5432/automx2", pg.toString());
        assertEquals("bad hunter", pg.redact("bad hunter"));
        assertEquals("bad ****", pg.redact("bad hunter2"));

        DatabaseUrl mysql = DatabaseUrl.parse("jdbc:mysql://db/automx2?user=root");
        assertEquals(DatabaseUrl.Dialect.MARIADB, mysql.dialect());
        assertEquals("jdbc:mariadb://db/automx2?user=root", mysql.jdbcUrl());
        assertEquals("mysql://root@db/automx2", mysql.toString());
    }

    @Test
    void refusesWhatItCannotHonourWithoutShowingThePassword() {
        for (String url : List.of("oracle://u:topsecret@h/db", "postgresql://u:topsecret@h/db?host=/run/postgresql",
                "postgresql://u:topsecret@h/db?options=-c", "mysql://u:topsecret@h", "jdbc:oracle:thin:u/topsecret@h",
                "mysql://u:top%ZZsecret@h/db", "not a url")) {
            DatabaseUrlException e = assertThrows(DatabaseUrlException.class, () -> DatabaseUrl.parse(url), url);
            assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
