package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import dev.autogen.model.Domain;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import dev.autogen.probe.AutoconfigRules;
import dev.autogen.probe.ClientVerdict;
import dev.autogen.render.MobileconfigRenderer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Hosters (docs/hosters.md), end to end: the real generator renders samples/hoster.yaml (a default provider '*' with
 * MX domain and DAV) and mx-only.yaml (MX domains, no default provider); the responder answers from the result.
 */
class HostersTest {

    /** A domain that appears nowhere in the site. */
    static final String NOWHERE = "customer-nowhere.example";
    static final String BOB = "bob@" + NOWHERE;

    /** Hostile or invalid mail domains: IDNA-invalid, empty label, CR LF, 300 characters, markup, quotes. */
    static final List<String> HOSTILE = List.of("\uFFFDbad.example", "two..dots.example", "crlf\r\n.example",
            "a".repeat(300) + ".example", "<script>alert(1)</script>.example", "q\"uote'.example", "-lead.example",
            "sp ace.example", "x.example%00");

    @TempDir static Path dir;
    static TestServer hoster, mxOnly;

    static Path render(String yaml, String name, String... options) {
        Path out = dir.resolve(name);
        java.io.StringWriter err = new java.io.StringWriter();
        List<String> args = new ArrayList<>(List.of("render", yaml, "--out", out.toString()));
        args.addAll(List.of(options));
        int code = dev.autogen.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err, true), args.toArray(String[]::new));
        assertEquals(0, code, "autogen render " + yaml + ": " + err);
        return out;
    }

    static Path hosterSite() {
        return render(Path.of("..", "samples", "hoster.yaml").toString(), "hoster");
    }

    @BeforeAll
    static void start() throws Exception {
        hoster = new TestServer(hosterSite());
        mxOnly = new TestServer(render(Path.of("src", "test", "resources", "mx-only.yaml").toString(), "mx-only"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (hoster != null) hoster.close();
        if (mxOnly != null) mxOnly.close();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Document ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.xml(r.body());
    }

    static List<String> all(Document d, String localName) {
        List<String> out = new ArrayList<>();
        var list = d.getElementsByTagNameNS("*", localName);
        for (int i = 0; i < list.getLength(); i++) out.add(list.item(i).getTextContent());
        return out;
    }

    /** The autoconfig answer names the domain, the hoster's servers, and Thunderbird for Android accepts it. */
    static void hosterAutoconfig(HttpResponse<String> r, String domain, String address) throws Exception {
        Document d = ok(r);
        assertEquals("hoster.example", ((Element) d.getElementsByTagName("emailProvider").item(0)).getAttribute("id"));
        assertEquals(domain, TestServer.text(d, "domain"), r.body());
        assertEquals("imap.hoster.example", TestServer.text(d, "hostname"));
        assertEquals(address == null ? "%EMAILADDRESS%" : address, TestServer.text(d, "username"));
        ClientVerdict k9 = AutoconfigRules.k9("test", r.body().getBytes(StandardCharsets.UTF_8),
                address == null ? "someone@" + domain : address);
        assertTrue(k9.ok(), k9.problems().toString());
        assertFalse(r.body().contains("{{"), r.body());
    }

    @Test
    void unknownDomainGetsTheDefaultProviderOnEveryRoute() throws Exception {
        // Mozilla autoconfig with an address, both paths; without one, the domain from the Host header.
        hosterAutoconfig(hoster.get("/mail/config-v1.1.xml?emailaddress=" + q(BOB)), NOWHERE, BOB);
        hosterAutoconfig(hoster.get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=" + q(BOB)), NOWHERE, BOB);
        hosterAutoconfig(hoster.get("/mail/config-v1.1.xml", "Host", "autoconfig." + NOWHERE), NOWHERE, null);
        hosterAutoconfig(hoster.get("/.well-known/autoconfig/mail/config-v1.1.xml", "Host", NOWHERE), NOWHERE, null);
        hosterAutoconfig(hoster.get("/mail/config-v1.1.xml?emailaddress=" + q("Bob@B\u00fccher-Kunde.example")),
                java.net.IDN.toASCII("b\u00fccher-kunde.example"), "Bob@" + java.net.IDN.toASCII("b\u00fccher-kunde.example"));

        // Autodiscover POX (Outlook and MobileSync schemas), body-less GET, v2 JSON.
        Document d = ok(hoster.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest(BOB)));
        assertEquals(List.of("imap.hoster.example", "smtp.hoster.example"), all(d, "Server"));
        assertEquals(BOB, TestServer.text(d, "LoginName"));
        d = ok(hoster.post("/Autodiscover/Autodiscover.xml", "text/xml", TestServer.autodiscoverRequest(
                AutodiscoverRequest.MOBILESYNC_REQUEST, BOB, AutodiscoverRequest.MOBILESYNC_RESPONSE)));
        assertEquals("https://eas.hoster.example/Microsoft-Server-ActiveSync", TestServer.text(d, "Url"));
        assertEquals(BOB, TestServer.text(d, "EMailAddress"));
        d = ok(hoster.get("/autodiscover/autodiscover.xml", "Host", "autodiscover." + NOWHERE));
        assertEquals("%EMAILADDRESS%", TestServer.text(d, "LoginName"));
        HttpResponse<String> r = hoster.get("/autodiscover/autodiscover.json?Email=" + q(BOB) + "&Protocol=AutodiscoverV1");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"https://autodiscover." + NOWHERE
                + "/autodiscover/autodiscover.xml\"}\n", r.body());
        r = hoster.get("/autodiscover/autodiscover.json/v1.0/" + BOB + "?Protocol=ActiveSync");
        assertEquals("{\"Protocol\":\"ActiveSync\",\"Url\":\"https://eas.hoster.example/Microsoft-Server-ActiveSync\"}\n",
                r.body());

        // Apple: the per-user profile and the address-less one.
        HttpResponse<byte[]> p = hoster.getBytes("/mobileconfig?emailaddress=" + q(BOB));
        assertEquals(200, p.statusCode());
        NSDictionary mail = mailPayload(p.body());
        assertEquals(BOB, mail.get("EmailAddress").toJavaObject());
        assertEquals("imap.hoster.example", mail.get("IncomingMailServerHostName").toJavaObject());
        p = hoster.getBytes("/mobileconfig/" + NOWHERE + ".mobileconfig");
        assertEquals(200, p.statusCode());
        assertEquals("application/x-apple-aspen-config", p.headers().firstValue("Content-Type").orElse(""));
        assertNull(mailPayload(p.body()).get("EmailAddress"));
        // Byte for byte what the generator renders statically for a listed domain with the provider's settings.
        Provider provider = hosterModel().defaultProvider().orElseThrow();
        Domain settings = provider.hosting().orElseThrow().settings();
        Domain named = new Domain(NOWHERE, settings.servers(), settings.davServers(), settings.oauth2(),
                settings.activeSyncUrl(), "autodiscover." + NOWHERE, settings.directory());
        assertEquals(new String(MobileconfigRenderer.addressless(provider, named), StandardCharsets.UTF_8),
                new String(p.body(), StandardCharsets.UTF_8));
    }

    static Site hosterModel() throws Exception {
        return dev.autogen.config.YamlSource.load(Path.of("..", "samples", "hoster.yaml"));
    }

    static NSDictionary mailPayload(byte[] profile) throws Exception {
        NSDictionary root = (NSDictionary) PropertyListParser.parse(profile);
        for (var payload : ((com.dd.plist.NSArray) root.get("PayloadContent")).getArray()) {
            NSDictionary p = (NSDictionary) payload;
            if ("com.apple.mail.managed".equals(p.get("PayloadType").toJavaObject())) return p;
        }
        throw new AssertionError("no mail payload");
    }

    @Test
    void paccForADomainNobodyListsIsTheDefaultProvidersOneDocument() throws Exception {
        String path = "/.well-known/user-agent-configuration.json";
        HttpResponse<String> r = hoster.get(path, "Host", "ua-auto-config." + NOWHERE);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        assertEquals("imap.hoster.example", doc.at("/protocols/imap/host").asText(), r.body());
        assertEquals("Example Hosting", doc.at("/info/provider/name").asText(), r.body());
        // Exactly the document private/pacc.tsv lists as '*'; no DNS digest can exist for it unless the customer
        // publishes one (docs/hosters.md).
        Path priv = dir.resolve("hoster/current/private");
        String any = java.nio.file.Files.readAllLines(priv.resolve("pacc.tsv")).stream()
                .filter(l -> l.startsWith("*\t")).findFirst().orElseThrow().substring(2);
        assertEquals(dev.autogen.pack.DocPack.text(priv, any), r.body());
        assertEquals(r.body(), hoster.get(path, "Host", "ua-auto-config.another-customer.example").body());
        // Listed domains get their own document or none, never the default's; served names and IPs are no domains.
        HttpResponse<String> own = hoster.get(path, "Host", "ua-auto-config.own-servers.example");
        assertTrue(own.statusCode() == 404 || own.body().contains("mail.own-servers.example"), own.body());
        assertEquals(404, hoster.get(path, "Host", "ua-auto-config.mail.own-servers.example").statusCode());
        assertEquals(404, hoster.get(path, "Host", "192.0.2.1").statusCode());
        // Without a default provider, a domain nobody lists has none.
        assertEquals(404, mxOnly.get(path, "Host", "ua-auto-config." + NOWHERE).statusCode());
    }

    @Test
    void listedDomainsStillWinOverTheDefault() throws Exception {
        Document d = ok(hoster.get("/mail/config-v1.1.xml?emailaddress=" + q("ann@own-servers.example")));
        assertEquals("mail.own-servers.example", TestServer.text(d, "hostname"));
        // A listed domain's address-less profile is its own (domains.tsv column 10), the static file's bytes.
        assertArrayEquals(java.nio.file.Files.readAllBytes(dir.resolve("hoster/current/public/own-servers.example/own-servers.example.mobileconfig")),
                hoster.getBytes("/mobileconfig/own-servers.example.mobileconfig").body());
        // A listed domain's Autodiscover host is a name this site serves, not a customer domain of the default.
        assertEquals(404, hoster.get("/mail/config-v1.1.xml", "Host", "mail.own-servers.example").statusCode());
        assertEquals(404, hoster.get("/mail/config-v1.1.xml?emailaddress=" + q("a@mail.own-servers.example")).statusCode());
        assertEquals(404, hoster.get("/.well-known/caldav", "Host", "mail.own-servers.example").statusCode());
        // An IP address in the Host header (a client that connects by address) names no domain.
        assertEquals(404, hoster.get("/mail/config-v1.1.xml", "Host", "192.0.2.1").statusCode());
        assertEquals(404, hoster.get("/.well-known/caldav", "Host", "192.0.2.1").statusCode());
        assertEquals(404, hoster.get("/mail/config-v1.1.xml?emailaddress=" + q("a@192.0.2.1")).statusCode());
        // autodiscover.<d> stands for d, as autoconfig.<d> does.
        hosterAutoconfig(hoster.get("/mail/config-v1.1.xml", "Host", "autodiscover." + NOWHERE), NOWHERE, null);
    }

    @Test
    void hostileDomainsAreRefusedNeverReflected() throws Exception {
        for (String bad : HOSTILE) {
            String address = "bob@" + bad;
            List<HttpResponse<String>> answers = new ArrayList<>();
            answers.add(hoster.get("/mail/config-v1.1.xml?emailaddress=" + q(address)));
            answers.add(hoster.get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=" + q(address)));
            answers.add(hoster.get("/autodiscover/autodiscover.xml?emailaddress=" + q(address)));
            answers.add(hoster.get("/autodiscover/autodiscover.json?Email=" + q(address) + "&Protocol=AutodiscoverV1"));
            answers.add(hoster.get("/mobileconfig?emailaddress=" + q(address)));
            answers.add(hoster.get("/mobileconfig/" + q(bad) + ".mobileconfig"));
            answers.add(hoster.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest(
                    bad.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#13;"))));
            for (HttpResponse<String> r : answers) {
                String where = r.request().method() + " " + r.request().uri() + " -> " + r.statusCode() + " " + r.body();
                assertTrue(r.statusCode() == 400 || r.statusCode() == 404
                        || r.statusCode() == 200 && r.body().contains("<ErrorCode>600</ErrorCode>"), where);
                assertFalse(r.body().contains(bad) || r.body().contains("<script>") || r.body().contains("\"uote"), where);
            }
            // In the Host header (what an HTTP client can send at all): no answer, no reflection.
            for (String path : List.of("/mail/config-v1.1.xml", "/.well-known/caldav", "/autodiscover/autodiscover.xml")) {
                String raw = hoster.raw("GET " + path + " HTTP/1.1\r\nHost: autoconfig." + bad
                        + "\r\nConnection: close\r\n\r\n");
                int status = Integer.parseInt(raw.substring(9, 12));
                assertTrue(status == 400 || status == 404 || status == 200 && raw.contains("<ErrorCode>600</ErrorCode>"), raw);
                assertFalse(raw.contains("<script>") || raw.contains("\"uote"), raw);
            }
        }
    }

    @Test
    void wellKnownRedirectsForDomainsWithDav() throws Exception {
        for (String host : List.of("hoster.example", "autoconfig.hoster.example", NOWHERE, "autoconfig." + NOWHERE)) {
            HttpResponse<String> r = hoster.get("/.well-known/caldav", "Host", host);
            assertEquals(301, r.statusCode(), host);
            assertEquals("https://dav.hoster.example/dav/calendars/", r.headers().firstValue("Location").orElse(""), host);
            r = hoster.get("/.well-known/carddav", "Host", host);
            assertEquals(301, r.statusCode(), host);
            assertEquals("https://dav.hoster.example/dav/addressbooks/", r.headers().firstValue("Location").orElse(""));
        }
        // CalDAV clients ask with PROPFIND as well.
        HttpResponse<String> r = hoster.http.send(HttpRequest.newBuilder(hoster.uri("/.well-known/caldav"))
                .header("Host", "hoster.example").method("PROPFIND", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(301, r.statusCode());
        // None for a domain without DAV, nor on a site without any.
        for (String host : List.of("own-servers.example", "autoconfig.own-servers.example")) {
            assertEquals(404, hoster.get("/.well-known/caldav", "Host", host).statusCode(), host);
            assertEquals(404, hoster.get("/.well-known/carddav", "Host", host).statusCode(), host);
        }
        assertEquals(404, mxOnly.get("/.well-known/caldav", "Host", "other.example").statusCode());
        assertEquals(404, mxOnly.get("/.well-known/carddav", "Host", NOWHERE).statusCode());
    }

    @Test
    void mxDomainAnswersForAnyAddress() throws Exception {
        for (String mx : List.of("mx-hoster.example", "mail-cluster.example")) {
            HttpResponse<String> r = mxOnly.get("/mail/config-v1.1.xml?emailaddress=" + q("bob@customer.example"),
                    "Host", "autoconfig." + mx);
            Document d = ok(r);
            assertEquals("mx-hoster.example", ((Element) d.getElementsByTagName("emailProvider").item(0)).getAttribute("id"));
            assertEquals(List.of("customer.example", "mx-hoster.example", "mail-cluster.example"), all(d, "domain"));
            Element mxDomain = (Element) d.getElementsByTagName("domain").item(1);
            assertEquals("mx", mxDomain.getAttribute("purpose"));
            assertEquals("bob@customer.example", TestServer.text(d, "username"));
            assertEquals("imap.mx-hoster.example", TestServer.text(d, "hostname"));
            assertTrue(AutoconfigRules.k9("test", r.body().getBytes(StandardCharsets.UTF_8), "bob@customer.example").ok());
            // Thunderbird for Android sends no address: the placeholder form, for the MX domain itself.
            r = mxOnly.get("/mail/config-v1.1.xml", "Host", "autoconfig." + mx);
            d = ok(r);
            assertEquals(mx, TestServer.text(d, "domain"));
            assertEquals("%EMAILADDRESS%", TestServer.text(d, "username"));
            ClientVerdict k9 = AutoconfigRules.k9("test", r.body().getBytes(StandardCharsets.UTF_8), "bob@customer.example");
            assertTrue(k9.ok(), k9.problems().toString());
        }
        // A listed domain keeps its own configuration at the MX name too.
        Document d = ok(mxOnly.get("/mail/config-v1.1.xml?emailaddress=" + q("a@other.example"), "Host",
                "autoconfig.mx-hoster.example"));
        assertEquals("imap.other.example", TestServer.text(d, "hostname"));
        // The provider's listed domains carry the MX marker as well.
        d = ok(mxOnly.get("/mail/config-v1.1.xml", "Host", "autoconfig.listed-customer.example"));
        assertEquals(List.of("listed-customer.example", "mx-hoster.example", "mail-cluster.example"), all(d, "domain"));
    }

    @Test
    void theStartUpLineSaysWhatTheSiteAnswersBeyondItsDomains() {
        assertEquals(" (a default provider, 1 MX domain)", hoster.responder().site().hosting().summary());
        assertEquals(" (2 MX domains)", mxOnly.responder().site().hosting().summary());
        assertEquals("", Hosting.NONE.summary());
    }

    @Test
    void withoutADefaultProviderUnknownDomainsAreUnknown() throws Exception {
        assertEquals(404, mxOnly.get("/mail/config-v1.1.xml?emailaddress=" + q(BOB)).statusCode());
        assertEquals(404, mxOnly.get("/mail/config-v1.1.xml?emailaddress=" + q(BOB), "Host", "autoconfig.other.example").statusCode());
        assertEquals(404, mxOnly.get("/mail/config-v1.1.xml", "Host", "autoconfig." + NOWHERE).statusCode());
        assertEquals(404, mxOnly.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest(BOB)).statusCode());
        assertEquals(404, mxOnly.get("/autodiscover/autodiscover.json?Email=" + q(BOB) + "&Protocol=AutodiscoverV1").statusCode());
        assertEquals(404, mxOnly.get("/mobileconfig?emailaddress=" + q(BOB)).statusCode());
        assertEquals(404, mxOnly.get("/mobileconfig/" + NOWHERE + ".mobileconfig").statusCode());
        assertEquals(404, mxOnly.get("/autodiscover/autodiscover.xml", "Host", "autodiscover.mx-hoster.example").statusCode(),
                "MX names answer autoconfig only");
    }
}
