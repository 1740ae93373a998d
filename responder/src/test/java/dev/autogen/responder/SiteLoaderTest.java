package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autogen.pack.DocPack;
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
        d = s.doc("<x/>", "xml");
        String other = d.substring(0, 7) + "0".repeat(62) + ".xml"; // same pack, not in it
        assertTrue(refused(s.line("a.example", "p", d, other, "-", d, "-", "https://a/", "-")).contains(other + " is not in "));

        s = new HandBuiltSite();
        d = s.doc("<x/>", "xml");
        assertTrue(refused(s.line("a.example", "p", d, d, "-", d, "-", "javascript:alert(1)", "-")).contains("not an http(s) URL"));

        s = new HandBuiltSite();
        d = s.doc("<x/>", "xml");
        assertTrue(refused(s.line("a.example", "p", d, d, "-", d, "nosuch", "https://a/", "-")).contains("nosuch.properties"));
    }

    /**
     * A damaged document pack refuses the whole version with the file and what is wrong (malformed slots cannot get
     * into a pack: the generator's encoding refuses them, see DocEncodingTest).
     */
    @Test
    void refusesDamagedPacks() throws Exception {
        String name = "docs/" + HandBuiltSite.sha256(HandBuiltSite.AUTOCONFIG) + ".xml";
        String file = "private/docs/" + DocPack.shardOf(name) + ".pack";
        assertTrue(damaged(file, b -> java.util.Arrays.copyOf(b, b.length - 10)).contains("truncated"));
        assertTrue(damaged(file, b -> { b[0] = 'X'; return b; }).contains("bad magic"));
        assertTrue(damaged(file, b -> { b[4 + 3] = 2; return b; }).contains("pack version 2"));
        // The first index entry's offset (after magic, version, count, name length and name).
        assertTrue(damaged(file, b -> { b[12 + 1 + name.length() + 3]++; return b; }).contains("offset"));
        assertTrue(damaged(file, b -> { b[12 + 1 + 5] = 'g'; return b; }).contains("is not a docs/"));
        // The first document's first operation (after its context byte and literal count).
        String bad = damaged(file, b -> { b[java.nio.ByteBuffer.wrap(b).getInt(12 + 1 + name.length()) + 5] = 0x7f; return b; });
        assertTrue(bad.contains(file) && bad.contains("bad operation 127"), bad);
        assertTrue(damaged(file, b -> null).contains(file + ": missing"));
    }

    /** The message refusing the standard site with {@code file} changed by {@code damage} (null: deleted). */
    private String damaged(String file, java.util.function.UnaryOperator<byte[]> damage) throws Exception {
        Path version = HandBuiltSite.standard(null, null).publish(dir, "abcdef0123456789");
        Path pack = version.resolve(file);
        byte[] b = damage.apply(Files.readAllBytes(pack));
        if (b == null) Files.delete(pack); else Files.write(pack, b);
        String message = assertThrows(SiteLoader.InvalidSiteException.class,
                () -> SiteLoader.load(SiteLoader.currentVersion(dir), (n, p, ca) -> new LdapDirectory(n, p, ca, new Metrics()))).getMessage();
        assertTrue(message.contains(file), message);
        return message;
    }

    @Test
    void ldapSettingsErrorsNeverShowThePassword() throws Exception {
        HandBuiltSite s = HandBuiltSite.standard("not-a-url", null);
        String message = refused(s);
        assertTrue(message.contains("corp.properties"), message);
        assertFalse(message.contains("s3cret"), message);
        assertTrue(Files.exists(dir.resolve("current")));
    }

    @Test
    void wellKnownRedirectsShareTheirTargetsAndBadLinesAreRefused() throws Exception {
        String header = "#autogen-wellknown 1\n";
        Site site = load(HandBuiltSite.standard(null, null).privateFile("wellknown.tsv", header
                + "autoconfig.example.com\thttps://dav.example.com/cal/\t-\n"
                + "example.com\thttps://dav.example.com/cal/\t-\n"
                + "example.net\t-\thttps://dav.example.net/card/\n"));
        Hosting.WellKnown w = site.hosting().wellKnown();
        assertEquals("https://dav.example.com/cal/", w.get("example.com")[0]);
        assertEquals(null, w.get("example.com")[1]);
        assertSame(w.get("example.com"), w.get("autoconfig.example.com"), "one target pair for every host of a provider");
        assertEquals("https://dav.example.net/card/", w.get("example.net")[1]);
        assertEquals(null, w.get("corp.example"));
        assertEquals(null, w.get("exämple.com"));
        site.directories().values().forEach(LdapDirectory::close);

        assertTrue(refused(HandBuiltSite.standard(null, null).privateFile("wellknown.tsv", header
                + "example.com\t-\t-\nexample.com\t-\t-\n")).contains("wellknown.tsv:3: example.com listed twice"));
        assertTrue(refused(HandBuiltSite.standard(null, null).privateFile("wellknown.tsv", header + "example.com\t-\n"))
                .contains("wellknown.tsv:2: expected 3 tab-separated columns, found 2"));
        assertTrue(refused(HandBuiltSite.standard(null, null).privateFile("wellknown.tsv", header
                + "Example.com\t-\t-\n")).contains("'Example.com' is neither * nor a lower-case host name"));
        assertTrue(refused(HandBuiltSite.standard(null, null).privateFile("wellknown.tsv", header
                + "example.com\tjavascript:x\t-\n")).contains("'javascript:x' is not an http(s) URL"));
        assertTrue(refused(HandBuiltSite.standard(null, null).privateFile("wellknown.tsv", "#autogen-wellknown 2\n"))
                .contains("wellknown.tsv:1: first line must be '#autogen-wellknown 1'"));
    }
}
