package dev.autogen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code render} prints what {@code check} warns about, with its place in the input; {@code --strict} refuses. */
class RenderWarningsTest {
    /** An IMAP server without TLS (line 4) and a plain-http CardDAV server (line 10). */
    private static final String LINT = """
            providers:
              - name: Plain
                servers:
                  - type: imap
                    hostname: imap.plain.example
                    security: none
                  - type: smtp
                    hostname: smtp.plain.example
                dav:
                  - type: carddav
                    url: http://dav.plain.example/
                domains: [plain.example]
            """;

    @TempDir
    Path tmp;

    @Test
    void strictRefusesWithExit6AndLeavesTheSiteByteForByte() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("lint.yaml"), LINT);
        Path out = RenderErrorsTest.existingSite(tmp.resolve("site"));
        Map<String, String> before = RenderErrorsTest.states(out);

        CliRun run = CliRun.of("render", yaml.toString(), "--out", out.toString(), "--strict", "--quiet");

        assertEquals(ExitCodes.WARNINGS, run.exitCode(), run.toString());
        assertTrue(run.err().contains("autogen: " + yaml + ":4:9: warning: provider plain.example, domain plain.example,"
                + " imap server imap.plain.example:143: security none"), run.toString());
        assertTrue(run.err().contains("autogen: " + yaml + ":10:9: warning: provider plain.example, domain plain.example,"
                + " carddav server http://dav.plain.example/: plain http"), run.toString());
        // Three client lints; what they mean for PACC (IMAP and CardDAV left out, so no document) are notes, which
        // neither count nor show with --quiet.
        assertTrue(run.err().contains("autogen: 3 warnings and --strict: nothing rendered (the site is unchanged)"),
                run.toString());
        assertEquals(before, RenderErrorsTest.states(out), "the existing site changed");

        Path fresh = tmp.resolve("fresh");
        run = CliRun.of("render", yaml.toString(), "--out", fresh.toString(), "--strict");
        assertEquals(ExitCodes.WARNINGS, run.exitCode(), run.toString());
        assertTrue(run.err().endsWith("--strict: nothing rendered\n"), run.toString());
        assertFalse(Files.exists(fresh), "nothing written");
    }

    @Test
    void withoutStrictTheWarningsArePrintedAndTheSiteIsPublished() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("lint.yaml"), LINT);
        Path out = RenderErrorsTest.existingSite(tmp.resolve("site"));
        String oldVersion = Files.readSymbolicLink(out.resolve("current")).toString();

        CliRun run = CliRun.of("render", yaml.toString(), "--out", out.toString());

        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertTrue(run.err().contains("autogen: " + yaml + ":4:9: warning: provider plain.example, domain plain.example,"
                + " imap server imap.plain.example:143: security none"), run.toString());
        assertTrue(run.err().contains("rendered 1 domain: "), run.toString());
        assertNotEquals(oldVersion, Files.readSymbolicLink(out.resolve("current")).toString(), "published");
        assertTrue(Files.isRegularFile(out.resolve("current/public/plain.example/mail/config-v1.1.xml")));

        // check says the same, at the same places.
        CliRun check = CliRun.of("check", yaml.toString());
        assertEquals(ExitCodes.WARNINGS, check.exitCode(), check.toString());
        for (String line : run.err().lines().filter(l -> l.contains("warning: ")).toList()) {
            assertTrue(check.out().contains(line.substring("autogen: ".length())), line + "\n" + check);
        }

        // --quiet keeps a cron render silent unless it fails; a clean site passes --strict.
        run = CliRun.of("render", yaml.toString(), "--out", out.toString(), "--quiet");
        assertEquals("", run.err(), run.toString());
        run = CliRun.of("render", "../samples/minimal.yaml", "--out", out.toString(), "--strict", "--quiet");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
    }
}
