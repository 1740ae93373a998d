package dev.autogen.render;

import dev.autogen.model.Directory;
import dev.autogen.model.Secret;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LdapSettingsRendererTest {

    private static Properties load(byte[] bytes) throws IOException {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(bytes));
        return p;
    }

    @Test
    void everyKeyLoadsBackUnchanged() throws IOException {
        Directory d = MobileconfigRendererTest.Fixture.directory();
        Properties p = load(LdapSettingsRenderer.render(d));
        assertEquals("ldaps://ldap.example.net:636", p.getProperty("url"));
        assertEquals("false", p.getProperty("startTls"));
        assertEquals("ou=people,dc=example,dc=net", p.getProperty("baseDn"));
        assertEquals("(&(objectClass=inetOrgPerson)(mail=%EMAILADDRESS%))", p.getProperty("filter"));
        assertEquals("uid", p.getProperty("uidAttribute"));
        assertEquals("cn", p.getProperty("cnAttribute"));
        assertEquals("cn=autogen,dc=example,dc=net", p.getProperty("bindDn"));
        assertEquals("s3cret=\\ü:#!", p.getProperty("bindPassword"));
        assertEquals("2000", p.getProperty("connectTimeoutMillis"));
        assertEquals("2000", p.getProperty("responseTimeoutMillis"));
        assertEquals("300", p.getProperty("cacheTtlSeconds"));
        assertEquals(11, p.size());
        assertNull(p.getProperty("caFile"), "no CA file: the JVM's trust store");
    }

    @Test
    void aCaFileIsNamedRelativeToTheSettings() throws IOException {
        Directory d = MobileconfigRendererTest.Fixture.directory();
        Directory withCa = new Directory(d.name(), d.url(), d.startTls(), d.baseDn(), d.filter(), d.uidAttribute(),
                d.cnAttribute(), d.bindDn(), d.bindPassword(), d.connectTimeout(), d.responseTimeout(), d.cacheTtl(),
                Optional.of(new Directory.CaFile(java.nio.file.Path.of("/etc/ssl/corp-ca.pem"), "-----BEGIN CERTIFICATE-----\n")));
        Properties p = load(LdapSettingsRenderer.render(withCa));
        assertEquals(d.name() + ".ca.pem", p.getProperty("caFile"));
        assertEquals(12, p.size());
    }

    @Test
    void awkwardValuesRoundTrip() throws IOException {
        List<String> values = List.of(" leading space", "trailing space ", "tab\there", "new\nline\r\n", "form\ffeed",
                "back\\slash", "=:#!", "#comment-like", "ünïcödé €", "emoji 😀", "\u0001control", "");
        for (String v : values) {
            Directory d = new Directory("x", "ldap://h:389", true, v, v, "uid", "cn", Optional.empty(),
                    Optional.of(new Secret(v)), Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ofHours(1));
            Properties p = load(LdapSettingsRenderer.render(d));
            assertEquals(v, p.getProperty("baseDn"), "baseDn " + v);
            assertEquals(v, p.getProperty("bindPassword"), "bindPassword " + v);
            assertEquals("1500", p.getProperty("connectTimeoutMillis"));
            assertEquals("3600", p.getProperty("cacheTtlSeconds"));
            assertEquals("true", p.getProperty("startTls"));
            assertNull(p.getProperty("bindDn"), "anonymous: no bindDn");
        }
    }

    @Test
    void deterministicAsciiInFixedOrderWithoutTimestamp() {
        Directory d = MobileconfigRendererTest.Fixture.directory();
        byte[] a = LdapSettingsRenderer.render(d);
        assertArrayEquals(a, LdapSettingsRenderer.render(d));
        String text = new String(a, StandardCharsets.ISO_8859_1);
        for (char c : text.toCharArray()) {
            assertTrue(c == '\n' || (c >= 0x20 && c < 0x7f), "ASCII only, got " + (int) c);
        }
        String[] lines = text.split("\n");
        assertTrue(lines[0].startsWith("#"));
        assertEquals(1, java.util.Arrays.stream(lines).filter(l -> l.startsWith("#")).count(),
                "one fixed comment line, no store()-style date line");
        assertEquals(12, lines.length);
        List<String> keys = List.of("url", "startTls", "baseDn", "filter", "uidAttribute", "cnAttribute", "bindDn",
                "bindPassword", "connectTimeoutMillis", "responseTimeoutMillis", "cacheTtlSeconds");
        for (int i = 0; i < keys.size(); i++) {
            assertTrue(lines[i + 1].startsWith(keys.get(i) + "="), lines[i + 1]);
        }
    }

    @Test
    void sampleDirectoriesLoadBack() throws IOException {
        for (var sample : MobileconfigRendererTest.samples().values()) {
            for (Directory d : sample.directories()) {
                Properties p = load(LdapSettingsRenderer.render(d));
                assertEquals(d.url(), p.getProperty("url"));
                assertEquals(d.filter(), p.getProperty("filter"));
                assertEquals(d.bindPassword().map(Secret::value).orElse(null), p.getProperty("bindPassword"));
            }
        }
    }
}
