package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** Every route and variant over real HTTP, against the hand-built site. */
class ResponderTest {

    @TempDir static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        HandBuiltSite.standard(null, null).publish(dir, "0123456789abcdef");
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertStillServing() throws Exception {
        assertEquals(200, server.get("/health").statusCode());
    }

    // ---- autoconfig

    @Test
    void autoconfigWithAddressFillsTheLoginOnBothPaths() throws Exception {
        for (String path : new String[] {"/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml"}) {
            HttpResponse<String> r = server.get(path + "?emailaddress=" + enc("Alice@Example.COM"));
            assertEquals(200, r.statusCode(), path);
            assertEquals("text/xml; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("private, no-store", r.headers().firstValue("Cache-Control").orElseThrow());
            Document d = TestServer.xml(r.body());
            assertEquals("example.com", TestServer.text(d, "domain"));
            assertEquals("Alice@example.com", d.getElementsByTagName("username").item(0).getTextContent());
            assertEquals("Alice+example.com", d.getElementsByTagName("username").item(1).getTextContent());
        }
    }

    @Test
    void autoconfigWithoutAddressUsesHostAndKeepsPlaceholders() throws Exception {
        HttpResponse<String> r = server.get("/mail/config-v1.1.xml", "Host", "autoconfig.example.net:8080");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Cache-Control").orElseThrow().startsWith("public"));
        Document d = TestServer.xml(r.body());
        assertEquals("example.net", TestServer.text(d, "domain"));
        assertEquals("%EMAILADDRESS%", d.getElementsByTagName("username").item(0).getTextContent());
        assertEquals("%EMAILLOCALPART%+%EMAILDOMAIN%", d.getElementsByTagName("username").item(1).getTextContent());

        HttpResponse<String> wellKnown = server.get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=", "Host", "EXAMPLE.com");
        assertEquals(200, wellKnown.statusCode());
        assertEquals("example.com", TestServer.text(TestServer.xml(wellKnown.body()), "domain"));
    }

    @Test
    void autoconfigUnknownDomainAndMalformedAddress() throws Exception {
        assertEquals(404, server.get("/mail/config-v1.1.xml?emailaddress=a@unknown.example").statusCode());
        assertEquals(404, server.get("/mail/config-v1.1.xml", "Host", "autoconfig.unknown.example").statusCode());
        for (String bad : new String[] {"no-at-sign", "a@b@example.com", "@example.com", "a@", "a b@example.com",
                "a@exa mple.com", "a@-bad-.com", "a@" + "x".repeat(300) + ".com", "a\u0000@example.com"}) {
            HttpResponse<String> r = server.get("/mail/config-v1.1.xml?emailaddress=" + enc(bad));
            assertEquals(400, r.statusCode(), bad);
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        }
        assertStillServing();
    }

    @Test
    void headAnswersHeadersWithoutBody() throws Exception {
        HttpResponse<String> get = server.get("/mail/config-v1.1.xml?emailaddress=a@example.com");
        HttpResponse<String> head = server.http.send(HttpRequest.newBuilder(server.uri("/mail/config-v1.1.xml?emailaddress=a@example.com"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length), head.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void wrongMethodIs405() throws Exception {
        HttpResponse<String> r = server.post("/mail/config-v1.1.xml", "text/xml", "x");
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
    }

    // ---- Autodiscover POX

    @Test
    void autodiscoverOutlookInAnyPathCase() throws Exception {
        for (String path : new String[] {"/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml", "/AutoDiscover/AutoDiscover.xml", "/AUTODISCOVER/AUTODISCOVER.XML"}) {
            HttpResponse<String> r = server.post(path, "text/xml; charset=utf-8", TestServer.outlookRequest("bob@example.com"));
            assertEquals(200, r.statusCode(), path);
            assertEquals("private, no-store", r.headers().firstValue("Cache-Control").orElseThrow());
            Document d = TestServer.xml(r.body());
            assertEquals(AutodiscoverRequest.OUTLOOK_RESPONSE, d.getElementsByTagNameNS("*", "Response").item(0).getNamespaceURI());
            assertEquals("bob@example.com", TestServer.text(d, "LoginName"));
            assertEquals("bob@example.com", TestServer.text(d, "DisplayName"));
        }
        assertEquals(200, server.post("/autodiscover/autodiscover.xml", "application/xml", TestServer.outlookRequest("bob@example.com")).statusCode());
        assertEquals(200, server.post("/autodiscover/autodiscover.xml", null, TestServer.outlookRequest("bob@example.com")).statusCode());
        assertEquals(415, server.post("/autodiscover/autodiscover.xml", "application/json", TestServer.outlookRequest("bob@example.com")).statusCode());
    }

    @Test
    void autodiscoverMobileSync() throws Exception {
        String body = TestServer.autodiscoverRequest(AutodiscoverRequest.MOBILESYNC_REQUEST, "carol@example.com", AutodiscoverRequest.MOBILESYNC_RESPONSE);
        Document d = TestServer.xml(server.post("/autodiscover/autodiscover.xml", "text/xml", body).body());
        assertEquals("carol@example.com", TestServer.text(d, "EMailAddress"));
        assertEquals("MobileSync", TestServer.text(d, "Type"));
        // Without AcceptableResponseSchema the request schema decides.
        d = TestServer.xml(server.post("/autodiscover/autodiscover.xml", "text/xml",
                TestServer.autodiscoverRequest(AutodiscoverRequest.MOBILESYNC_REQUEST, "carol@example.com", null)).body());
        assertEquals("MobileSync", TestServer.text(d, "Type"));
        // example.net has no ActiveSync URL: 601.
        HttpResponse<String> r = server.post("/autodiscover/autodiscover.xml", "text/xml",
                TestServer.autodiscoverRequest(AutodiscoverRequest.MOBILESYNC_REQUEST, "carol@example.net", AutodiscoverRequest.MOBILESYNC_RESPONSE));
        assertEquals(200, r.statusCode());
        assertEquals("601", TestServer.text(TestServer.xml(r.body()), "ErrorCode"));
    }

    @Test
    void autodiscoverErrors() throws Exception {
        HttpResponse<String> r = server.post("/autodiscover/autodiscover.xml", "text/xml",
                TestServer.autodiscoverRequest(AutodiscoverRequest.OUTLOOK_REQUEST, "bob@example.com", "http://example.org/unsupported"));
        assertEquals(200, r.statusCode());
        Document d = TestServer.xml(r.body());
        assertEquals("601", TestServer.text(d, "ErrorCode"));
        String time = d.getElementsByTagNameNS("*", "Error").item(0).getAttributes().getNamedItem("Time").getNodeValue();
        assertTrue(time.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"), time);
        assertTrue(d.getElementsByTagNameNS("*", "Error").item(0).getAttributes().getNamedItem("Id").getNodeValue().matches("[0-9a-f]+"));

        for (String bad : new String[] {"", "not xml", "<Autodiscover/>", "<a><b></a>", TestServer.outlookRequest("not-an-address"),
                TestServer.outlookRequest(""), "<Autodiscover xmlns=\"" + AutodiscoverRequest.OUTLOOK_REQUEST + "\"><Request/></Autodiscover>"}) {
            r = server.post("/autodiscover/autodiscover.xml", "text/xml", bad);
            assertEquals(200, r.statusCode(), bad);
            assertEquals("600", TestServer.text(TestServer.xml(r.body()), "ErrorCode"), bad);
        }
        assertEquals(404, server.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest("x@unknown.example")).statusCode());
        assertStillServing();
    }

    @Test
    void autodiscoverBodylessGetAnswersForTheHost() throws Exception {
        HttpResponse<String> r = server.get("/autodiscover/autodiscover.xml", "Host", "autodiscover.example.com");
        assertEquals(200, r.statusCode());
        assertEquals("%EMAILADDRESS%", TestServer.text(TestServer.xml(r.body()), "LoginName"));
        r = server.get("/autodiscover/autodiscover.xml?emailaddress=dan@example.com");
        assertEquals("dan@example.com", TestServer.text(TestServer.xml(r.body()), "LoginName"));
    }

    @Test
    void xxeAndEntityExpansionAreRefused() throws Exception {
        Path secret = dir.resolve("secret.txt");
        java.nio.file.Files.writeString(secret, "TOPSECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<Autodiscover xmlns=\"" + AutodiscoverRequest.OUTLOOK_REQUEST + "\"><Request><EMailAddress>&x;@example.com</EMailAddress>"
                + "<AcceptableResponseSchema>" + AutodiscoverRequest.OUTLOOK_RESPONSE + "</AcceptableResponseSchema></Request></Autodiscover>";
        HttpResponse<String> r = server.post("/autodiscover/autodiscover.xml", "text/xml", xxe);
        assertEquals(200, r.statusCode());
        assertEquals("600", TestServer.text(TestServer.xml(r.body()), "ErrorCode"));
        assertFalse(r.body().contains("TOPSECRET"));

        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                + "<Autodiscover xmlns=\"" + AutodiscoverRequest.OUTLOOK_REQUEST + "\"><Request><EMailAddress>&d;@example.com</EMailAddress></Request></Autodiscover>";
        r = server.post("/autodiscover/autodiscover.xml", "text/xml", laughs);
        assertEquals("600", TestServer.text(TestServer.xml(r.body()), "ErrorCode"));
        assertStillServing();
    }

    @Test
    void bodiesOverTheLimitAre413EvenChunked() throws Exception {
        String big = TestServer.outlookRequest("bob@example.com") + "<!--" + "x".repeat(Responder.MAX_BODY) + "-->";
        assertEquals(413, server.post("/autodiscover/autodiscover.xml", "text/xml", big).statusCode());
        // Chunked: no Content-Length, so the limit must hold while reading.
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(server.uri("/autodiscover/autodiscover.xml"))
                .header("Content-Type", "text/xml").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertStillServing();
    }

    // ---- Autodiscover v2 JSON

    @Test
    void autodiscoverJsonBothForms() throws Exception {
        String expected = "{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"https://autodiscover.example.com/autodiscover/autodiscover.xml\"}\n";
        for (String q : new String[] {"/autodiscover/autodiscover.json?Email=a@example.com&Protocol=AutodiscoverV1",
                "/autodiscover/autodiscover.json?Email=a@example.com&Protocol=Autodiscoverv1",
                "/Autodiscover/Autodiscover.json/v1.0/a@example.com?Protocol=autodiscoverv1",
                "/autodiscover/autodiscover.json/v1.0/a%40example.com?Protocol=AutodiscoverV1"}) {
            HttpResponse<String> r = server.get(q);
            assertEquals(200, r.statusCode(), q);
            assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(expected, r.body(), q);
        }
        assertEquals("{\"Protocol\":\"ActiveSync\",\"Url\":\"https://eas.example.com/Microsoft-Server-ActiveSync\"}\n",
                server.get("/autodiscover/autodiscover.json?Email=a@example.com&Protocol=activesync").body());
        HttpResponse<String> noEas = server.get("/autodiscover/autodiscover.json?Email=a@example.net&Protocol=ActiveSync");
        assertEquals(400, noEas.statusCode());
        assertTrue(noEas.body().contains("\"InvalidProtocol\""));
        assertEquals(404, server.get("/autodiscover/autodiscover.json?Email=a@unknown.example&Protocol=AutodiscoverV1").statusCode());
        assertEquals(400, server.get("/autodiscover/autodiscover.json?Email=broken&Protocol=AutodiscoverV1").statusCode());
    }

    @Test
    void invalidProtocolValueIsJsonEscaped() throws Exception {
        HttpResponse<String> r = server.get("/autodiscover/autodiscover.json?Email=a@example.com&Protocol=" + enc("x\"}<&\\\n"));
        assertEquals(400, r.statusCode());
        assertEquals("{\"ErrorCode\":\"InvalidProtocol\",\"ErrorMessage\":\"The given protocol value 'x\\\"}\\u003c\\u0026\\\\\\n' is invalid."
                + " Supported values are 'AutodiscoverV1'\"}\n", r.body());
    }

    // ---- mobileconfig

    @Test
    void mobileconfigIsAProfileWithStableUuids() throws Exception {
        for (String path : new String[] {"/mobileconfig", "/mobileconfig/"}) {
            HttpResponse<byte[]> r = server.getBytes(path + "?emailaddress=eve@example.com&name=" + enc("Eve Example"));
            assertEquals(200, r.statusCode());
            assertEquals("application/x-apple-aspen-config", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("attachment; filename=\"example.com.mobileconfig\"", r.headers().firstValue("Content-Disposition").orElseThrow());
            assertEquals("private, no-store", r.headers().firstValue("Cache-Control").orElseThrow());
            NSDictionary p = (NSDictionary) PropertyListParser.parse(r.body());
            NSDictionary mail = (NSDictionary) ((NSArray) p.get("PayloadContent")).objectAtIndex(0);
            assertEquals("Eve Example", mail.get("EmailAccountName").toJavaObject());
            assertEquals("eve@example.com", mail.get("EmailAddress").toJavaObject());
            assertEquals("eve@example.com", mail.get("IncomingMailServerUsername").toJavaObject());
            assertEquals(Template.uuid("profile", "example.com", "eve@example.com"), p.get("PayloadUUID").toJavaObject());
            assertNotEquals(p.get("PayloadUUID").toJavaObject(), mail.get("PayloadUUID").toJavaObject());
        }
        NSDictionary other = (NSDictionary) PropertyListParser.parse(server.getBytes("/mobileconfig/?emailaddress=frank@example.com").body());
        assertNotEquals(Template.uuid("profile", "example.com", "eve@example.com"), other.get("PayloadUUID").toJavaObject());
        NSDictionary mail = (NSDictionary) ((NSArray) other.get("PayloadContent")).objectAtIndex(0);
        assertEquals("frank@example.com", mail.get("EmailAccountName").toJavaObject()); // no name: the address
    }

    @Test
    void mobileconfigRejectsMissingAddressAndBadNames() throws Exception {
        assertEquals(400, server.get("/mobileconfig/").statusCode());
        assertEquals(400, server.get("/mobileconfig/?emailaddress=").statusCode());
        assertEquals(400, server.get("/mobileconfig/?emailaddress=x").statusCode());
        assertEquals(404, server.get("/mobileconfig/?emailaddress=x@unknown.example").statusCode());
        HttpResponse<String> crlf = server.get("/mobileconfig/?emailaddress=a@example.com&name=" + enc("x\r\nSet-Cookie: evil=1"));
        assertEquals(400, crlf.statusCode());
        assertTrue(crlf.headers().firstValue("Set-Cookie").isEmpty());
        assertEquals(400, server.get("/mobileconfig/?emailaddress=a@example.com&name=" + "n".repeat(Responder.MAX_NAME + 1)).statusCode());
        assertStillServing();
    }

    // ---- escaping

    @Test
    void valuesAreEscapedInXmlPlistAndJson() throws Exception {
        String address = "a&b<c\"d'e>@example.com";
        HttpResponse<String> ac = server.get("/mail/config-v1.1.xml?emailaddress=" + enc(address));
        assertEquals(200, ac.statusCode());
        assertEquals(address, TestServer.xml(ac.body()).getElementsByTagName("username").item(0).getTextContent());
        assertTrue(ac.body().contains("a&amp;b&lt;c&quot;d&apos;e&gt;@example.com"));

        HttpResponse<String> ad = server.post("/autodiscover/autodiscover.xml", "text/xml",
                TestServer.outlookRequest("a&amp;b&lt;c\"d'e&gt;@example.com"));
        assertEquals(address, TestServer.text(TestServer.xml(ad.body()), "LoginName"));

        String name = "Tom & \"Jerry\" <tj>";
        HttpResponse<byte[]> mc = server.getBytes("/mobileconfig?emailaddress=" + enc(address) + "&name=" + enc(name));
        NSDictionary mail = (NSDictionary) ((NSArray) ((NSDictionary) PropertyListParser.parse(mc.body())).get("PayloadContent")).objectAtIndex(0);
        assertEquals(name, mail.get("EmailAccountName").toJavaObject());
        assertEquals(address, mail.get("EmailAddress").toJavaObject());

        HttpResponse<String> js = server.get("/autodiscover/autodiscover.json?Email=" + enc(address) + "&Protocol=" + enc("<\"&>"));
        assertTrue(js.body().contains("'\\u003c\\\"\\u0026\\u003e'"), js.body());
    }

    // ---- hostile input, health, metrics

    @Test
    void hostileRequestsGetClearStatusesAndTheServerKeepsAnswering() throws Exception {
        assertEquals(404, server.get("/mail/config-v1.1.xml", "Host", "autoconfig.example.com.evil").statusCode());
        // Host header and path never reach the file system.
        assertTrue(server.raw("GET /mail/config-v1.1.xml HTTP/1.1\r\nHost: ../../../../etc\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 4"));
        assertTrue(server.raw("GET /../../etc/passwd HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 4"));
        assertTrue(server.raw("GET /public/example.com/mail/config-v1.1.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 404"));
        assertTrue(server.raw("GET /mail/config-v1.1.xml?emailaddress=%ZZ HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 400"));
        assertTrue(server.raw("GET /mail/config-v1.1.xml HTTP/1.1\r\nHost: example.com\r\nX-Big: " + "x".repeat(20_000) + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 431"));
        // CR/LF percent-encoded in a parameter never reaches a header.
        String crlf = server.raw("GET /mobileconfig?emailaddress=a%0d%0aX-Injected:%201@example.com HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
        assertTrue(crlf.startsWith("HTTP/1.1 400"), crlf);
        assertFalse(crlf.contains("X-Injected"));
        assertStillServing();
    }

    @Test
    void slowClientIsCutOffAndOthersAreServed() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port)) {
            s.getOutputStream().write("POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: example.com\r\nContent-Length: 500\r\n\r\n<Auto".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertStillServing(); // while that one stalls
            s.setSoTimeout(30_000);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            // Jetty gives up on the stalled body (idle timeout): an error status or a closed connection, never a hang.
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 4") || answer.startsWith("HTTP/1.1 5"), answer);
            assertFalse(answer.startsWith("HTTP/1.1 200"));
        }
        assertStillServing();
    }

    @Test
    void healthAndMetrics() throws Exception {
        HttpResponse<String> h = server.get("/health");
        assertEquals("{\"status\":\"ok\",\"version\":\"0123456789abcdef\",\"current\":\"0123456789abcdef\",\"domains\":3}\n", h.body());
        server.get("/mail/config-v1.1.xml?emailaddress=secret-user@example.com");
        HttpResponse<String> m = server.get("/metrics");
        assertTrue(m.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        assertTrue(m.body().contains("autogen_requests_total{route=\"autoconfig\",status=\"200\"}"), m.body());
        assertTrue(m.body().contains("autogen_site_info{version=\"0123456789abcdef\"} 1"));
        assertTrue(m.body().contains("autogen_ldap_lookup_seconds_bucket{le=\"+Inf\"}"));
        assertFalse(m.body().contains("secret-user"));
        assertFalse(m.body().contains("@"));
    }
}
