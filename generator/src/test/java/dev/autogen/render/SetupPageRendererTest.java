package dev.autogen.render;

import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static dev.autogen.render.SetupPages.elements;
import static dev.autogen.render.SetupPages.parseStrict;
import static dev.autogen.render.SetupPages.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** The setup page without a browser: golden files, a strict HTML parse, what the page must hold, escaping, QR. */
class SetupPageRendererTest {
    private static final Templates TEMPLATES = new Templates(Optional.empty());
    private static final SetupPageRenderer RENDERER = new SetupPageRenderer(TEMPLATES);

    /** Every test site's pages against {@code golden/setup-page/<site>/<domain>.html}, each fully checked. */
    @TestFactory
    List<DynamicTest> pagesMatchGoldenFilesAndHoldEverything() {
        List<DynamicTest> tests = new ArrayList<>();
        TestSites.all().forEach((siteName, site) -> {
            for (Provider provider : site.providers()) {
                for (Domain domain : provider.domains()) {
                    String path = "setup-page/" + siteName + "/" + domain.name() + ".html";
                    tests.add(dynamicTest(path, () -> {
                        byte[] page = RENDERER.page(provider, domain);
                        Golden.assertMatches(path, page);
                        checkPage(page, provider, domain);
                    }));
                }
            }
        });
        return tests;
    }

    /** What every page must hold, whatever the site: the servers, the profile in three forms, and nothing unsafe. */
    static void checkPage(byte[] bytes, Provider provider, Domain domain) throws Exception {
        Document doc = parseStrict(bytes);
        String profileUrl = "https://autoconfig." + domain.name() + "/mobileconfig/" + domain.name() + ".mobileconfig";
        Element html = doc.getDocumentElement();
        assertEquals("en", html.getAttribute("lang"));
        for (String landmark : List.of("header", "nav", "main", "footer")) {
            assertEquals(1, elements(doc, landmark).size(), landmark);
        }
        assertTrue(text(elements(doc, "h1").get(0)).contains(SetupPageRenderer.display(domain.name())));
        assertTrue(text(html).contains(provider.name()), "provider name as text");

        // Every server: a table with its host and port.
        List<Map<String, String>> tables = elements(doc, "table").stream().map(SetupPageRendererTest::rows).toList();
        for (MailServer s : domain.servers()) {
            assertTrue(tables.stream().anyMatch(t -> s.hostname().equals(t.get("Server"))
                    && Integer.toString(s.port()).equals(t.get("Port"))), s + " in " + tables);
        }
        for (DavServer d : domain.davServers()) {
            assertTrue(tables.stream().anyMatch(t -> d.url().toString().equals(t.get("Address"))
                    && t.get("Server").startsWith(d.url().getHost() + ", port " + d.port())), d + " in " + tables);
        }
        domain.oauth2().ifPresent(o -> assertTrue(text(html).contains(o.issuer()), "OAuth2 note"));

        // The profile: a link, a GET form to the responder, a QR code with a text alternative.
        List<String> hrefs = elements(doc, "a").stream().map(a -> a.getAttribute("href")).toList();
        assertTrue(hrefs.contains("/mobileconfig/" + domain.name() + ".mobileconfig"), hrefs.toString());
        assertTrue(hrefs.contains(profileUrl), hrefs.toString());
        Element form = elements(doc, "form").get(0);
        assertEquals("get", form.getAttribute("method"));
        assertEquals("/mobileconfig", form.getAttribute("action"));
        assertEquals(List.of("emailaddress", "name"),
                elements(doc, "input").stream().map(i -> i.getAttribute("name")).toList());
        Set<String> ids = new HashSet<>();
        for (Element e : SetupPages.allElements(doc)) {
            if (!e.getAttribute("id").isEmpty()) {
                assertTrue(ids.add(e.getAttribute("id")), "duplicate id " + e.getAttribute("id"));
            }
        }
        for (Element input : elements(doc, "input")) {
            assertTrue(elements(doc, "label").stream().anyMatch(l -> l.getAttribute("for").equals(input.getAttribute("id"))),
                    "label for " + input.getAttribute("id"));
        }
        for (Element e : SetupPages.allElements(doc)) {
            String labelledBy = e.getAttribute("aria-labelledby");
            if (!labelledBy.isEmpty()) {
                assertTrue(ids.contains(labelledBy), "aria-labelledby " + labelledBy);
            }
        }
        List<Element> svgs = elements(doc, "svg");
        assertEquals(1, svgs.size());
        Element svg = svgs.get(0);
        assertEquals("img", svg.getAttribute("role"));
        assertEquals("QR code of " + profileUrl, text(doc.getElementById(svg.getAttribute("aria-labelledby"))));
        String size = svg.getAttribute("viewBox").split(" ")[2];
        String path = elements(doc, "path").get(0).getAttribute("d");
        assertEquals(profileUrl, SetupPages.decodeQr(SetupPages.rasterise(Integer.parseInt(size), path, 4)));

        // Works under the policy: no script, no inline style attribute or handler, one <style> allowed by its hash.
        assertTrue(elements(doc, "script").isEmpty());
        // The only image is the provider's logo, allowed by the policy's img-src (its origin, nothing else).
        Optional<Provider.Logo> logo = SetupPageRenderer.logo(provider);
        List<Element> images = elements(doc, "img");
        assertEquals(logo.isPresent() ? 1 : 0, images.size());
        logo.ifPresent(l -> {
            assertEquals(l.url(), images.get(0).getAttribute("src"));
            // Decorative: the name follows as text, so an empty alt keeps screen readers from saying it twice.
            assertTrue(images.get(0).hasAttribute("alt") && images.get(0).getAttribute("alt").isEmpty());
        });
        assertTrue(elements(doc, "iframe").isEmpty()
                && elements(doc, "link").isEmpty() && elements(doc, "object").isEmpty());
        for (Element e : SetupPages.allElements(doc)) {
            assertFalse(e.hasAttribute("style"), "style attribute on " + e.getTagName());
            for (int i = 0; i < e.getAttributes().getLength(); i++) {
                assertFalse(e.getAttributes().item(i).getNodeName().startsWith("on"), "handler on " + e.getTagName());
            }
        }
        List<Element> styles = elements(doc, "style");
        assertEquals(1, styles.size());
        String csp = elements(doc, "meta").stream().filter(m -> m.getAttribute("http-equiv").equals(
                "Content-Security-Policy")).findFirst().orElseThrow().getAttribute("content");
        assertTrue(csp.contains("'sha256-" + SetupPageRenderer.sha256Base64(styles.get(0).getTextContent()) + "'"),
                csp);
        assertTrue(csp.startsWith("default-src 'none'; "), csp);

        // Nothing refers to another server but the provider's documentation and the profile.
        TreeSet<String> allowed = new TreeSet<>(List.of(profileUrl));
        provider.documentation().ifPresent(d -> allowed.add(d.url()));
        logo.ifPresent(l -> allowed.add(l.url()));
        assertEquals(logo.isPresent(), csp.contains("; img-src "), csp);
        TreeSet<String> external = SetupPages.externalUrls(doc);
        external.removeAll(allowed);
        assertEquals(Set.of(), external, "URLs outside the provider's own");
    }

    /** A table's rows as header text to cell text. */
    static Map<String, String> rows(Element table) {
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        org.w3c.dom.NodeList trs = table.getElementsByTagName("tr");
        for (int i = 0; i < trs.getLength(); i++) {
            Element tr = (Element) trs.item(i);
            if (tr.getElementsByTagName("th").getLength() == 1 && tr.getElementsByTagName("td").getLength() == 1) {
                rows.put(text(tr.getElementsByTagName("th").item(0)).strip(),
                        text(tr.getElementsByTagName("td").item(0)).strip());
            }
        }
        return rows;
    }

    @Test
    void hostileValuesShowAsText() throws Exception {
        String name = "<script>alert(1)</script>";
        Domain domain = new Domain("evil.example", List.of(
                TestSites.server(MailServer.Protocol.IMAP, "imap.evil.example", 993, MailServer.Security.SSL, 10,
                        MailServer.Authentication.PASSWORD_CLEARTEXT)), List.of(), Optional.empty(), Optional.empty(),
                "autodiscover.evil.example", Optional.empty());
        Provider provider = new Provider("evil.example", name, "<b onmouseover=x>",
                Optional.of(new Provider.Documentation("https://evil.example/?\"><script>x</script>",
                        "</a><script>alert(2)</script>")), List.of(domain));
        byte[] page = RENDERER.page(provider, domain);
        String html = new String(page, StandardCharsets.UTF_8);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        Document doc = parseStrict(page);
        assertTrue(elements(doc, "script").isEmpty());
        assertEquals(name, text(elements(doc, "header").get(0).getElementsByTagName("p").item(0)));
        assertTrue(text(doc.getElementsByTagName("title").item(0)).endsWith(name));
        Element footerLink = (Element) elements(doc, "footer").get(0).getElementsByTagName("a").item(0);
        assertEquals("https://evil.example/?\"><script>x</script>", footerLink.getAttribute("href"));
        assertEquals("</a><script>alert(2)</script>", footerLink.getTextContent());
        checkPage(page, provider, domain);

        Provider scripted = new Provider("evil.example", "Evil", "Evil",
                Optional.of(new Provider.Documentation("javascript:alert(1)", "help")), List.of(domain));
        assertThrows(IllegalArgumentException.class, () -> RENDERER.page(scripted, domain));
    }

    @Test
    void usernameExamplesUseTheUsersOwnAddress() {
        assertEquals("you@example.com", SetupPageRenderer.username("%EMAILADDRESS%", "example.com"));
        assertEquals("you", SetupPageRenderer.username("%EMAILLOCALPART%", "example.com"));
        assertEquals("EXAMPLE\\you", SetupPageRenderer.username("EXAMPLE\\%EMAILLOCALPART%", "example.com"));
        assertEquals("you+example.com", SetupPageRenderer.username("%EMAILLOCALPART%+%EMAILDOMAIN%", "example.com"));
        assertEquals("address", SetupPageRenderer.usernameKind("%EMAILADDRESS%"));
        assertEquals("localpart", SetupPageRenderer.usernameKind("%EMAILLOCALPART%"));
        assertEquals("other", SetupPageRenderer.usernameKind("x-%EMAILLOCALPART%"));
    }

    /** The same policy everywhere: the page's meta, the renderer, the NGINX and Apache configs. */
    @Test
    void policyIsTheSameInThePageAndTheWebConfigs() throws Exception {
        String header = RENDERER.contentSecurityPolicy();
        assertEquals(RENDERER.metaContentSecurityPolicy() + "; frame-ancestors 'none'", header);
        Site site = TestSites.minimal();
        assertEquals(header, SetupPageRenderer.contentSecurityPolicy(TEMPLATES, site.providers()));
        RenderSettings settings = GoldenDocumentsTest.SETTINGS;
        assertTrue(new String(WebServerConfig.nginx(TEMPLATES, site, settings), StandardCharsets.UTF_8)
                .contains("add_header Content-Security-Policy \"" + header + "\" always;"));
        assertTrue(new String(WebServerConfig.apache(TEMPLATES, site, settings), StandardCharsets.UTF_8)
                .contains("Header always set Content-Security-Policy \"" + header + "\""));
        assertEquals("'sha256-" + SetupPageRenderer.sha256Base64(RENDERER.style()) + "'",
                header.replaceAll(".*style-src ([^;]+);.*", "$1"));
    }

    /**
     * A provider's logo (the YAML key PACC also uses) shows in the header; the page's policy allows exactly its
     * origin and the web configs' header every provider's, so the browser's intersection of both lets it load.
     */
    @Test
    void logoIsShownAndAllowedByItsOriginOnly() throws Exception {
        Site plain = TestSites.minimal();
        Provider p = plain.providers().get(0);
        Provider withLogo = new Provider(p.id(), p.name(), p.shortName(), p.documentation(), p.domains(),
                List.of(new Provider.Logo("https://static.example.com:8443/brand/logo.svg?v=2&x=1", "image/svg+xml"),
                        new Provider.Logo("https://other.example/second.png", "image/png")),
                p.hosting(), p.signing());
        Site site = new Site(List.of(withLogo), plain.directories(), plain.web(), plain.pacc());
        byte[] page = RENDERER.page(withLogo, withLogo.domains().get(0));
        checkPage(page, withLogo, withLogo.domains().get(0));
        String html = new String(page, StandardCharsets.UTF_8);
        assertTrue(html.contains("src=\"https://static.example.com:8443/brand/logo.svg?v=2&amp;x=1\""), html);
        assertTrue(html.contains("img-src https://static.example.com:8443\""), html);
        assertFalse(html.contains("other.example"), "only the first logo is shown and allowed");
        String header = SetupPageRenderer.contentSecurityPolicy(TEMPLATES, site.providers());
        assertTrue(header.endsWith("; img-src https://static.example.com:8443; frame-ancestors 'none'"), header);
        assertTrue(new String(WebServerConfig.nginx(TEMPLATES, site, GoldenDocumentsTest.SETTINGS), StandardCharsets.UTF_8)
                .contains("add_header Content-Security-Policy \"" + header + "\" always;"));
        // A logo whose origin a policy cannot name is not shown at all (never loaded against the policy).
        Provider odd = new Provider(p.id(), p.name(), p.shortName(), p.documentation(), p.domains(),
                List.of(new Provider.Logo("https://xn--bcher-kva.example/logo.png\"", "image/png")), p.hosting(), p.signing());
        assertTrue(SetupPageRenderer.logo(odd).isEmpty());
    }

    /** An admin's stylesheet changes the hash in the page and in the configs alike. */
    @Test
    void overriddenStyleChangesThePolicy(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(SetupPageRenderer.STYLE_TEMPLATE), "body{color:#000}\n");
        Templates own = new Templates(Optional.of(dir));
        SetupPageRenderer renderer = new SetupPageRenderer(own);
        assertFalse(renderer.contentSecurityPolicy().equals(RENDERER.contentSecurityPolicy()));
        assertTrue(renderer.contentSecurityPolicy().contains(SetupPageRenderer.sha256Base64("body{color:#000}\n")));
        Site site = TestSites.minimal();
        byte[] page = renderer.page(site.providers().get(0), site.domains().get(0));
        checkPage(page, site.providers().get(0), site.domains().get(0));
        assertTrue(new String(WebServerConfig.nginx(own, site, GoldenDocumentsTest.SETTINGS), StandardCharsets.UTF_8)
                .contains(renderer.contentSecurityPolicy()));
        Files.writeString(dir.resolve(SetupPageRenderer.STYLE_TEMPLATE), "</style><script>x</script>");
        assertThrows(IllegalArgumentException.class, () -> new SetupPageRenderer(new Templates(Optional.of(dir))));
    }

    @Test
    void siteRendererWritesThePageAndTheIndexOnlyOnRequest() throws Exception {
        Site site = TestSites.sample("example.yaml");
        Map<String, byte[]> files = render(site, GoldenDocumentsTest.SETTINGS);
        for (Domain d : site.domains()) {
            assertTrue(files.containsKey("public/" + d.name() + "/index.html"), d.name());
        }
        assertFalse(files.containsKey("private/setup-index.html"));
        RenderSettings withIndex = new RenderSettings(Optional.empty(), "/srv/autogen/current/public",
                "http://127.0.0.1:4243", true);
        Map<String, byte[]> again = render(site, withIndex);
        byte[] index = again.remove("private/setup-index.html");
        assertEquals(files.keySet(), again.keySet());
        for (String name : files.keySet()) {
            assertArrayEquals(files.get(name), again.get(name), "same input, same bytes: " + name);
        }
        Golden.assertMatches("setup-page/sample-example/setup-index.html", index);
        Document doc = parseStrict(index);
        List<String> links = elements(doc, "a").stream().map(a -> a.getAttribute("href")).toList();
        assertEquals(site.domains().stream().map(d -> "https://autoconfig." + d.name() + "/").sorted().toList(), links);
        assertTrue(text(doc.getDocumentElement()).contains("bücher.example (xn--bcher-kva.example)"));
    }

    private static Map<String, byte[]> render(Site site, RenderSettings settings) {
        SiteRenderer renderer = new SiteRenderer(settings);
        Map<String, byte[]> files = new ConcurrentHashMap<>();
        for (Provider p : site.providers()) {
            for (Domain d : p.domains()) {
                renderer.renderDomain(site, p, d, files::put);
            }
        }
        renderer.renderSiteFiles(site, files::put);
        return new java.util.TreeMap<>(files);
    }
}
