package dev.autogen.cli;

import dev.autogen.publish.PublishResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    @TempDir
    Path tmp;

    @Test
    void helpAndVersionWorkOnEveryCommand() {
        for (String command : new String[] {"", "render", "check", "initdb", "import", "probe", "dns"}) {
            for (String flag : new String[] {"--help", "--version"}) {
                CliRun run = command.isEmpty() ? CliRun.of(flag) : CliRun.of(command, flag);
                assertEquals(ExitCodes.OK, run.exitCode(), command + " " + flag + "\n" + run);
                assertFalse(run.out().isBlank(), command + " " + flag);
                assertEquals("", run.err(), command + " " + flag);
            }
        }
        CliRun help = CliRun.of("--help");
        for (String command : new String[] {"render", "check", "initdb", "import", "probe", "dns"}) {
            assertTrue(help.out().contains(command), help.out());
        }
        assertTrue(CliRun.of("--version").out().startsWith("autogen "));
    }

    @Test
    void usageErrorsExitWithUsage() {
        String out = tmp.resolve("site").toString();
        String[][] cases = {
                {},
                {"frobnicate"},
                {"render", "--out", out},                                   // no source
                {"render", "x.yaml", "--db", "sqlite:///x.db", "--out", out}, // two sources
                {"render", "x.yaml"},                                       // no --out
                {"render", "x.yaml", "--out", out, "--bogus"},
                {"render", "x.yaml", "--out", out, "--threads", "0"},
                {"render", "x.yaml", "--out", out, "--threads", "many"},
                {"render", "x.yaml", "--out", out, "--responder-url", "not a url"},
                {"check"},
                {"check", "a.yaml", "b.yaml"},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.of(args);
            assertEquals(ExitCodes.USAGE, run.exitCode(), String.join(" ", args) + "\n" + run);
            assertTrue(run.err().startsWith("autogen: "), run.toString());
            assertTrue(run.err().contains("--help"), run.toString());
            assertEquals("", run.out(), run.toString());
        }
        assertFalse(Files.exists(tmp.resolve("site")));
        assertTrue(CliRun.of("render", "--out", out).err().contains("no input"));
    }

    @Test
    void missingTemplateDirectoryIsUnavailableInput() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("site.yaml"), "providers: []\n");
        CliRun run = CliRun.of("render", yaml.toString(), "--out", tmp.resolve("site").toString(),
                "--templates", tmp.resolve("nope").toString());
        assertEquals(ExitCodes.SOURCE_UNAVAILABLE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("nope: template directory not found"), run.toString());
        assertFalse(Files.exists(tmp.resolve("site")));
    }

    /** Every domain's setup page is public; the index of all of them only on request, and private. */
    @Test
    void setupPagesAndTheIndexOnRequest() throws Exception {
        Path yaml = Path.of("..", "samples", "minimal.yaml");
        Path out = tmp.resolve("site");
        CliRun run = CliRun.of("render", yaml.toString(), "--out", out.toString(), "-q");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertTrue(Files.readString(out.resolve("current/public/example.com/index.html")).contains("example.com"));
        assertFalse(Files.exists(out.resolve("current/private/setup-index.html")));
        run = CliRun.of("render", yaml.toString(), "--out", out.toString(), "-q", "--setup-index");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        Path index = out.resolve("current/private/setup-index.html");
        assertTrue(Files.readString(index).contains("href=\"https://autoconfig.example.com/\""));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(index)));
    }

    @Test
    void summaryLine() {
        Path out = Path.of("/srv/autogen");
        PublishResult changed = new PublishResult("0123456789abcdef", out.resolve("v-0123456789abcdef"), true,
                5, 0, 0, 20, new PublishResult.Phases(0, 0, 0, 0));
        String line = RenderCommand.summary(3, changed, out);
        assertTrue(line.matches("rendered 3 domains: 5 files added, 0 changed, 0 removed, 20 unchanged (→|->) "
                + "site v-0123456789abcdef \\(/srv/autogen\\)"), line);
        PublishResult same = new PublishResult("0123456789abcdef", out.resolve("v-0123456789abcdef"), false,
                0, 0, 0, 25, new PublishResult.Phases(0, 0, 0, 0));
        assertTrue(RenderCommand.summary(1, same, out).startsWith("rendered 1 domain: nothing changed"));
    }

    @Test
    void progressLine() {
        assertEquals("[###############---------------]  500/1000 domains  250/s  ETA 0:02",
                Progress.line(500, 1000, 2.0));
        assertEquals("[------------------------------]    0/1000 domains  0/s  ETA --:--", Progress.line(0, 1000, 0));
        assertEquals("1:02:03", Progress.duration(3723));
    }
}
