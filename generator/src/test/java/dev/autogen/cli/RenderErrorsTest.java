package dev.autogen.cli;

import dev.autogen.publish.PublishResult;
import dev.autogen.publish.Publisher;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class of bad input named in the render issue: the exit code, each problem reported as {@code file:line:col},
 * and an existing site left exactly as it was. The fixtures are the config work's, with their {@code # expect:}
 * lines.
 */
class RenderErrorsTest {
    private static final Path FIXTURES = Path.of("src/test/resources/config");
    private static final String EXPECT = "# expect: ";

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> invalidInputExitsWith3AndLeavesTheSiteAlone() {
        return Stream.of("syntax-error", "unknown-keys", "wrong-types", "invalid-values", "no-smtp",
                        "duplicate-domain", "password-sources", "tls-ca-files", "web-invalid", "web-inconsistent")
                .map(name -> DynamicTest.dynamicTest(name, () -> check(FIXTURES.resolve(name + ".yaml"))));
    }

    private void check(Path fixture) throws Exception {
        Path out = existingSite(tmp.resolve(fixture.getFileName() + ".site"));
        Map<String, String> before = states(out);

        CliRun run = CliRun.of("render", fixture.toString(), "--out", out.toString());

        assertEquals(ExitCodes.INVALID_INPUT, run.exitCode(), run.toString());
        List<String> expected = expectations(fixture);
        assertFalse(expected.isEmpty());
        for (String problem : expected) {
            assertTrue(run.err().contains("autogen: " + problem), "missing: " + problem + "\n" + run);
        }
        assertEquals("", run.out());
        assertEquals(before, states(out), "the existing site changed");

        CliRun check = CliRun.of("check", fixture.toString());
        assertEquals(ExitCodes.INVALID_INPUT, check.exitCode(), check.toString());
        for (String problem : expected) {
            assertTrue(check.out().contains(problem), "check, missing: " + problem + "\n" + check);
        }
    }

    @Test
    void missingInputFileExitsWith4AndLeavesTheSiteAlone() throws Exception {
        Path out = existingSite(tmp.resolve("site"));
        Map<String, String> before = states(out);
        Path missing = tmp.resolve("no-such.yaml");

        CliRun run = CliRun.of("render", missing.toString(), "--out", out.toString());

        assertEquals(ExitCodes.SOURCE_UNAVAILABLE, run.exitCode(), run.toString());
        assertTrue(run.err().contains(missing.toString()), run.toString());
        assertEquals(before, states(out));
        assertEquals(ExitCodes.SOURCE_UNAVAILABLE, CliRun.of("check", missing.toString()).exitCode());
    }

    @Test
    void unreachableDatabaseAndMissingAutomx2ConfigExitWith4() throws Exception {
        Path out = existingSite(tmp.resolve("site"));
        Map<String, String> before = states(out);
        // Port 1 on localhost: connection refused at once.
        CliRun db = CliRun.of("render", "--db", "postgresql://automx2:secret@127.0.0.1:1/automx2", "--out", out.toString());
        assertEquals(ExitCodes.SOURCE_UNAVAILABLE, db.exitCode(), db.toString());
        assertFalse(db.err().contains("secret"), "the password must not be printed\n" + db);
        Path conf = tmp.resolve("no-automx2.conf");
        CliRun automx2 = CliRun.of("render", "--automx2-conf", conf.toString(), "--out", out.toString());
        assertEquals(ExitCodes.SOURCE_UNAVAILABLE, automx2.exitCode(), automx2.toString());
        assertTrue(automx2.err().contains(conf.toString()), automx2.toString());
        assertEquals(before, states(out));
    }

    @Test
    void outThatIsNotASiteIsRefusedWith5() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(out.resolve("thesis.tex"), "precious");
        CliRun run = CliRun.of("render", "../samples/example.yaml", "--out", out.toString());
        assertEquals(ExitCodes.PUBLISH_FAILED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("not an autogen site"), run.toString());
        assertEquals(List.of("thesis.tex"), list(out));
    }

    @Test
    void checkOfTheSampleSucceeds() {
        CliRun run = CliRun.of("check", "../samples/example.yaml");
        assertTrue(run.exitCode() == ExitCodes.OK || run.exitCode() == ExitCodes.WARNINGS, run.toString());
        assertTrue(run.out().contains("../samples/example.yaml: 3 providers, 6 domains"), run.toString());
        assertEquals("", run.err());
    }

    @Test
    void checkPrintsLintsAndExitsWith6() throws IOException {
        Path yaml = Files.writeString(tmp.resolve("lint.yaml"), """
                providers:
                  - name: Plain
                    servers:
                      - type: imap
                        hostname: imap.plain.example
                        security: none
                      - type: smtp
                        hostname: smtp.plain.example
                    domains: [plain.example]
                """);
        CliRun run = CliRun.of("check", yaml.toString());
        assertEquals(ExitCodes.WARNINGS, run.exitCode(), run.toString());
        assertTrue(run.out().contains("warning: provider plain.example"), run.toString());
        assertTrue(run.out().contains("security none"), run.toString());
    }

    @Test
    void checkWarnsWhenIdna2003GaveADifferentDomain() throws IOException {
        Path yaml = Files.writeString(tmp.resolve("idna.yaml"), """
                providers:
                  - name: Strasse
                    servers:
                      - {type: imap, hostname: imap.example.com}
                      - {type: smtp, hostname: smtp.example.com}
                    domains: [straße.example, bücher.example]
                """);
        CliRun run = CliRun.of("check", yaml.toString());
        assertEquals(ExitCodes.WARNINGS, run.exitCode(), run.toString());
        assertTrue(run.out().contains("warning: provider xn--strae-oqa.example, domain straße.example "
                + "(xn--strae-oqa.example): under IDNA2003 (older tools, java.net.IDN) this name is strasse.example"), run.toString());
        assertTrue(run.out().contains("2 domains, 1 warning"), run.toString());
    }

    private static List<String> expectations(Path fixture) throws IOException {
        return Files.readAllLines(fixture, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith(EXPECT))
                .map(l -> fixture + ":" + l.substring(EXPECT.length()).replace("FILE", fixture.toString()))
                .toList();
    }

    /** A published site (made with the publisher directly, so these tests do not depend on the renderer). */
    static Path existingSite(Path out) throws Exception {
        PublishResult result = new Publisher(out).publish(sink -> {
            sink.put("public/old.example/mail/config-v1.1.xml", "<old/>".getBytes(StandardCharsets.UTF_8));
            sink.put("private/domains.tsv", "#autogen-site 1\n".getBytes(StandardCharsets.UTF_8));
        });
        assertTrue(result.switched());
        return out;
    }

    /** Every entry with its inode, mtime and (for files) content: equal maps mean nothing was touched. */
    static Map<String, String> states(Path root) throws IOException {
        Map<String, String> states = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:ino,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                String content = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                        : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1) : "dir";
                states.put(root.relativize(p).toString(), a.get("ino") + " " + a.get("lastModifiedTime") + " " + content);
            }
        }
        return states;
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
