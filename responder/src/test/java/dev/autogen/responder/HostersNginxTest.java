package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autogen.probe.AutoconfigRules;
import dev.autogen.probe.ClientVerdict;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Hosters through a real NGINX with the rendered configuration in front of the real responder: samples/hoster.yaml
 * (a default provider with DAV and an MX domain, and a listed customer without DAV). Skips visibly without nginx.
 */
class HostersNginxTest {

    static final String NOWHERE = HostersTest.NOWHERE, BOB = HostersTest.BOB;

    @Test
    void defaultProviderMxAndWellKnownThroughNginx(@TempDir Path dir) throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(nginx)) System.err.println("SKIPPED: nginx not installed; `apt-get install -y nginx`");
        assumeTrue(Files.isExecutable(nginx), "nginx not installed");
        int responderPort = freePort(), nginxPort = freePort();
        Path site = dir.resolve("site");
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(0, dev.autogen.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true),
                "render", Path.of("..", "samples", "hoster.yaml").toString(), "--out", site.toString(),
                "--responder-url", "http://127.0.0.1:" + responderPort), err.toString());
        Path wrapper = wrap(dir, Files.readString(site.resolve("current/conf/nginx/autogen.conf")), nginxPort);
        Process server = null;
        try (TestServer responder = new TestServer(new Main.Settings(site, "127.0.0.1", responderPort, 0, false, false), null)) {
            server = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", wrapper.toString(), "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", nginxPort)))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            waitUntilListening(client, server, dir);

            // A domain that appears nowhere: the default provider's configuration, on every route.
            for (String url : List.of("http://autoconfig." + NOWHERE + "/mail/config-v1.1.xml",
                    "http://autoconfig." + NOWHERE + "/mail/config-v1.1.xml?emailaddress=" + HostersTest.q(BOB),
                    "http://autoconfig." + NOWHERE + "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=" + HostersTest.q(BOB))) {
                HttpResponse<String> r = get(client, url);
                HostersTest.hosterAutoconfig(r, NOWHERE, url.contains("emailaddress") ? BOB : null);
                assertEquals("text/xml; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
            }
            Document d = TestServer.xml(client.send(HttpRequest.newBuilder(URI.create("http://autodiscover." + NOWHERE
                    + "/Autodiscover/Autodiscover.xml")).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(TestServer.outlookRequest(BOB))).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("imap.hoster.example", TestServer.text(d, "Server"));
            d = TestServer.xml(client.send(HttpRequest.newBuilder(URI.create("http://autodiscover." + NOWHERE
                    + "/autodiscover/autodiscover.xml")).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(TestServer.autodiscoverRequest(AutodiscoverRequest.MOBILESYNC_REQUEST,
                            BOB, AutodiscoverRequest.MOBILESYNC_RESPONSE))).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("https://eas.hoster.example/Microsoft-Server-ActiveSync", TestServer.text(d, "Url"));
            HttpResponse<String> r = get(client, "http://autodiscover." + NOWHERE + "/autodiscover/autodiscover.json/v1.0/" + BOB
                    + "?Protocol=AutodiscoverV1");
            assertTrue(r.body().contains("https://autodiscover." + NOWHERE + "/autodiscover/autodiscover.xml"), r.body());
            r = get(client, "http://autoconfig." + NOWHERE + "/mobileconfig?emailaddress=" + HostersTest.q(BOB));
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("<string>" + BOB + "</string>"), r.body());
            HttpResponse<byte[]> p = client.send(HttpRequest.newBuilder(URI.create("http://autoconfig." + NOWHERE + "/mobileconfig/"
                    + NOWHERE + ".mobileconfig")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, p.statusCode());
            assertEquals("imap.hoster.example", HostersTest.mailPayload(p.body()).get("IncomingMailServerHostName").toJavaObject());
            // The listed domains are still static files.
            r = get(client, "http://autoconfig.own-servers.example/mail/config-v1.1.xml");
            assertEquals(Files.readString(site.resolve("current/public/own-servers.example/mail/config-v1.1.xml")), r.body());

            // MX route: Thunderbird desktop sends the address, Thunderbird for Android does not.
            r = get(client, "https://autoconfig.hoster.example/mail/config-v1.1.xml".replace("https", "http")
                    + "?emailaddress=" + HostersTest.q("bob@customer.example"));
            d = TestServer.xml(r.body());
            assertEquals("customer.example", TestServer.text(d, "domain"));
            assertTrue(r.body().contains("<domain purpose=\"mx\">hoster.example</domain>"), r.body());
            ClientVerdict k9 = AutoconfigRules.k9("nginx", get(client, "http://autoconfig.hoster.example/mail/config-v1.1.xml")
                    .body().getBytes(StandardCharsets.UTF_8), "bob@customer.example");
            assertTrue(k9.ok(), k9.problems().toString());

            // RFC 6764: from NGINX's own map for listed domains, from the responder for unlisted ones; none without DAV.
            for (String host : List.of("hoster.example", "autoconfig.hoster.example", "autoconfig." + NOWHERE)) {
                r = get(client, "http://" + host + "/.well-known/caldav");
                assertEquals(301, r.statusCode(), host);
                assertEquals("https://dav.hoster.example/dav/calendars/", r.headers().firstValue("Location").orElse(""), host);
                r = get(client, "http://" + host + "/.well-known/carddav");
                assertEquals(301, r.statusCode(), host);
                assertEquals("https://dav.hoster.example/dav/addressbooks/", r.headers().firstValue("Location").orElse(""), host);
            }
            assertEquals(404, get(client, "http://autoconfig.own-servers.example/.well-known/caldav").statusCode());
            assertEquals(404, get(client, "http://autoconfig.own-servers.example/.well-known/carddav").statusCode());
            paccThroughTheWebServer(client, site);

            // Hostile names: 400 or 404 from nginx or the responder, never a 5xx, never reflected.
            for (String bad : List.of("two..dots.example", "a".repeat(300) + ".example", "%3Cscript%3E.example", "xn--zz\u00e9.example")) {
                String raw = rawGet(nginxPort, "/mail/config-v1.1.xml", "autoconfig." + bad);
                int status = Integer.parseInt(raw.substring(9, 12));
                assertTrue(status == 400 || status == 404, bad + ": " + raw);
                assertFalse(raw.contains("<script>") || raw.contains(bad), raw);
                r = get(client, "http://autoconfig.hoster.example/mail/config-v1.1.xml?emailaddress=bob%40" + bad.replace("\u00e9", "%FF"));
                assertTrue(r.statusCode() == 400 || r.statusCode() == 404, bad + ": " + r.statusCode());
            }
        } finally {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
            }
        }
    }

    /** The same site through a real Apache httpd (Debian layout): its rules send what it has no file for to the responder. */
    @Test
    void defaultProviderAndWellKnownThroughApache(@TempDir Path dir) throws Exception {
        Path apache = Path.of("/usr/sbin/apache2");
        boolean present = Files.isExecutable(apache) && Files.isRegularFile(Path.of("/usr/lib/apache2/modules/mod_rewrite.so"));
        if (!present) System.err.println("SKIPPED: Apache httpd not installed; `apt-get install -y apache2`");
        assumeTrue(present, "apache2 not installed");
        int responderPort = freePort(), apachePort = freePort();
        Path site = dir.resolve("site");
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(0, dev.autogen.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true),
                "render", Path.of("..", "samples", "hoster.yaml").toString(), "--out", site.toString(),
                "--responder-url", "http://127.0.0.1:" + responderPort), err.toString());
        Files.writeString(dir.resolve("autogen.conf"), Files.readString(site.resolve("current/conf/apache/autogen.conf"))
                .replace("<VirtualHost *:80>", "<VirtualHost *:" + apachePort + ">"));
        Files.createDirectories(dir.resolve("run"));
        List<String> lines = new java.util.ArrayList<>(List.of("ServerRoot \"" + dir + "\"", "DefaultRuntimeDir \"" + dir.resolve("run") + "\"",
                "PidFile \"" + dir.resolve("run/httpd.pid") + "\"", "Mutex file:" + dir.resolve("run") + " default",
                "ServerName localhost", "Listen 127.0.0.1:" + apachePort, "ErrorLog \"" + dir.resolve("error.log") + "\"", "LogLevel warn"));
        for (String m : List.of("mpm_event", "authz_core", "rewrite", "proxy", "proxy_http", "headers")) {
            lines.add("LoadModule " + m + "_module /usr/lib/apache2/modules/mod_" + m + ".so");
        }
        if ("root".equals(System.getProperty("user.name"))) lines.addAll(List.of("User #65534", "Group #65534"));
        lines.add("Include \"" + dir.resolve("autogen.conf") + "\"");
        Files.writeString(dir.resolve("httpd.conf"), String.join("\n", lines) + "\n");
        try (var all = Files.walk(dir)) { // the worker runs as nobody: it must read the public tree
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Process server = null;
        try (TestServer responder = new TestServer(new Main.Settings(site, "127.0.0.1", responderPort, 0, false, false), null)) {
            server = new ProcessBuilder(apache.toString(), "-X", "-f", dir.resolve("httpd.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", apachePort)))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            waitUntilListening(client, server, dir);
            HostersTest.hosterAutoconfig(get(client, "http://autoconfig." + NOWHERE + "/mail/config-v1.1.xml"), NOWHERE, null);
            HostersTest.hosterAutoconfig(get(client, "http://autoconfig." + NOWHERE + "/mail/config-v1.1.xml?emailaddress="
                    + HostersTest.q(BOB)), NOWHERE, BOB);
            HttpResponse<String> r = get(client, "http://autoconfig.own-servers.example/mail/config-v1.1.xml");
            assertEquals(Files.readString(site.resolve("current/public/own-servers.example/mail/config-v1.1.xml")), r.body());
            HttpResponse<byte[]> p = client.send(HttpRequest.newBuilder(URI.create("http://autoconfig." + NOWHERE + "/mobileconfig/"
                    + NOWHERE + ".mobileconfig")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, p.statusCode());
            assertEquals("imap.hoster.example", HostersTest.mailPayload(p.body()).get("IncomingMailServerHostName").toJavaObject());
            for (String host : List.of("autoconfig.hoster.example", "autoconfig." + NOWHERE)) {
                r = get(client, "http://" + host + "/.well-known/carddav");
                assertEquals(301, r.statusCode(), host);
                assertEquals("https://dav.hoster.example/dav/addressbooks/", r.headers().firstValue("Location").orElse(""), host);
            }
            assertEquals(404, get(client, "http://autoconfig.own-servers.example/.well-known/caldav").statusCode());
            assertEquals(404, get(client, "http://mail.own-servers.example/mail/config-v1.1.xml").statusCode(),
                    "a listed domain's Autodiscover host is no customer domain");
            paccThroughTheWebServer(client, site);
        } finally {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String rawGet(int port, String path, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }

    /**
     * PACC: a listed domain's document is the static file; a domain nobody lists gets the default provider's one
     * document from the responder, once, with one Access-Control-Allow-Origin.
     */
    static void paccThroughTheWebServer(HttpClient client, Path site) throws Exception {
        String path = "/.well-known/user-agent-configuration.json";
        HttpResponse<String> r = get(client, "http://ua-auto-config.hoster.example" + path);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Files.readString(site.resolve("current/public/hoster.example/" + path.substring(1))), r.body());
        r = get(client, "http://ua-auto-config." + NOWHERE + path);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        assertEquals(List.of("*"), r.headers().allValues("Access-Control-Allow-Origin"));
        // hoster.example is listed with the provider's own settings: the same bytes as the default document.
        assertEquals(Files.readString(site.resolve("current/public/hoster.example/" + path.substring(1))), r.body());
    }

    static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A wrapper nginx.conf that includes the rendered one, on a free loopback port, as the test's user. */
    static Path wrap(Path dir, String rendered, int port) throws IOException {
        Files.writeString(dir.resolve("autogen.conf"), rendered.replace("    listen 80;\n", "    listen 127.0.0.1:" + port + ";\n")
                .replace("    listen [::]:80;\n", ""));
        Files.createDirectories(dir.resolve("tmp"));
        Path wrapper = dir.resolve("nginx.conf");
        String tmp = dir.resolve("tmp").toString();
        Files.writeString(wrapper, String.join("\n", "master_process off;", "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " info;", "events { worker_connections 64; }", "http {",
                "  access_log off;", "  client_body_temp_path " + tmp + ";", "  proxy_temp_path " + tmp + ";",
                "  fastcgi_temp_path " + tmp + ";", "  uwsgi_temp_path " + tmp + ";", "  scgi_temp_path " + tmp + ";",
                "  include " + dir.resolve("autogen.conf") + ";", "}", ""));
        return wrapper;
    }

    static void waitUntilListening(HttpClient client, Process server, Path dir) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!server.isAlive()) throw new AssertionError("web server exited: " + Files.readString(dir.resolve("stdout.log"))
                    + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            try {
                get(client, "http://autoconfig.hoster.example/");
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("web server did not start listening");
    }
}
