package dev.autogen.render;

import dev.autogen.config.YamlSource;
import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hoster's part of a site (docs/hosters.md): documents rendered once with the domain as a slot, redirects. */
class HostingRenderTest {
    static final List<MailServer> SERVERS = List.of(
            new MailServer(MailServer.Protocol.IMAP, "imap.hoster.example", 993, MailServer.Security.SSL,
                    List.of(MailServer.Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 10),
            new MailServer(MailServer.Protocol.SMTP, "smtp.hoster.example", 465, MailServer.Security.SSL,
                    List.of(MailServer.Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 10));

    /** Only a default provider, with {@code mx} MX domains and no listed domain at all. */
    static Site defaultOnly(int mx) {
        List<String> mxDomains = new ArrayList<>();
        for (int i = 0; i < mx; i++) {
            mxDomains.add("mx" + i + ".hoster.example");
        }
        Domain settings = new Domain("*", SERVERS, List.of(new DavServer(DavServer.Type.CALDAV,
                URI.create("https://dav.hoster.example/cal/"), "%EMAILADDRESS%")), Optional.empty(), Optional.empty(),
                "autodiscover.*", Optional.empty());
        return new Site(List.of(new Provider("hoster.example", "Hoster", "Hoster", Optional.empty(), List.of(),
                List.of(), Optional.of(new Provider.Hosting(true, mxDomains, settings)), Optional.empty())), List.of());
    }

    @Test
    void aDefaultProviderWithoutListedDomainsRendersAFixedSetOfFiles() {
        SiteRendererTest.MapSink none = SiteRendererTest.render(defaultOnly(0));
        TreeSet<String> kinds = new TreeSet<>();
        none.files.keySet().forEach(p -> kinds.add(p.startsWith("private/docs/") ? "private/docs/*" : p));
        assertEquals(new TreeSet<>(List.of("conf/apache/autogen.conf", "conf/nginx/autogen.conf", "private/docs/*",
                "private/domains.tsv", "private/errors/autodiscover-600.xml", "private/errors/autodiscover-601.xml",
                "private/hosting.tsv", "private/pacc.tsv", "private/setup-page.csp", "private/wellknown.tsv")), kinds);
        // autoconfig, Outlook, per-user and address-less profiles, PACC: once each, whatever the number of domains.
        assertEquals(5, none.files.keySet().stream().filter(p -> p.startsWith("private/docs/")).count());
        assertEquals(IndexLine.HEADER + "\n", none.text("private/domains.tsv"));
        // MX domains are lines of the index, not files: the file count never depends on anything per domain.
        SiteRendererTest.MapSink many = SiteRendererTest.render(defaultOnly(1000));
        assertEquals(none.files.size(), many.files.size());
        assertEquals(1 + 1 + 1000, many.text("private/hosting.tsv").lines().count(), "header, '*', one per MX domain");
    }

    @Test
    void theDefaultProviderHasOnePaccDocumentForTheDomainsNobodyLists() throws Exception {
        SiteRendererTest.MapSink sink = SiteRendererTest.render(defaultOnly(1));
        List<String> lines = sink.text("private/pacc.tsv").lines().toList();
        assertEquals(List.of(SiteRenderer.PACC_INDEX_HEADER), lines.subList(0, 1));
        assertEquals(2, lines.size(), lines.toString());
        String[] any = lines.get(1).split("\t");
        assertEquals("*", any[0]);
        // The document names no domain: the same bytes as the renderer's for the provider's own settings.
        Provider p = defaultOnly(1).providers().get(0);
        byte[] expected = PaccRenderer.render(p, p.hosting().orElseThrow().settings(), dev.autogen.model.Pacc.DEFAULT)
                .document().orElseThrow();
        assertEquals(new String(expected, StandardCharsets.UTF_8), sink.text("private/" + any[1]));
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(sink.text("private/" + any[1]));
        assertEquals("imap.hoster.example", doc.at("/protocols/imap/host").asText());
        assertEquals("https://dav.hoster.example/cal/", doc.at("/protocols/caldav/url").asText());
        assertFalse(sink.text("private/" + any[1]).contains("{{"), "no slot: nothing to fill per domain");
    }

    @Test
    void theDefaultDocumentsLeaveTheDomainOpenAndK9AcceptsThemFilled() {
        SiteRendererTest.MapSink sink = SiteRendererTest.render(defaultOnly(1));
        List<String> lines = sink.text("private/hosting.tsv").lines().toList();
        assertEquals(SiteRenderer.HOSTING_HEADER, lines.get(0));
        String[] any = lines.stream().filter(l -> l.startsWith("*\t")).findFirst().orElseThrow().split("\t");
        assertEquals(10, any.length);
        assertEquals("https://autodiscover.{{domain}}/autodiscover/autodiscover.xml", any[7]);
        String autoconfig = sink.text("private/" + any[2]);
        assertTrue(autoconfig.contains("<domain>{{domain}}</domain>"), autoconfig);
        assertTrue(autoconfig.contains("<domain purpose=\"mx\">mx0.hoster.example</domain>"), autoconfig);
        // What the responder sends without an address, for a customer domain: Thunderbird for Android accepts it.
        byte[] filled = Slots.publicAutoconfig(autoconfig, "customer.example").getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(), K9Rules.violations(filled));
        String addressless = sink.text("private/" + any[9]);
        assertTrue(addressless.contains("{{domain}}") && !addressless.contains("{{address}}"), addressless);
        String mx = lines.stream().filter(l -> l.startsWith("mx0.hoster.example\t")).findFirst().orElseThrow();
        assertTrue(mx.endsWith("\t-"), "no address-less profile for an MX entry: " + mx);
        assertEquals(DavRedirects.HEADER + "\n*\thttps://dav.hoster.example/cal/\t-\n"
                + "autoconfig.mx0.hoster.example\thttps://dav.hoster.example/cal/\t-\n", sink.text("private/wellknown.tsv"));
    }

    @Test
    void theSampleListsMxDomainsInEveryAutoconfigOfTheProvider() throws Exception {
        Site site = YamlSource.load(Path.of("..", "samples", "hoster.yaml"));
        SiteRendererTest.MapSink sink = SiteRendererTest.render(site);
        String own = sink.text("public/hoster.example/mail/config-v1.1.xml");
        assertTrue(own.contains("<domain>hoster.example</domain>\n    <domain purpose=\"mx\">hoster.example</domain>"), own);
        assertFalse(sink.text("public/own-servers.example/mail/config-v1.1.xml").contains("purpose"));
        assertEquals(List.of(), K9Rules.violations(own.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void redirectsOnlyForDomainsWithDav() {
        Domain dav = new Domain("dav.example", SERVERS, List.of(
                new DavServer(DavServer.Type.CARDDAV, URI.create("https://autodiscover.dav.example/card/"), "%EMAILADDRESS%"),
                new DavServer(DavServer.Type.CALDAV, URI.create("https://autoconfig.dav.example/.well-known/caldav"), "%EMAILADDRESS%")),
                Optional.empty(), Optional.empty(), "autodiscover.dav.example", Optional.empty());
        Domain plain = new Domain("plain.example", SERVERS, List.of(), Optional.empty(), Optional.empty(),
                "autodiscover.plain.example", Optional.empty());
        Site site = new Site(List.of(new Provider("p.example", "P", "P", Optional.empty(), List.of(dav, plain))), List.of());
        Map<String, String> lines = new java.util.TreeMap<>();
        DavRedirects.of(site).forEach(e -> lines.put(e.host(), e.format()));
        assertEquals(List.of("autoconfig.dav.example", "autodiscover.dav.example", "dav.example"), List.copyOf(lines.keySet()));
        // autoconfig.dav.example would redirect its own well-known path to itself: no CalDAV redirect there.
        assertEquals("autoconfig.dav.example\t-\thttps://autodiscover.dav.example/card/", lines.get("autoconfig.dav.example"));
        assertEquals("dav.example\thttps://autoconfig.dav.example/.well-known/caldav\thttps://autodiscover.dav.example/card/",
                lines.get("dav.example"));
        String nginx = new String(WebServerConfig.nginx(new Templates(Optional.empty()), site, GoldenDocumentsTest.SETTINGS),
                StandardCharsets.UTF_8);
        assertTrue(nginx.contains("    dav.example \"https://autoconfig.dav.example/.well-known/caldav\";"), nginx);
        assertFalse(nginx.contains("plain.example \"http"), nginx);
    }

    @Test
    void perDomainCertificatesCoverTheMxNames() {
        Site site = defaultOnly(2).withWeb(WebServerConfigTest.PER_DOMAIN);
        Templates templates = new Templates(Optional.empty());
        String nginx = new String(WebServerConfig.nginx(templates, site, GoldenDocumentsTest.SETTINGS), StandardCharsets.UTF_8);
        assertTrue(nginx.contains("    autoconfig.mx0.hoster.example mx0.hoster.example;   # MX route\n"), nginx);
        String apache = new String(WebServerConfig.apache(templates, site, GoldenDocumentsTest.SETTINGS), StandardCharsets.UTF_8);
        assertTrue(apache.contains("    ServerName autoconfig.mx1.hoster.example\n"), apache);
        assertTrue(apache.contains("/etc/letsencrypt/live/autoconfig.mx1.hoster.example/fullchain.pem"), apache);
    }

    @Test
    void unsafeDavUrlsAndASecondDefaultAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DavRedirects.requireSafeUrl("https://dav.example/$host"));
        Site one = defaultOnly(0);
        Site two = new Site(List.of(one.providers().get(0), new Provider("other.example", "O", "O", Optional.empty(),
                List.of(), List.of(), one.providers().get(0).hosting(), Optional.empty())), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SiteRendererTest.render(two));
        assertTrue(e.getMessage().contains("more than one default provider"), e.getMessage());
    }
}
