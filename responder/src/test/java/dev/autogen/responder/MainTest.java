package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    void helpAndUsageErrors() throws Exception {
        assertNull(Main.parse(new String[] {"--help"}));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"-h"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--proxy-count N"));
        assertEquals(2, Main.run(new String[] {"--bogus"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option '--bogus'"));
        assertTrue(assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {})).getMessage().contains("--site"));
        assertTrue(assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {"--site", "x", "--listen", "nohost"})).getMessage().contains("HOST:PORT"));
        assertTrue(assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {"--site", "x", "--proxy-count", "-1"})).getMessage().contains("proxy count"));
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
        Main.Settings s = Main.parse(new String[] {"--listen", "[::1]:9000", "--config", conf.toString()});
        assertEquals(Path.of("/srv/site"), s.site());
        assertEquals("::1", s.host());
        assertEquals(9000, s.port());
        assertEquals(1, s.proxyCount());
        assertTrue(s.logAddresses());
        Files.writeString(conf, "site=/srv/site\nbindPassword=x\n");
        assertTrue(assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {"--config", conf.toString()}))
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
