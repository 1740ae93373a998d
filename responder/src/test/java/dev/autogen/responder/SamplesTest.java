package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** End to end: the real generator renders samples/*.yaml, the responder answers from the result. */
class SamplesTest {

    @TempDir static Path dir;
    static TestServer example, minimal;

    static Path render(String sample) {
        Path out = dir.resolve(sample);
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.autogen.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true),
                "render", Path.of("..", "samples", sample).toString(), "--out", out.toString());
        // Until every renderer branch is merged the generator says so; skip visibly instead of failing.
        org.junit.jupiter.api.Assumptions.assumeFalse(code != 0 && err.toString().contains("waiting for branch"),
                "generator not complete yet: " + err);
        assertEquals(0, code, "autogen render " + sample + ": " + err);
        return out;
    }

    @BeforeAll
    static void start() throws Exception {
        example = new TestServer(render("example.yaml"));
        minimal = new TestServer(render("minimal.yaml"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (example != null) example.close();
        if (minimal != null) minimal.close();
    }

    static Document ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.xml(r.body());
    }

    @Test
    void autoconfigFillsLoginsPerDomain() throws Exception {
        Document d = ok(example.get("/mail/config-v1.1.xml?emailaddress=jane.doe@example.com"));
        assertEquals("example.com", d.getElementsByTagName("emailProvider").item(0).getAttributes().getNamedItem("id").getNodeValue());
        assertEquals("jane.doe@example.com", TestServer.text(d, "username"));
        assertEquals("jane.doe", TestServer.text(ok(example.get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=jane.doe@example.org")), "username"));
        assertEquals("kim", TestServer.text(ok(example.get("/mail/config-v1.1.xml?emailaddress=kim@students.example")), "username"));
        assertEquals("a@xn--bcher-kva.example", TestServer.text(ok(example.get("/mail/config-v1.1.xml?emailaddress=a@b%C3%BCcher.example")), "username"));
        assertEquals("x@example.com", TestServer.text(ok(minimal.get("/mail/config-v1.1.xml?emailaddress=x@example.com")), "username"));
    }

    @Test
    void addresslessAnswerIsThePublicFileByteForByte() throws Exception {
        for (String domain : new String[] {"example.com", "example.org", "ham-n-eggs.example", "students.example"}) {
            HttpResponse<byte[]> r = example.http.send(java.net.http.HttpRequest.newBuilder(example.uri("/mail/config-v1.1.xml"))
                    .header("Host", "autoconfig." + domain).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            byte[] file = Files.readAllBytes(dir.resolve("example.yaml/current/public/" + domain + "/mail/config-v1.1.xml"));
            assertEquals(new String(file, StandardCharsets.UTF_8), new String(r.body(), StandardCharsets.UTF_8), domain);
        }
    }

    /** PACC: the responder answers with the public file's exact bytes, so the zone's TXT digest matches it too. */
    @Test
    void paccDocumentIsThePublicFileByteForByteWithItsDigestInTheZone() throws Exception {
        for (String domain : new String[] {"example.com", "ham-n-eggs.example"}) {
            HttpResponse<byte[]> r = example.http.send(java.net.http.HttpRequest.newBuilder(
                    example.uri("/.well-known/user-agent-configuration.json")).header("Host", "ua-auto-config." + domain)
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), domain);
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            Path site = dir.resolve("example.yaml/current");
            byte[] file = Files.readAllBytes(site.resolve("public/" + domain + "/.well-known/user-agent-configuration.json"));
            org.junit.jupiter.api.Assertions.assertArrayEquals(file, r.body(), domain);
            String digest = java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(r.body()));
            String zone = Files.readString(site.resolve("conf/dns/" + domain + ".zone"));
            assertTrue(zone.contains("\"v=UAAC1; a=sha256; d=" + digest + "\""), zone);
        }
        // No document (STARTTLS only), an unknown domain, another host name: 404.
        for (String host : new String[] {"ua-auto-config.example.org", "ua-auto-config.unknown.example", "autoconfig.example.com"}) {
            HttpResponse<byte[]> r = example.http.send(java.net.http.HttpRequest.newBuilder(
                    example.uri("/.well-known/user-agent-configuration.json")).header("Host", host).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(404, r.statusCode(), host);
        }
    }

    @Test
    void autodiscoverOutlookMobileSyncAndJson() throws Exception {
        Document d = ok(example.post("/Autodiscover/Autodiscover.xml", "text/xml; charset=utf-8", TestServer.outlookRequest("jane@example.com")));
        assertEquals("jane@example.com", TestServer.text(d, "LoginName"));
        assertEquals(AutodiscoverRequest.OUTLOOK_RESPONSE, d.getElementsByTagNameNS("*", "Response").item(0).getNamespaceURI());
        d = ok(example.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.autodiscoverRequest(
                AutodiscoverRequest.MOBILESYNC_REQUEST, "jane@example.com", AutodiscoverRequest.MOBILESYNC_RESPONSE)));
        assertEquals("https://eas.example.com/Microsoft-Server-ActiveSync", TestServer.text(d, "Url"));
        d = ok(example.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.autodiscoverRequest(
                AutodiscoverRequest.MOBILESYNC_REQUEST, "kim@students.example", AutodiscoverRequest.MOBILESYNC_RESPONSE)));
        assertEquals("601", TestServer.text(d, "ErrorCode"));
        d = ok(example.post("/autodiscover/autodiscover.xml", "text/xml", "garbage"));
        assertEquals("600", TestServer.text(d, "ErrorCode"));

        HttpResponse<String> j = example.get("/autodiscover/autodiscover.json/v1.0/jane@example.org?Protocol=AutodiscoverV1");
        assertEquals(200, j.statusCode());
        assertTrue(j.body().startsWith("{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"https://autodiscover.example.com/"), j.body());
        assertEquals(200, example.get("/autodiscover/autodiscover.json?Email=jane@example.com&Protocol=ActiveSync").statusCode());
        assertEquals(400, example.get("/autodiscover/autodiscover.json?Email=kim@students.example&Protocol=ActiveSync").statusCode());
    }

    @Test
    void mobileconfigParsesAsAProfile() throws Exception {
        HttpResponse<byte[]> r = example.getBytes("/mobileconfig/?emailaddress=jane@example.com&name=Jane%20%26%20%3CDoe%3E");
        assertEquals(200, r.statusCode());
        NSDictionary p = (NSDictionary) PropertyListParser.parse(r.body());
        assertEquals("Configuration", p.get("PayloadType").toJavaObject());
        boolean sawMail = false;
        for (var o : ((NSArray) p.get("PayloadContent")).getArray()) {
            NSDictionary payload = (NSDictionary) o;
            if (payload.get("PayloadType").toJavaObject().equals("com.apple.mail.managed")) {
                sawMail = true;
                assertEquals("jane@example.com", payload.get("EmailAddress").toJavaObject());
                assertEquals("Jane & <Doe>", payload.get("EmailAccountName").toJavaObject());
            }
        }
        assertTrue(sawMail);
        NSDictionary again = (NSDictionary) PropertyListParser.parse(example.getBytes("/mobileconfig/?emailaddress=jane@example.com").body());
        assertEquals(p.get("PayloadUUID").toJavaObject(), again.get("PayloadUUID").toJavaObject());
    }

    @Test
    void ldapDomainAnswersWithinTheTimeoutWhenTheDirectoryIsUnreachable() throws Exception {
        // samples/example.yaml points example.net at ldaps://ldap.example.com:636, which does not answer here.
        assertEquals("jane@example.net", TestServer.text(ok(example.get("/mail/config-v1.1.xml?emailaddress=jane@example.net")), "username"));
        assertEquals(200, example.get("/health").statusCode());
    }
}
