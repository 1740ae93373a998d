package dev.autogen.db;

import dev.autogen.cli.ExitCodes;
import dev.autogen.cli.Main;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wrong MariaDB password is reported once, in autogen's words: the driver's own console logger used to print
 * "[ WARN] (main) Error: 1698-28000: Access denied ..." to the process's stderr first, and SLF4J (used by the SQLite
 * driver, loaded with every driver) its "No SLF4J providers were found" lines.
 */
class DriverNoiseTest {
    /** In a JVM of its own, as the CLI runs: the driver picks its logger once per JVM, at its first use. */
    @Test
    void aWrongMariadbPasswordPrintsOnlyAutogensMessage() throws Exception {
        ScratchDatabase.requireServer(DatabaseUrl.Dialect.MARIADB);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "check", "--db", "mysql+pymysql://root:wrong-Secret@127.0.0.1/test")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ExitCodes.SOURCE_UNAVAILABLE, p.exitValue(), err);
        assertEquals(List.of("autogen: database: cannot connect to mysql://root:****@127.0.0.1/test: "
                + "Access denied for user 'root'@'127.0.0.1' (using password: YES)"), err.lines().toList());
    }
}
