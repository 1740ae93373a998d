package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command line, config file, access log contents. */
class MainTest {

    @TempDir Path dir;

    @Test
    void helpVersionAndUsageErrors() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"-h"}, new PrintStream(out), new PrintStream(err)));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : new String[] {"--site=DIR", "--listen=HOST:PORT", "--proxy-count=N", "--config=FILE",
                "--log-addresses", "--no-access-log", "--check", "--help", "--version", "Exit status:"}) {
            assertTrue(help.contains(option), option + " missing from\n" + help);
        }
        out.reset();
        assertEquals(0, Main.run(new String[] {"--version"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("autogen-responder "), out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));

        assertEquals(2, Main.run(new String[] {"--bogus"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("autogen-responder: Unknown option: '--bogus'"), err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Try 'autogen-responder --help'."));
        err.reset();
        assertEquals(2, Main.run(new String[] {"--site"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Missing required parameter for option '--site'"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, Main.run(new String[] {}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--site DIR is required"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(3, Main.run(new String[] {"--site", dir.resolve("absent").toString(), "--check"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("autogen-responder: cannot load site: "), err.toString(StandardCharsets.UTF_8));
        assertTrue(assertThrows(Main.UsageException.class, () -> Main.parse()).getMessage().contains("--site"));
        assertTrue(assertThrows(Main.UsageException.class, () -> Main.parse("--site", "x", "--listen", "nohost")).getMessage().contains("HOST:PORT"));
        assertTrue(assertThrows(Main.UsageException.class, () -> Main.parse("--site", "x", "--proxy-count", "-1")).getMessage().contains("proxy count"));
    }

    /** The real launcher path: a child JVM with the jar's classpath, as the package runs it. */
    @Test
    void exitCodesOfTheRealProcess() throws Exception {
        assertEquals(0, child("--version").exitValue());
        assertEquals(0, child("--help").exitValue());
        assertEquals(2, child("--no-such-option").exitValue());
        assertEquals(3, child("--site", dir.resolve("absent").toString(), "--check").exitValue());
    }

    private static Process child(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("autogen-responder " + String.join(" ", args) + " did not exit");
        }
        return p;
    }

    @Test
    void aMissingConfigFileIsNamedWithItsCauseNotAJavaClass() {
        String m = assertThrows(Main.UsageException.class,
                () -> Main.parse(new String[] {"--config", "/nonexistent/responder.properties"})).getMessage();
        assertEquals("cannot read config file /nonexistent/responder.properties: no such file or directory", m);
    }

    @Test
    void configFileAndCommandLineMerge() throws Exception {
        Path conf = dir.resolve("responder.properties");
        Files.writeString(conf, "site=/srv/site\nlisten=0.0.0.0:8080\nproxyCount=1\nlogAddresses=true\n");
        Main.Settings s = Main.parse("--listen", "[::1]:9000", "--config", conf.toString());
        assertEquals(Path.of("/srv/site"), s.site());
        assertEquals("::1", s.host());
        assertEquals(9000, s.port());
        assertEquals(1, s.proxyCount());
        assertTrue(s.logAddresses());
        Files.writeString(conf, "site=/srv/site\nbindPassword=x\n");
        assertTrue(assertThrows(Main.UsageException.class, () -> Main.parse("--config", conf.toString()))
                .getMessage().contains("unknown key 'bindPassword'"));
    }

    @Test
    void accessLogHasTheDomainOnlyAndHonoursProxyCount() throws Exception {
        HandBuiltSite.standard(null, null).publish(dir, "5555555555555555");
        StringWriter log = new StringWriter();
        try (TestServer s = new TestServer(new Main.Settings(dir, "127.0.0.1", 0, 1, false, true), log)) {
            s.get("/mail/config-v1.1.xml?emailaddress=private.person@example.com", "X-Forwarded-For", "10.9.9.9, 203.0.113.7");
            s.server.stop();
        }
        String text = log.toString();
        assertTrue(text.contains(" 203.0.113.7 GET autoconfig 200 example.com "), text);
        assertFalse(text.contains("private.person"), text);
        assertFalse(text.contains("10.9.9.9"), text);

        StringWriter withAddresses = new StringWriter();
        try (TestServer s = new TestServer(new Main.Settings(dir, "127.0.0.1", 0, 0, true, true), withAddresses)) {
            s.get("/mail/config-v1.1.xml?emailaddress=private.person@example.com", "X-Forwarded-For", "203.0.113.7");
            s.server.stop();
        }
        assertTrue(withAddresses.toString().contains(" 127.0.0.1 GET autoconfig 200 private.person@example.com "), withAddresses.toString());
    }

    @Test
    void checkLoadsAndExits() throws Exception {
        HandBuiltSite.standard(null, null).publish(dir, "6666666666666666");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--site", dir.toString(), "--check"}, new PrintStream(out), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("site 6666666666666666: 3 domains, 1 LDAP directories"));
    }
}
