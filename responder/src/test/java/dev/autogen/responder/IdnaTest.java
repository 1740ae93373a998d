package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IDNA2008 end to end: the real generator renders straße.example and βόλος.example from YAML, the responder finds
 * them whether a client sends the Unicode or the A-label form, never under the IDNA2003 names, and answers
 * addresses whose domain IDNA2008 rejects as malformed (400, Autodiscover error 600).
 */
class IdnaTest {

    @TempDir static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path yaml = Files.writeString(dir.resolve("idna.yaml"), """
                providers:
                  - name: Straße Mail
                    domains: [straße.example, βόλος.example]
                    servers:
                      - {type: imap, hostname: imap.straße.example}
                      - {type: smtp, hostname: smtp.straße.example}
                """);
        Path out = dir.resolve("site");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.autogen.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true),
                "render", yaml.toString(), "--out", out.toString());
        assertEquals(0, code, err.toString());
        server = new TestServer(out);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    static HttpResponse<String> autoconfig(String address) throws Exception {
        return server.get("/mail/config-v1.1.xml?emailaddress=" + URLEncoder.encode(address, StandardCharsets.UTF_8));
    }

    @Test
    void unicodeAndALabelFormsFindTheSameEntry() throws Exception {
        HttpResponse<String> unicode = autoconfig("jörg@Straße.example");
        HttpResponse<String> alabel = autoconfig("jörg@xn--strae-oqa.example");
        assertEquals(200, unicode.statusCode(), unicode.body());
        assertEquals(unicode.body(), alabel.body());
        assertEquals(unicode.body(), autoconfig("jörg@XN--STRAE-OQA.EXAMPLE.").body());
        var d = TestServer.xml(unicode.body());
        assertEquals("jörg@xn--strae-oqa.example", TestServer.text(d, "username")); // RFC 6531 local part kept
        assertEquals("imap.xn--strae-oqa.example", TestServer.text(d, "hostname"));
        assertEquals(200, autoconfig("a@βόλος.example").statusCode());
        assertEquals(200, autoconfig("a@xn--nxasmm1c.example").statusCode());
        // The IDNA2003 names are other domains: not ours.
        assertEquals(404, autoconfig("a@strasse.example").statusCode());
        assertEquals(404, autoconfig("a@xn--nxasmq6b.example").statusCode());

        for (String host : new String[] {"autoconfig.xn--strae-oqa.example", "AUTOCONFIG.XN--STRAE-OQA.EXAMPLE"}) {
            HttpResponse<String> r = server.get("/mail/config-v1.1.xml", "Host", host);
            assertEquals(200, r.statusCode(), host);
            assertEquals("xn--strae-oqa.example", TestServer.text(TestServer.xml(r.body()), "domain"));
        }
        assertEquals(404, server.get("/mail/config-v1.1.xml", "Host", "autoconfig.strasse.example").statusCode());

        HttpResponse<String> ad = server.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest("a@straße.example"));
        assertEquals("a@xn--strae-oqa.example", TestServer.text(TestServer.xml(ad.body()), "LoginName"));
        HttpResponse<byte[]> p = server.getBytes("/mobileconfig?emailaddress=" + URLEncoder.encode("a@straße.example", StandardCharsets.UTF_8));
        assertEquals(200, p.statusCode());
        NSDictionary mail = (NSDictionary) ((NSArray) ((NSDictionary) PropertyListParser.parse(p.body())).get("PayloadContent")).objectAtIndex(0);
        assertEquals("a@xn--strae-oqa.example", mail.get("EmailAddress").toJavaObject());
        assertArrayEquals(p.body(), server.getBytes("/mobileconfig?emailaddress=a@xn--strae-oqa.example").body());
    }

    @Test
    void domainsIdna2008RejectsAreMalformedAddresses() throws Exception {
        String[] invalid = {
            "a@\u2665mail.example",                 // a symbol: valid under IDNA2003, not IDNA2008
            "a@a\u200Db.example",                   // ZWJ outside the context RFC 5892 allows
            "a@\u05E9\u05DC\u05D5\u05DDabc.example", // right-to-left and left-to-right in one label (RFC 5893)
            "a@xn--a.example",                      // not Punycode
            "a@ab--c.example",                      // reserved hyphens
        };
        for (String address : invalid) {
            assertEquals(400, autoconfig(address).statusCode(), address);
            String q = URLEncoder.encode(address, StandardCharsets.UTF_8);
            assertEquals(400, server.get("/mobileconfig?emailaddress=" + q).statusCode(), address);
            assertEquals(400, server.get("/autodiscover/autodiscover.json/v1.0/" + q + "?Protocol=AutodiscoverV1").statusCode(), address);
            HttpResponse<String> post = server.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest(address));
            assertEquals(200, post.statusCode());
            assertEquals("600", TestServer.text(TestServer.xml(post.body()), "ErrorCode"), address);
            assertEquals("600", TestServer.text(TestServer.xml(
                    server.get("/autodiscover/autodiscover.xml?emailaddress=" + q).body()), "ErrorCode"), address);
        }
        // Host headers: a name IDNA2008 rejects is malformed too; an IP literal is just no domain of ours.
        assertEquals(400, server.get("/mail/config-v1.1.xml", "Host", "autoconfig.xn--a.example").statusCode());
        assertEquals(400, server.get("/mail/config-v1.1.xml", "Host", "autoconfig.ab--c.example").statusCode());
        assertEquals("600", TestServer.text(TestServer.xml(server.get("/autodiscover/autodiscover.xml", "Host",
                "autodiscover.xn--a.example").body()), "ErrorCode"));
        assertEquals(404, server.get("/mail/config-v1.1.xml", "Host", "[::1]").statusCode());
    }
}
