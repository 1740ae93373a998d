package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the loader accepts and what it refuses (docs/site-format.md, "Versioning rules"). */
class SiteLoaderTest {

    @TempDir Path dir;

    private Site load(HandBuiltSite s) throws Exception {
        s.publish(dir, "abcdef0123456789");
        return SiteLoader.load(SiteLoader.currentVersion(dir), (n, p, ca) -> new LdapDirectory(n, p, ca, new Metrics()));
    }

    private String refused(HandBuiltSite s) {
        return assertThrows(SiteLoader.InvalidSiteException.class, () -> load(s)).getMessage();
    }

    @Test
    void documentsAreSharedBetweenDomains() throws Exception {
        Site site = load(HandBuiltSite.standard(null, null));
        assertEquals("abcdef0123456789", site.version());
        assertEquals(3, site.domains().size());
        assertSame(site.listed("example.com").autoconfig(), site.listed("example.net").autoconfig());
        assertSame(site.listed("example.com").autoconfig(), site.listed("corp.example").autoconfig());
        assertEquals(null, site.listed("example.net").mobileSync());
        assertEquals("corp", site.listed("corp.example").directory().name);
        site.directories().values().forEach(LdapDirectory::close);
    }

    @Test
    void refusesBadIndexes() {
        assertTrue(refused(new HandBuiltSite().rawIndex("#autogen-site 2\n")).contains("domains.tsv:1: first line"));
        HandBuiltSite s = new HandBuiltSite();
        String d = s.doc("<x/>", "xml");
        assertTrue(refused(s.line("Example.COM", "p", d, d, "-", d, "-", "https://a/", "-")).contains("domains.tsv:2: 'Example.COM'"));

        s = new HandBuiltSite();
        d = s.doc("<x/>", "xml");
        assertTrue(refused(s.line("a.example", "p", "docs/../../../etc/passwd", d, "-", d, "-", "https://a/", "-"))
                .contains("is not a docs/<sha256>"));

        s = new HandBuiltSite();
        d = s.doc("<x>{{bogus}}</x>", "xml");
        assertTrue(refused(s.line("a.example", "p", d, d, "-", d, "-", "https://a/", "-")).contains("unknown slot {{bogus}}"));

        s = new HandBuiltSite();
        d = s.doc("<x>{{login}}</x>", "xml");
        assertTrue(refused(s.line("a.example", "p", d, d, "-", d, "-", "https://a/", "-")).contains("needs an argument"));

        s = new HandBuiltSite();
        d = s.doc("<x>{{address</x>", "xml");
        assertTrue(refused(s.line("a.example", "p", d, d, "-", d, "-", "https://a/", "-")).contains("unclosed slot"));

        s = new HandBuiltSite();
        d = s.doc("<x/>", "xml");
        assertTrue(refused(s.line("a.example", "p", d, d, "-", d, "-", "javascript:alert(1)", "-")).contains("not an http(s) URL"));

        s = new HandBuiltSite();
        d = s.doc("<x/>", "xml");
        assertTrue(refused(s.line("a.example", "p", d, d, "-", d, "nosuch", "https://a/", "-")).contains("nosuch.properties"));
    }

    @Test
    void ldapSettingsErrorsNeverShowThePassword() throws Exception {
        HandBuiltSite s = HandBuiltSite.standard("not-a-url", null);
        String message = refused(s);
        assertTrue(message.contains("corp.properties"), message);
        assertFalse(message.contains("s3cret"), message);
        assertTrue(Files.exists(dir.resolve("current")));
    }
}
