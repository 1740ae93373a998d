package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup page ({@code GET /}) and the address-less profile ({@code /mobileconfig/<domain>.mobileconfig}) the
 * responder fills from domains.tsv columns 11 and 10 are, byte for byte, the files the real generator writes in the
 * tree layout: for a plain, an internationalised (xn--) and a 242-character domain.
 */
class SetupPageTest {

    @TempDir static Path dir;
    static Path site;
    static TestServer server;

    static final String LABEL = "a".repeat(62);
    /** As long as the tree layout can write: {@code <domain>.mobileconfig} is a file name of at most 255 bytes. */
    static final String LONG = LABEL + "1." + LABEL + "2." + LABEL + "3." + "x".repeat(42) + ".example";
    static final List<String> DOMAINS = List.of("plain.example", "xn--bcher-kva.example", "xn--mnchen-3ya.xn--bcher-kva.example", LONG);

    @BeforeAll
    static void start() throws Exception {
        assertEquals(242, LONG.length());
        Path yaml = Files.writeString(dir.resolve("site.yaml"), """
                providers:
                  - id: idn.example
                    name: IDN & Co <Mail>
                    servers:
                      - type: imap
                        hostname: imap.idn.example
                      - type: smtp
                        hostname: smtp.idn.example
                    domains: [%s]
                """.formatted(String.join(", ", DOMAINS)));
        site = dir.resolve("site");
        StringWriter err = new StringWriter();
        assertEquals(0, dev.autogen.cli.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "render", yaml.toString(), "--out", site.toString(), "--layout", "tree"), err.toString());
        server = new TestServer(site);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    static HttpResponse<byte[]> get(String method, String path, String host) throws Exception {
        return server.http.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Host", host).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static Path published(String file) {
        return site.resolve("current/public").resolve(file);
    }

    @Test
    void thePageIsTheTreeLayoutsIndexHtml() throws Exception {
        String csp = Files.readString(site.resolve("current/private/setup-page.csp")).strip();
        for (String d : DOMAINS) {
            byte[] expected = Files.readAllBytes(published(d + "/index.html"));
            for (String host : List.of("autoconfig." + d, "autodiscover." + d)) {
                if (host.length() > 253) continue; // autodiscover.<the long domain> is no host name
                HttpResponse<byte[]> r = get("GET", "/", host);
                assertEquals(200, r.statusCode(), host);
                assertArrayEquals(expected, r.body(), host);
                assertEquals("text/html; charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
                assertEquals(csp, r.headers().firstValue("content-security-policy").orElseThrow());
                assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElseThrow());
                assertEquals("no-referrer", r.headers().firstValue("referrer-policy").orElseThrow());
                assertEquals("public, max-age=3600", r.headers().firstValue("cache-control").orElseThrow());
            }
            HttpResponse<byte[]> head = get("HEAD", "/", "autoconfig." + d);
            assertEquals(200, head.statusCode());
            assertEquals(String.valueOf(expected.length), head.headers().firstValue("content-length").orElseThrow());
        }
        assertTrue(new String(Files.readAllBytes(published("xn--bcher-kva.example/index.html")), "UTF-8").contains("bücher.example"));
        assertEquals(404, get("GET", "/", "autoconfig.unknown.example").statusCode());
        assertEquals(404, get("GET", "/", "plain.example").statusCode());
        assertEquals(405, get("POST", "/", "autoconfig.plain.example").statusCode());
    }

    @Test
    void theAddresslessProfileIsTheTreeLayoutsFile() throws Exception {
        for (String d : DOMAINS) {
            HttpResponse<byte[]> r = get("GET", "/mobileconfig/" + d + ".mobileconfig", "autoconfig." + d);
            assertEquals(200, r.statusCode(), d);
            assertArrayEquals(Files.readAllBytes(published(d + "/" + d + ".mobileconfig")), r.body(), d);
            assertEquals("application/x-apple-aspen-config", r.headers().firstValue("content-type").orElseThrow());
        }
        assertEquals(404, get("GET", "/mobileconfig/unknown.example.mobileconfig", "autoconfig.plain.example").statusCode());
    }
}
