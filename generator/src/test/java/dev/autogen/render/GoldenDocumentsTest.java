package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every XML and JSON document this package renders, for every test site, against its golden file
 * ({@code golden/<site>/<domain>/<document>}). {@code -Dgolden.update=true} rewrites them.
 */
class GoldenDocumentsTest {
    static final RenderSettings SETTINGS = new RenderSettings(Optional.empty(), "/srv/autogen/current/public",
            "http://127.0.0.1:4243");

    /** The documents of one site by golden name. */
    static Map<String, byte[]> documents(Site site) {
        SiteRenderer renderer = new SiteRenderer(SETTINGS);
        Map<String, byte[]> docs = new java.util.TreeMap<>();
        for (Provider provider : site.providers()) {
            for (Domain domain : provider.domains()) {
                String d = domain.name() + "/";
                docs.put(d + "autoconfig.xml", renderer.autoconfig(provider, domain).doc().bytes());
                docs.put(d + "config-v1.1.xml", renderer.publicAutoconfig(provider, domain));
                docs.put(d + "autodiscover-outlook.xml", renderer.outlook(domain).bytes());
                renderer.mobileSync(domain).ifPresent(doc -> docs.put(d + "autodiscover-mobilesync.xml", doc.bytes()));
                SiteRenderer.PaccDoc pacc = renderer.pacc(site, provider, domain);
                if (pacc.doc() != null) {
                    docs.put(d + "user-agent-configuration.json", pacc.doc().bytes());
                }
            }
        }
        for (int code : new int[] {600, 601}) {
            docs.put("errors/autodiscover-" + code + ".xml", renderer.autodiscoverError(code));
        }
        return docs;
    }

    @TestFactory
    List<DynamicTest> documentsMatchGoldenFiles() {
        List<DynamicTest> tests = new ArrayList<>();
        TestSites.all().forEach((siteName, site) -> documents(site).forEach((name, bytes) -> {
            String path = siteName + "/" + name;
            tests.add(dynamicTest(path, () -> {
                if (name.endsWith(".json")) {
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
                } else {
                    Xml.parse(bytes);
                }
                Golden.assertMatches(path, bytes);
            }));
        }));
        return tests;
    }

    /** The golden tree holds no stale files: a document that is no longer rendered must not linger there. */
    @TestFactory
    List<DynamicTest> noStaleGoldenFiles() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (var entry : TestSites.all().entrySet()) {
            Path dir = Golden.ROOT.resolve(entry.getKey());
            if (Golden.updating() || !java.nio.file.Files.isDirectory(dir)) {
                continue;
            }
            var expected = documents(entry.getValue()).keySet();
            try (var files = java.nio.file.Files.walk(dir)) {
                files.filter(java.nio.file.Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/'))
                        .filter(f -> !f.equals("domains.tsv"))
                        .forEach(f -> tests.add(dynamicTest(entry.getKey() + "/" + f, () -> {
                            if (!expected.contains(f)) {
                                throw new AssertionError("golden file no longer rendered: " + f);
                            }
                        })));
            }
        }
        return tests;
    }
}
