package dev.autogen.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** private/render-memo.tsv read back: what it names, and no memo at all when anything about it is off. */
class RenderMemoFileTest {
    @TempDir
    Path version;

    private static final SiteRenderer.DocPaths A = new SiteRenderer.DocPaths("docs/a.xml", "docs/b.xml",
            Optional.empty(), "docs/c.plist", Optional.of("docs/d.plist"), Optional.of("docs/e.html"), Optional.of("docs/f.json"));
    private static final SiteRenderer.DocPaths B = new SiteRenderer.DocPaths("docs/a.xml", "docs/g.xml",
            Optional.of("docs/h.xml"), "docs/c.plist", Optional.empty(), Optional.empty(), Optional.empty());

    private RenderMemo write(String siteDigest, String... lines) throws Exception {
        Files.createDirectories(version.resolve("private"));
        Files.writeString(version.resolve("private").resolve(RenderMemo.FILE), String.join("\n", lines) + "\n");
        return RenderMemo.read(version, siteDigest);
    }

    @Test
    void linesRoundTripSharingPaths() throws Exception {
        String line = RenderMemo.line("p1", List.of(A, B));
        assertEquals("p1\tdocs/a.xml docs/b.xml docs/c.plist docs/d.plist docs/e.html docs/f.json docs/g.xml docs/h.xml"
                + "\t0,1,-,2,3,4,5 0,6,7,2,-,-,-", line);
        RenderMemo memo = write("s", "#autogen-memo 1\ts", line);
        assertEquals(Optional.of(List.of(A, B)), memo.previous("p1", 2));
        assertEquals(Optional.empty(), memo.previous("p1", 3), "another number of domains");
        assertEquals(Optional.empty(), memo.previous("p2", 2));
    }

    @Test
    void anythingOffIsNoMemo() throws Exception {
        String line = RenderMemo.line("p1", List.of(A));
        assertEquals(Optional.empty(), write("other", "#autogen-memo 1\ts", line).previous("p1", 1), "other site inputs");
        assertEquals(Optional.empty(), write("s", "#autogen-memo 2\ts", line).previous("p1", 1), "another format");
        assertEquals(Optional.empty(), write("s", "#autogen-memo 1\ts", "p1\tdocs/a.xml\t0,9,-,0,-,-,-").previous("p1", 1));
        assertEquals(Optional.empty(), write("s", "#autogen-memo 1\ts", "p1\tdocs/a.xml\t0,x,-,0,-,-,-").previous("p1", 1));
        assertEquals(Optional.empty(), write("s", "#autogen-memo 1\ts", "p1\tdocs/a.xml\t0,0,-,0,-,-").previous("p1", 1));
        assertEquals(Optional.empty(), write("s", "#autogen-memo 1\ts", "p1\tdocs/a.xml\t-,0,-,0,-,-,-").previous("p1", 1));
        assertEquals(Optional.empty(), RenderMemo.read(version.resolve("nothing"), "s").previous("p1", 1));
        assertTrue(RenderMemo.read(null, "s").active());
        assertFalse(RenderMemo.NONE.active());
    }

    /** The digest's text is the model's own toString: a component added to Provider or Domain changes both. */
    @Test
    void theCanonicalTextIsTheModelsToString() throws Exception {
        int providers = 0;
        for (String sample : List.of("example.yaml", "hoster.yaml", "minimal.yaml")) {
            for (dev.autogen.model.Provider p : dev.autogen.config.YamlSource.load(Path.of("../samples/" + sample),
                    java.util.Map.of("AUTOGEN_LDAP_PASSWORD", "x")).providers()) {
                assertEquals(p.toString(), RenderMemo.canonical(p), sample + ": " + p.id());
                providers++;
            }
        }
        assertTrue(providers >= 5, providers + " providers");
    }
}
