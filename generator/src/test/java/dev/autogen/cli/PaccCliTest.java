package dev.autogen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What check and render say about PACC, and what render writes for it. */
class PaccCliTest {
    static final String YAML = """
            providers:
              - name: Old Mail
                servers:
                  - { type: imap, hostname: mail.old.example, security: STARTTLS }
                  - { type: smtp, hostname: mail.old.example, security: STARTTLS }
                domains: [old.example]
              - name: New Mail
                servers:
                  - { type: imap, hostname: imap.new.example }
                  - { type: smtp, hostname: smtp.new.example }
                domains: [new.example]
            """;

    @Test
    void starttlsOnlyProviderGetsNoDocumentAndANoteNotAWarning(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("site.yaml");
        Files.writeString(yaml, YAML);
        // Every other format still describes old.example's servers to every client: the site is correct, check
        // passes and only notes what the PACC document leaves out, at the place the domain is defined.
        CliRun check = CliRun.of("check", yaml.toString());
        assertEquals(ExitCodes.OK, check.exitCode(), check.toString());
        assertTrue(check.out().contains(yaml + ":6:15: note: provider old.example, domain old.example: IMAP left out"
                + " of the PACC document: mail.old.example:143 uses STARTTLS"), check.out());
        assertTrue(check.out().contains("note: provider old.example, domain old.example: SMTP left out of the PACC"
                + " document: mail.old.example:587 uses STARTTLS"), check.out());
        assertTrue(check.out().contains("note: provider old.example, domain old.example: no PACC document"), check.out());
        assertFalse(check.out().contains("warning"), check.out());
        assertTrue(check.out().endsWith("2 providers, 2 domains, no problems\n"), check.out());
        assertFalse(check.out().contains("new.example:"), check.out());
        assertEquals("", CliRun.of("check", yaml.toString(), "--quiet").out());

        Path out = dir.resolve("out");
        CliRun render = CliRun.of("render", yaml.toString(), "--out", out.toString(), "--strict");
        assertEquals(0, render.exitCode(), render.toString());
        // With the place the domain is defined (line 6: "domains: [old.example]").
        assertTrue(render.err().contains("site.yaml:6:15: note: provider old.example, domain old.example: IMAP left"
                + " out of the PACC document"), render.err());
        Path site = out.resolve("current");
        assertFalse(Files.exists(site.resolve("public/old.example/.well-known/user-agent-configuration.json")));
        assertFalse(Files.readString(site.resolve("conf/dns/old.example.zone")).contains("ua-auto-config"));
        assertTrue(Files.exists(site.resolve("public/new.example/.well-known/user-agent-configuration.json")));
        assertEquals("#autogen-pacc 1\nnew.example\tdocs/", Files.readString(site.resolve("private/pacc.tsv"))
                .substring(0, 33));
        assertEquals("", CliRun.of("render", yaml.toString(), "--out", out.toString(), "--strict", "--quiet").err());
    }

    @Test
    void disabledWritesNoPaccAtAll(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("site.yaml");
        Files.writeString(yaml, "pacc: { enabled: false }\n" + YAML);
        CliRun check = CliRun.of("check", yaml.toString(), "--quiet");
        assertFalse(check.out().contains("PACC"), check.out());
        Path out = dir.resolve("out");
        assertEquals(0, CliRun.of("render", yaml.toString(), "--out", out.toString(), "--quiet").exitCode());
        assertFalse(Files.exists(out.resolve("current/public/new.example/.well-known/user-agent-configuration.json")));
        assertFalse(Files.readString(out.resolve("current/conf/dns/new.example.zone")).contains("ua-auto-config"));
    }

    @Test
    void renderPrintsTheFirstFiftyNotesAndCountsTheRestWhereCheckListsThemAll(@TempDir Path dir) throws Exception {
        // 20 STARTTLS-only providers: three notes each, 60 in all.
        StringBuilder yaml = new StringBuilder("providers:\n");
        for (int i = 0; i < 20; i++) {
            yaml.append("  - name: Old ").append(i).append("\n    servers:\n")
                    .append("      - { type: imap, hostname: mail.old").append(i).append(".example, security: STARTTLS }\n")
                    .append("      - { type: smtp, hostname: mail.old").append(i).append(".example, security: STARTTLS }\n")
                    .append("    domains: [old").append(i).append(".example]\n");
        }
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, yaml);
        CliRun check = CliRun.of("check", file.toString());
        assertEquals(60, check.out().lines().filter(l -> l.contains(": note: ")).count(), check.out());
        CliRun render = CliRun.of("render", file.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, render.exitCode(), render.toString());
        assertEquals(RenderCommand.PRINTED_LINES, render.err().lines().filter(l -> l.contains(": note: ")).count(),
                render.err());
        assertTrue(render.err().contains("autogen: ... and 10 more notes (autogen check lists them all)\n"),
                render.err());
    }
}
