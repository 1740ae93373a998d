package dev.autogen.cli;

import dev.autogen.config.YamlSource;
import dev.autogen.db.DatabaseUrl;
import dev.autogen.db.DatabaseWriter;
import dev.autogen.db.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unchanged re-render that stops before reading the YAML (or rendering a database): InputDigest. */
class RenderSkipTest {
    @TempDir
    Path tmp;

    private static final String SKIPPED = "inputs unchanged since the last render: nothing read or rendered";

    private Path minimalYaml() throws Exception {
        Path yaml = tmp.resolve("site.yaml");
        Files.copy(Path.of("../samples/minimal.yaml"), yaml);
        return yaml;
    }

    @Test
    void sameInputsWriteNothingAndSaySoWhileAnyChangeRendersAgain() throws Exception {
        Path yaml = minimalYaml();
        Path out = tmp.resolve("site");
        CliRun first = CliRun.of("render", yaml.toString(), "--out", out.toString(), "-v");
        assertEquals(ExitCodes.OK, first.exitCode(), first.toString());
        assertTrue(first.err().contains("rendering: there is no current version"), first.toString());
        Path version = out.resolve("current").toRealPath();
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(version.resolve("inputs.sha256"))));
        // not part of the site: sha256sum -c of the manifest and the version id do not see it
        assertTrue(Files.readAllLines(version.resolve("manifest.sha256")).stream().noneMatch(l -> l.endsWith("inputs.sha256")));
        Map<String, String> before = RenderErrorsTest.states(out);

        CliRun again = CliRun.of("render", yaml.toString(), "--out", out.toString(), "-v", "--threads", "1");
        assertEquals(ExitCodes.OK, again.exitCode(), again.toString());
        assertTrue(again.err().contains("skipped the render in"), again.toString());
        assertTrue(again.err().contains("are those " + version.getFileName() + " was rendered from, and its manifest "
                + "is intact"), again.toString());
        assertTrue(again.err().contains(SKIPPED), again.toString());
        assertEquals(before, RenderErrorsTest.states(out));
        assertEquals("", CliRun.of("render", yaml.toString(), "--out", out.toString(), "-q").err());

        // A comment: rendered again, same version; the stored digest is updated so the next render stops early.
        Files.writeString(yaml, Files.readString(yaml) + "\n# a comment\n");
        CliRun comment = CliRun.of("render", yaml.toString(), "--out", out.toString(), "-v");
        assertTrue(comment.err().contains("rendering: the inputs differ"), comment.toString());
        assertTrue(comment.err().contains("nothing changed"), comment.toString());
        assertEquals(version, out.resolve("current").toRealPath());
        assertTrue(CliRun.of("render", yaml.toString(), "--out", out.toString()).err().contains(SKIPPED));

        // An option that changes the output.
        CliRun option = CliRun.of("render", yaml.toString(), "--out", out.toString(), "--responder-url",
                "http://127.0.0.1:9999");
        assertTrue(option.err().startsWith("rendered"), option.toString());
        assertNotEquals(version, out.resolve("current").toRealPath());
    }

    @Test
    void aChangedTemplateOrADamagedManifestRendersAgain() throws Exception {
        Path yaml = minimalYaml();
        Path out = tmp.resolve("site");
        Path templates = Files.createDirectories(tmp.resolve("templates"));
        Files.writeString(templates.resolve("unused.ftl"), "1");
        String[] args = {"render", yaml.toString(), "--out", out.toString(), "--templates", templates.toString(), "-v"};
        assertEquals(ExitCodes.OK, CliRun.of(args).exitCode());
        assertTrue(CliRun.of(args).err().contains(SKIPPED));

        Files.writeString(templates.resolve("unused.ftl"), "2");
        CliRun template = CliRun.of(args);
        assertTrue(template.err().contains("rendering: the inputs differ"), template.toString());

        Path manifest = out.resolve("current").toRealPath().resolve("manifest.sha256");
        Files.writeString(manifest, "damage\n", java.nio.file.StandardOpenOption.APPEND);
        CliRun damaged = CliRun.of(args);
        assertTrue(damaged.err().contains("manifest is missing or damaged"), damaged.toString());
        assertTrue(damaged.err().contains("rendered 1 domain"), damaged.toString());
    }

    @Test
    void aSiteNamingOtherFilesIsAlwaysRendered() throws Exception {
        Path out = tmp.resolve("site");
        Path sample = Path.of("../samples/example.yaml"); // bindPasswordFile
        CliRun first = CliRun.of("render", sample.toString(), "--out", out.toString(), "-v");
        assertTrue(first.err().contains("names content outside it (tlsCaFile:)"), first.toString()); // in a comment
        CliRun again = CliRun.of("render", sample.toString(), "--out", out.toString());
        assertTrue(again.err().contains("nothing changed"), again.toString());
    }

    @Test
    void aDatabaseIsReadButNotRenderedWhenItsSnapshotIsUnchanged() throws Exception {
        Path file = tmp.resolve("automx2.sqlite");
        String jdbc = "jdbc:sqlite:" + file;
        DatabaseUrl url = DatabaseUrl.parse(jdbc);
        Schema.initialize(url, false);
        DatabaseWriter.write(url, YamlSource.load(Path.of("../samples/minimal.yaml")));
        Path out = tmp.resolve("site");
        assertEquals(ExitCodes.OK, CliRun.of("render", "--db", jdbc, "--out", out.toString()).exitCode());
        CliRun again = CliRun.of("render", "--db", jdbc, "--out", out.toString(), "-v");
        assertTrue(again.err().contains("read 1 domains from database"), again.toString());
        assertTrue(again.err().contains(SKIPPED), again.toString());

        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE server SET name = 'imap2.example.com' WHERE name LIKE 'imap.%'"));
        }
        CliRun changed = CliRun.of("render", "--db", jdbc, "--out", out.toString(), "-v");
        assertTrue(changed.err().contains("rendering: the inputs differ"), changed.toString());
        assertTrue(changed.err().contains("1 changed") || changed.err().contains("changed,"), changed.toString());
    }

    @Test
    void keysNamingOutsideContentAreFoundAcrossChunks() {
        for (String yaml : List.of("a:\n  tlsCaFile: x\n", "{bindPasswordEnv : X}", "signing:\n", "x: 1\n  keyFile:")) {
            byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
            InputDigest.KeyScanner scanner = new InputDigest.KeyScanner();
            for (int i = 0; i < bytes.length; i++) { // one byte at a time: every chunk border
                scanner.scan(new byte[] {bytes[i]}, 1);
            }
            assertTrue(scanner.externalKey != null, yaml);
        }
        for (String yaml : List.of("url: 'https://File:x'\n", "File: 1\n", "hostname: mail.example\n")) {
            InputDigest.KeyScanner scanner = new InputDigest.KeyScanner();
            byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
            scanner.scan(bytes, bytes.length);
            assertNull(scanner.externalKey, yaml);
        }
        assertEquals(List.of("render", "x.yaml", "--out", "o"), InputDigest.outputArgs(
                List.of("render", "-vq", "x.yaml", "--threads", "3", "--out", "o", "--threads=2", "--quiet")));
    }
}
