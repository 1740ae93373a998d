package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.Layout;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import dev.autogen.qr.QrSvg;
import dev.autogen.qr.SetupPageSlots;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The compact layout (docs/site-format.md) against the tree layout of the same site: no file per domain, the same
 * private documents, and domains.tsv's columns 10 and 11 filled give the tree's public profile and setup page.
 */
class CompactLayoutTest {
    private static final Templates TEMPLATES = new Templates(Optional.empty());

    /** The test sites, the samples and a multi-provider site with a shared Autodiscover host. */
    static Map<String, Site> sites() {
        Map<String, Site> sites = new LinkedHashMap<>(TestSites.all());
        MobileconfigRendererTest.samples().forEach((name, site) -> sites.put("samples/" + name, site));
        sites.put("multi-provider", WebServerConfigTest.site());
        sites.put("idn-and-long", idnAndLong());
        return sites;
    }

    /** One provider with a plain, an internationalised (xn--) and a 253-character domain. */
    static Site idnAndLong() {
        Domain template = MobileconfigRendererTest.Fixture.full();
        String label = "l".repeat(62);
        String longName = label + "1." + label + "2." + label + "3." + "x".repeat(53) + ".example";
        assertEquals(253, longName.length());
        List<Domain> domains = new ArrayList<>();
        for (String name : List.of("plain.example", "xn--bcher-kva.example", "xn--strae-oqa.xn--bcher-kva.example",
                longName)) {
            domains.add(new Domain(name, template.servers(), template.davServers(), template.oauth2(),
                    template.activeSyncUrl(), "autodiscover." + name, Optional.empty()));
        }
        return new Site(List.of(new Provider("idn.example", "IDN & Co", "IDN", Optional.empty(), domains)), List.of());
    }

    @TestFactory
    List<DynamicTest> compactHasNoFilePerDomainAndTheTreesPrivateDocuments() {
        List<DynamicTest> tests = new ArrayList<>();
        sites().forEach((name, site) -> tests.add(dynamicTest(name, () -> {
            SiteRendererTest.MapSink tree = SiteRendererTest.render(site);
            SiteRendererTest.MapSink compact = SiteRendererTest.render(site.withLayout(Layout.COMPACT));
            for (String path : compact.files.keySet()) {
                assertTrue(path.startsWith("private/") || path.equals("conf/nginx/autogen.conf")
                        || path.equals("conf/apache/autogen.conf"), path);
            }
            Map<String, byte[]> treePrivate = new TreeMap<>();
            tree.files.forEach((p, b) -> {
                if (p.startsWith("private/")) {
                    treePrivate.put(p, b);
                }
            });
            assertEquals(treePrivate.keySet(), new TreeMap<>(compact.files).keySet().stream()
                    .filter(p -> p.startsWith("private/")).collect(java.util.stream.Collectors.toCollection(
                            java.util.TreeSet::new)), "the same private files");
            treePrivate.forEach((p, b) -> assertArrayEquals(b, compact.files.get(p), p));
            assertEquals(SetupPageRenderer.contentSecurityPolicy(TEMPLATES, site.providers()) + "\n",
                    compact.text("private/setup-page.csp"));
            checkIndex(site, compact, tree);
        })));
        return tests;
    }

    /** Columns 10 and 11 exist, are content-addressed documents, and fill to the tree's public files. */
    private static void checkIndex(Site site, SiteRendererTest.MapSink compact, SiteRendererTest.MapSink tree) {
        String[] lines = compact.text("private/domains.tsv").split("\n");
        assertEquals(IndexLine.HEADER, lines[0]);
        assertEquals(site.domains().size(), lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            String[] columns = lines[i].split("\t", -1);
            assertEquals(IndexLine.COLUMNS, columns.length, lines[i]);
            String d = columns[0];
            Provider provider = site.providers().stream().filter(p -> p.domains().stream()
                    .anyMatch(x -> x.name().equals(d))).findFirst().orElseThrow();
            Domain domain = provider.domains().stream().filter(x -> x.name().equals(d)).findFirst().orElseThrow();
            for (int c : new int[] {2, 3, 5, 9, 10}) {
                assertNotNull(compact.files.get("private/" + columns[c]), "column " + (c + 1) + ": " + columns[c]);
                assertEquals(columns[c].substring(5, 69), SiteRenderer.sha256Hex(compact.files.get("private/"
                        + columns[c])), "content address");
            }
            assertTrue(columns[9].matches("docs/[0-9a-f]{64}\\.plist"), columns[9]);
            assertTrue(columns[10].matches("docs/[0-9a-f]{64}\\.html"), columns[10]);
            String profileTemplate = compact.text("private/" + columns[9]);
            assertArrayEquals(MobileconfigRenderer.addressless(provider, domain),
                    MobileconfigRenderer.fillAddressless(profileTemplate, d), "column 10 filled: " + d);
            if (provider.signing().isEmpty()) {
                assertArrayEquals(tree.files.get("public/" + d + "/" + d + ".mobileconfig"),
                        MobileconfigRenderer.fillAddressless(profileTemplate, d), d);
            }
            String page = compact.text("private/" + columns[10]);
            assertArrayEquals(tree.files.get("public/" + d + "/index.html"), SetupPageSlots.fillUtf8(page, d),
                    "column 11 filled is the tree's page: " + d);
            assertTrue(page.contains(SetupPageSlots.DOMAIN) && page.contains(SetupPageSlots.QR_PATH), d);
        }
    }

    /**
     * The page with the domain as slots, filled, is byte for byte what FreeMarker renders from the domain's own
     * values (the way every page was rendered before): slots survive the HTML escaping, and filling escapes the same.
     */
    @TestFactory
    List<DynamicTest> filledPagesAreThePagesFreeMarkerRendersWithTheValues() {
        SetupPageRenderer renderer = new SetupPageRenderer(TEMPLATES);
        List<DynamicTest> tests = new ArrayList<>();
        sites().forEach((name, site) -> {
            for (Provider p : site.providers()) {
                for (Domain d : p.domains()) {
                    tests.add(dynamicTest(name + "/" + d.name(), () -> {
                        Map<String, Object> model = renderer.model(p, d);
                        String direct = TEMPLATES.render(SetupPageRenderer.TEMPLATE, filled(model, d.name()));
                        assertEquals(direct, new String(renderer.page(p, d), StandardCharsets.UTF_8));
                    }));
                }
            }
        });
        return tests;
    }

    /** The model with each slot replaced by the domain's value: the model as it was before slots. */
    @SuppressWarnings("unchecked")
    private static Object filledValue(Object value, String domain) {
        if (value instanceof String s) {
            QrSvg qr = QrSvg.of(SetupPageSlots.profileUrl(domain));
            return s.replace(SetupPageSlots.DOMAIN_UNICODE, SetupPageSlots.display(domain))
                    .replace(SetupPageSlots.DOMAIN, domain)
                    .replace(SetupPageSlots.QR_SIZE, Integer.toString(qr.size()))
                    .replace(SetupPageSlots.QR_PATH, qr.path());
        } else if (value instanceof Map<?, ?> m) {
            return filled((Map<String, Object>) m, domain);
        } else if (value instanceof List<?> l) {
            return l.stream().map(v -> filledValue(v, domain)).toList();
        }
        return value;
    }

    private static Map<String, Object> filled(Map<String, Object> model, String domain) {
        Map<String, Object> out = new HashMap<>();
        model.forEach((k, v) -> out.put(k, filledValue(v, domain)));
        return out;
    }

    @Test
    void oneFreeMarkerRunServesEveryDomainOfTheSameSettings() {
        Site site = idnAndLong();
        SiteRendererTest.MapSink compact = SiteRendererTest.render(site.withLayout(Layout.COMPACT));
        long pages = compact.files.keySet().stream().filter(p -> p.endsWith(".html")).count();
        assertEquals(1, pages, "four domains, one setup page document");
        String page = compact.files.entrySet().stream().filter(e -> e.getKey().endsWith(".html")).findFirst()
                .map(e -> new String(e.getValue(), StandardCharsets.UTF_8)).orElseThrow();
        for (String slot : List.of(SetupPageSlots.DOMAIN, SetupPageSlots.DOMAIN_UNICODE, SetupPageSlots.QR_SIZE,
                SetupPageSlots.QR_PATH, "you@{{domain}}", "autodiscover.{{domain}}")) {
            assertTrue(page.contains(slot), slot);
        }
        // A server host that contains a domain's name stays literal: nothing is searched and replaced.
        assertTrue(page.contains("imap.example.com"), page);
    }
}
