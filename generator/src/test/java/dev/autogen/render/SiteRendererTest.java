package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** A whole site rendered through {@link SiteRenderer}, checked against the layout of docs/site-format.md. */
class SiteRendererTest {
    /** Collects files; the same path may arrive again only with the same bytes. */
    static final class MapSink implements FileSink {
        final Map<String, byte[]> files = new ConcurrentHashMap<>();

        @Override
        public void put(String relativePath, byte[] content) {
            byte[] previous = files.putIfAbsent(relativePath, content);
            if (previous != null && !Arrays.equals(previous, content)) {
                throw new AssertionError(relativePath + " was written twice with different content");
            }
        }

        String text(String path) {
            byte[] bytes = files.get(path);
            if (bytes == null) {
                throw new AssertionError("no file " + path + "; have " + new TreeMap<>(files).keySet());
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Renders {@code site} as the publisher does: site files, then every domain in parallel. */
    static MapSink render(Site site) {
        SiteRenderer renderer = new SiteRenderer(GoldenDocumentsTest.SETTINGS);
        MapSink sink = new MapSink();
        record Entry(Provider provider, Domain domain) {}
        List<Entry> entries = new ArrayList<>();
        site.providers().forEach(p -> p.domains().forEach(d -> entries.add(new Entry(p, d))));
        entries.parallelStream().forEach(e -> renderer.renderDomain(site, e.provider(), e.domain(), sink));
        renderer.renderSiteFiles(site, sink);
        return sink;
    }

    @TestFactory
    List<DynamicTest> everySiteHasTheContractLayout() {
        List<DynamicTest> tests = new ArrayList<>();
        TestSites.all().forEach((name, site) -> tests.add(dynamicTest(name, () -> checkLayout(site, render(site)))));
        return tests;
    }

    static void checkLayout(Site site, MapSink sink) {
        String index = sink.text("private/domains.tsv");
        assertTrue(index.endsWith("\n"));
        List<String> lines = List.of(index.split("\n"));
        assertEquals(IndexLine.HEADER, lines.get(0));
        List<String> domainLines = lines.subList(1, lines.size());
        List<String> names = domainLines.stream().map(l -> IndexLine.parse(l).domain()).toList();
        assertEquals(site.domains().stream().map(Domain::name).sorted().toList(), names, "one line per domain, sorted");

        for (String line : domainLines) {
            IndexLine entry = IndexLine.parse(line);
            String d = entry.domain();
            Provider provider = site.providers().stream().filter(p -> p.domains().stream()
                    .anyMatch(x -> x.name().equals(d))).findFirst().orElseThrow();
            Domain domain = provider.domains().stream().filter(x -> x.name().equals(d)).findFirst().orElseThrow();
            assertEquals(provider.id(), entry.providerId());
            assertEquals("https://" + domain.autodiscoverHost() + "/autodiscover/autodiscover.xml",
                    entry.autodiscoverUrl());
            assertEquals(domain.activeSyncUrl(), entry.activeSyncUrl());
            assertEquals(domain.directory(), entry.directory());
            entry.directory().ifPresent(dir -> sink.text("private/ldap/" + dir + ".properties"));
            assertEquals(domain.activeSyncUrl().isPresent(), entry.mobileSync().isPresent());

            List<String> docs = new ArrayList<>(List.of(entry.autoconfig(), entry.outlook(), entry.profile()));
            entry.mobileSync().ifPresent(docs::add);
            for (String doc : docs) {
                assertTrue(doc.matches("docs/[0-9a-f]{64}\\.(xml|plist)"), doc);
                byte[] bytes = sink.files.get("private/" + doc);
                assertTrue(bytes != null, "index refers to a missing file: " + doc);
                assertEquals(doc.substring(5, 69), SiteRenderer.sha256Hex(bytes), "content address of " + doc);
                if (doc.endsWith(".xml")) {
                    Xml.parse(bytes);
                } else {
                    parsePlist(bytes, doc); // has Apple's DOCTYPE, which Xml.parse refuses by design
                }
            }
            assertTrue(entry.profile().endsWith(".plist"));

            byte[] publicDoc = sink.files.get("public/" + d + "/mail/config-v1.1.xml");
            assertArrayEquals(publicDoc, sink.files.get("public/" + d + "/.well-known/autoconfig/mail/config-v1.1.xml"));
            assertEquals(Slots.publicAutoconfig(sink.text("private/" + entry.autoconfig()), d),
                    new String(publicDoc, StandardCharsets.UTF_8), "public = private with slots replaced");
            assertEquals(K9Rules.expectedFor(domain), K9Rules.violations(publicDoc), "K-9 on public/" + d);
            assertTrue(sink.files.containsKey("public/" + d + "/" + d + ".mobileconfig"));
            assertTrue(sink.files.containsKey("conf/dns/" + d + ".zone"));
        }
        sink.text("private/errors/autodiscover-600.xml");
        sink.text("private/errors/autodiscover-601.xml");
        sink.text("conf/nginx/autogen.conf");
        for (var directory : site.directories()) {
            sink.text("private/ldap/" + directory.name() + ".properties");
        }
        for (String path : sink.files.keySet()) {
            assertTrue(path.startsWith("public/") || path.startsWith("private/") || path.startsWith("conf/"), path);
        }
    }

    private static void parsePlist(byte[] bytes, String what) {
        try {
            com.dd.plist.PropertyListParser.parse(bytes);
        } catch (Exception e) {
            throw new AssertionError(what + " is not a property list: " + e.getMessage(), e);
        }
    }

    @Test
    void secretsStayPrivate() {
        MapSink sink = render(TestSites.full());
        assertTrue(sink.text("private/ldap/corp.properties").contains("s3cret"));
        sink.files.forEach((path, bytes) -> {
            if (!path.startsWith("private/ldap/")) {
                assertFalse(new String(bytes, StandardCharsets.UTF_8).contains("s3cret"), path);
            }
        });
    }

    @TestFactory
    List<DynamicTest> indexMatchesGoldenFile() {
        List<DynamicTest> tests = new ArrayList<>();
        TestSites.all().forEach((name, site) -> tests.add(dynamicTest(name, () ->
                Golden.assertMatches(name + "/domains.tsv", render(site).files.get("private/domains.tsv")))));
        return tests;
    }

    @Test
    void renderingIsDeterministic() {
        Map<String, byte[]> first = new TreeMap<>(render(TestSites.full()).files);
        Map<String, byte[]> second = new TreeMap<>(render(TestSites.full()).files);
        assertEquals(first.keySet(), second.keySet());
        first.forEach((path, bytes) -> assertArrayEquals(bytes, second.get(path), path));
    }

    @Test
    void indexLineIsTheSameWithOrWithoutRenderingTheDomain() {
        Site site = TestSites.full();
        Provider provider = site.providers().get(0);
        Domain domain = provider.domains().get(0);
        String fresh = new SiteRenderer(GoldenDocumentsTest.SETTINGS).indexLine(provider, domain);
        SiteRenderer renderer = new SiteRenderer(GoldenDocumentsTest.SETTINGS);
        renderer.renderDomain(site, provider, domain, new MapSink());
        assertEquals(fresh, renderer.indexLine(provider, domain));
        assertEquals(IndexLine.COLUMNS, fresh.split("\t", -1).length);
    }

    @Test
    void indexAloneRendersEveryDomain() {
        Site site = TestSites.full();
        MapSink sink = new MapSink();
        new SiteRenderer(GoldenDocumentsTest.SETTINGS).renderSiteFiles(site, sink);
        assertEquals(render(site).text("private/domains.tsv"), sink.text("private/domains.tsv"));
    }

    @Test
    void largeProviderSharesOneAutoconfigDocument() {
        Site site = TestSites.large(200);
        MapSink sink = render(site);
        long autoconfigs = sink.text("private/domains.tsv").lines().skip(1)
                .map(l -> IndexLine.parse(l).autoconfig()).distinct().count();
        assertEquals(1, autoconfigs);
        assertTrue(sink.text("public/d42.example/mail/config-v1.1.xml").contains("<domain>d42.example</domain>"));
    }

    @Test
    void refusesADomainClaimedTwice() {
        Site full = TestSites.full();
        Provider other = new Provider("other.example", "Other", "Other", Optional.empty(),
                List.of(full.domains().get(1)));
        Site site = new Site(List.of(full.providers().get(0), other), full.directories());
        var e = assertThrows(IllegalArgumentException.class, () -> render(site));
        assertTrue(e.getMessage().contains("example.net"), e.getMessage());
    }

    @Test
    void aDomainWithABadValueWritesNothing() {
        Domain good = TestSites.minimal().domains().get(0);
        Domain bad = new Domain(good.name(), good.servers(), good.davServers(), good.oauth2(),
                Optional.of("https://eas.example.org/has space"), good.autodiscoverHost(), good.directory());
        Provider provider = new Provider("example.org", "X", "X", Optional.empty(), List.of(bad));
        Site site = new Site(List.of(provider), List.of());
        MapSink sink = new MapSink();
        assertThrows(IllegalArgumentException.class,
                () -> new SiteRenderer(GoldenDocumentsTest.SETTINGS).renderDomain(site, provider, bad, sink));
        assertTrue(sink.files.isEmpty(), "written: " + sink.files.keySet());
    }

    @Test
    void refusesAnUnknownDirectory() {
        Site full = TestSites.full();
        Site site = new Site(full.providers(), List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> render(site));
        assertTrue(e.getMessage().contains("corp"), e.getMessage());
    }

    @Test
    void refusesDomainNamesThatAreNotSafePathSegments() {
        for (String bad : List.of("../etc", "Example.com", "a/b", ".hidden", "", "a..b", "a b")) {
            Site minimal = TestSites.minimal();
            Domain domain = TestSites.domain(bad, minimal.domains().get(0).servers());
            Provider provider = new Provider("example.org", "X", "X", Optional.empty(), List.of(domain));
            Site site = new Site(List.of(provider), List.of());
            MapSink sink = new MapSink();
            assertThrows(IllegalArgumentException.class,
                    () -> new SiteRenderer(GoldenDocumentsTest.SETTINGS).renderDomain(site, provider, domain, sink),
                    bad);
            assertNull(sink.files.get("public/" + bad + "/mail/config-v1.1.xml"));
            assertTrue(sink.files.isEmpty(), "nothing written for " + bad);
        }
    }
}
