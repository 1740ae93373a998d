package dev.autogen.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Automx2ConfigTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("automx2.conf"), text);
    }

    @Test
    void readsDbUriLikePythonsConfigparser() throws Exception {
        Path conf = file("""
                # automx2 configuration
                [DEFAULT]
                host = db.example.com

                [automx2]
                ; comment
                loglevel = WARNING
                DB_URI: mysql+pymysql://automx2:p%%40ss@%(host)s/automx2
                proxy_count = 1
                """);
        assertEquals("mysql+pymysql://automx2:p%40ss@db.example.com/automx2", Automx2Config.dbUri(Optional.of(conf)));
    }

    @Test
    void continuationLinesBelongToTheValue() throws Exception {
        Path conf = file("[automx2]\ndb_uri = sqlite:////var/lib/\n  automx2/db.sqlite\n");
        assertEquals("sqlite:////var/lib/\nautomx2/db.sqlite", Automx2Config.dbUri(Optional.of(conf)));
    }

    @Test
    void clearErrorsWithoutEchoingTheValue() throws Exception {
        IOException none = assertThrows(IOException.class,
                () -> Automx2Config.dbUri(Optional.of(file("[automx2]\nloglevel = DEBUG\n"))));
        assertEquals(dir.resolve("automx2.conf") + ": no db_uri in section [automx2]", none.getMessage());

        IOException percent = assertThrows(IOException.class,
                () -> Automx2Config.dbUri(Optional.of(file("[automx2]\ndb_uri = mysql://u:p%40secret@h/db\n"))));
        assertFalse(percent.getMessage().contains("secret"), percent.getMessage());

        IOException twice = assertThrows(IOException.class,
                () -> Automx2Config.dbUri(Optional.of(file("[automx2]\ndb_uri = a\ndb_uri = b\n"))));
        assertEquals(dir.resolve("automx2.conf") + ":3: option db_uri appears twice", twice.getMessage());

        assertThrows(NoSuchFileException.class, () -> Automx2Config.dbUri(Optional.of(dir.resolve("absent.conf"))));
    }

    @Test
    void searchOrderIsAutomx2s() {
        Path home = Path.of("/home/someone");
        assertEquals(List.of(Path.of("/opt/a.conf"), home.resolve(".automx2.conf"),
                        Path.of("/etc/automx2/automx2.conf"), Path.of("/etc/automx2.conf")),
                Automx2Config.searchOrder(Map.of("AUTOMX2_CONF", "/opt/a.conf"), home));
        assertEquals(List.of(home.resolve(".automx2.conf"), Path.of("/etc/automx2/automx2.conf"),
                Path.of("/etc/automx2.conf")), Automx2Config.searchOrder(Map.of(), home));
    }
}
