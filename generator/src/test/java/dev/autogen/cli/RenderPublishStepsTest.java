package dev.autogen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happens after the switch: {@code --reload-web-server} only when the web-server config changed,
 * {@code --post-publish} after every switch, a failing command reported with exit 9 (the site is published),
 * {@code -v} naming every phase; and messages that say what happened, without Java class names.
 */
class RenderPublishStepsTest {
    @TempDir
    Path tmp;

    private Path yaml(String... domains) throws Exception {
        return Files.writeString(tmp.resolve("site.yaml"), """
                providers:
                  - name: Example Mail
                    domains: [%s]
                    servers:
                      - type: imap
                        hostname: imap.example.com
                      - type: smtp
                        hostname: smtp.example.com
                """.formatted(String.join(", ", domains)));
    }

    @Test
    void reloadRunsOnlyWhenTheWebServerConfigChangedPostPublishAfterEverySwitch() throws Exception {
        Path out = tmp.resolve("site");
        Path log = tmp.resolve("hooks.log");
        String reload = "echo reload $AUTOGEN_VERSION $AUTOGEN_WEB_CONFIG_CHANGED >> " + log;
        String post = "echo post $AUTOGEN_SITE $AUTOGEN_PREVIOUS_VERSION- >> " + log;

        CliRun first = CliRun.of("render", yaml("example.com").toString(), "--out", out.toString(),
                "--reload-web-server", reload, "--post-publish", post, "-v");
        assertEquals(ExitCodes.OK, first.exitCode(), first.toString());
        String v1 = Files.readSymbolicLink(out.resolve("current")).toString().substring(2);
        assertEquals(List.of("reload " + v1 + " yes", "post " + out + " -"), Files.readAllLines(log));
        for (String phase : List.of("read 1 domains", "render and write", "write document packs and link unchanged files", "flush to disk",
                "switch current", "--reload-web-server: done", "--post-publish: done", "removed 0 old versions")) {
            assertTrue(first.err().contains(phase), "-v lacks " + phase + "\n" + first);
        }

        // Nothing changed: no switch, no command.
        CliRun same = CliRun.of("render", yaml("example.com").toString(), "--out", out.toString(),
                "--reload-web-server", reload, "--post-publish", post);
        assertEquals(ExitCodes.OK, same.exitCode(), same.toString());
        assertEquals(2, Files.readAllLines(log).size());

        // A changed server name changes documents, not the web-server config: no reload.
        Files.writeString(tmp.resolve("site.yaml"), Files.readString(tmp.resolve("site.yaml"))
                .replace("imap.example.com", "mail.example.com"));
        CliRun docs = CliRun.of("render", tmp.resolve("site.yaml").toString(), "--out", out.toString(),
                "--reload-web-server", reload, "--post-publish", post);
        assertEquals(ExitCodes.OK, docs.exitCode(), docs.toString());
        String v2 = Files.readSymbolicLink(out.resolve("current")).toString().substring(2);
        assertEquals(List.of("reload " + v1 + " yes", "post " + out + " -", "post " + out + " " + v1 + "-"),
                Files.readAllLines(log));

        // A new domain is a new host name in the web-server config: reload.
        CliRun added = CliRun.of("render", yaml("example.com", "example.net").toString(), "--out", out.toString(),
                "--reload-web-server", reload);
        assertEquals(ExitCodes.OK, added.exitCode(), added.toString());
        String v3 = Files.readSymbolicLink(out.resolve("current")).toString().substring(2);
        assertEquals("reload " + v3 + " yes", Files.readAllLines(log).get(3));
        assertFalse(v3.equals(v2));
    }

    @Test
    void aFailingCommandIsExit8AndTheSiteStaysPublished() throws Exception {
        Path out = tmp.resolve("site");
        CliRun run = CliRun.of("render", yaml("example.com").toString(), "--out", out.toString(),
                "--reload-web-server", "echo 'nginx: [emerg] bad config'; exit 3");
        assertEquals(ExitCodes.HOOK_FAILED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("autogen: --reload-web-server: nginx: [emerg] bad config"), run.toString());
        assertTrue(run.err().contains("autogen: --reload-web-server failed (exit status 3)"), run.toString());
        assertTrue(run.err().contains("is published; run the command by hand"), run.toString());
        assertTrue(Files.isRegularFile(out.resolve("current/private/domains.tsv")));
    }

    @Test
    void aFirstRenderThatCannotWriteDoesNotClaimAPreviousSite() throws Exception {
        // A file where the site's directory must be: the render cannot write, and there was no site before.
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        CliRun run = CliRun.of("render", yaml("example.com").toString(), "--out", file.resolve("site").toString());
        assertEquals(ExitCodes.PUBLISH_FAILED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("(no site was published)"), run.toString());
        assertFalse(run.err().contains("previous site"), run.toString());
        assertTrue(run.err().contains("not a directory"), run.toString());
        assertFalse(run.err().matches("(?s).*(java\\.|Exception).*"), run.toString());
    }

    @Test
    void aDirectoryAsTheConfigFileIsNamedWithoutAJavaClass() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("config.yaml"));
        CliRun run = CliRun.of("render", dir.toString(), "--out", tmp.resolve("site").toString());
        assertEquals(ExitCodes.SOURCE_UNAVAILABLE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("is a directory"), run.toString());
        assertFalse(run.err().matches("(?s).*(java\\.|Exception).*"), run.toString());
    }
}
