package dev.autogen.render;

import com.sun.net.httpserver.HttpServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import dev.autogen.model.WebSettings;
import dev.autogen.render.MobileconfigRendererTest.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WebServerConfigTest {
    private static final Templates TEMPLATES = new Templates(Optional.empty());
    private static final RenderSettings SETTINGS =
            new RenderSettings(Optional.empty(), "/srv/autogen/current/public", "http://127.0.0.1:4243");

    /** The fixture plus a second provider whose two domains share one Autodiscover host. */
    static Site site() {
        Domain a = new Domain("shared-a.example", List.of(), List.of(), Optional.empty(), Optional.empty(),
                "autodiscover.hoster.example", Optional.empty());
        Domain b = new Domain("shared-b.example", List.of(), List.of(), Optional.empty(), Optional.empty(),
                "autodiscover.hoster.example", Optional.empty());
        Provider hoster = new Provider("hoster.example", "Hoster", "Hoster", Optional.empty(), List.of(b, a));
        return new Site(List.of(Fixture.provider(), hoster), List.of(Fixture.directory()));
    }

    private static List<String> mapLines(String conf) {
        int start = conf.indexOf("map $host $autogen_domain {");
        int end = conf.indexOf("}", start);
        return conf.substring(start, end).lines().skip(2).map(String::trim).toList();
    }

    @Test
    void hostMapCoversEveryNameAndLeavesSharedHostsOut() {
        String conf = new String(WebServerConfig.nginx(TEMPLATES, site(), SETTINGS), StandardCharsets.UTF_8);
        List<String> lines = mapLines(conf);
        for (String d : List.of("example.com", "example.net", "serverless.tld", "shared-a.example", "shared-b.example")) {
            assertTrue(lines.contains(d + " " + d + ";"), d);
            assertTrue(lines.contains("autoconfig." + d + " " + d + ";"), d);
            assertTrue(lines.contains("autodiscover." + d + " " + d + ";"), d);
        }
        assertTrue(lines.contains("mail.example.net example.net;"), "own Autodiscover host");
        assertFalse(conf.contains("autodiscover.hoster.example "), "shared host has no single domain");
        assertEquals(lines.stream().sorted().toList(), lines, "sorted");
        assertTrue(conf.contains("server_name autoconfig.* autodiscover.* ua-auto-config.* mail.example.net;"), conf);
        assertTrue(conf.contains("server 127.0.0.1:4243;"));
        assertTrue(conf.contains("root \"/srv/autogen/current/public\";"));
        assertArrayEquals(WebServerConfig.nginx(TEMPLATES, site(), SETTINGS),
                WebServerConfig.nginx(TEMPLATES, site(), SETTINGS), "deterministic");
    }

    @Test
    void unsafeSettingsAndNamesAreRefused() {
        for (String root : List.of("relative/path", "/srv/$host", "/srv/a\"b", "/srv/a\nb", "/srv/{x}")) {
            RenderSettings s = new RenderSettings(Optional.empty(), root, "http://127.0.0.1:4243");
            assertThrows(IllegalArgumentException.class, () -> WebServerConfig.nginx(TEMPLATES, site(), s), root);
        }
        for (String url : List.of("ftp://127.0.0.1:1", "http://127.0.0.1:4243/sub", "127.0.0.1:4243", "http://h:1/?a")) {
            RenderSettings s = new RenderSettings(Optional.empty(), "/srv", url);
            assertThrows(IllegalArgumentException.class, () -> WebServerConfig.apache(TEMPLATES, site(), s), url);
        }
        Domain bad = new Domain("evil.example", List.of(), List.of(), Optional.empty(), Optional.empty(),
                "x; } server { listen 80", Optional.empty());
        Site s = new Site(List.of(new Provider("p", "P", "P", Optional.empty(), List.of(bad))), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebServerConfig.nginx(TEMPLATES, s, SETTINGS));
        assertTrue(e.getMessage().contains("evil.example"), e.getMessage());
    }

    @Test
    void golden() {
        MobileconfigRendererTest.assertGolden("web/nginx.conf", WebServerConfig.nginx(TEMPLATES, site(), SETTINGS));
        MobileconfigRendererTest.assertGolden("web/apache.conf", WebServerConfig.apache(TEMPLATES, site(), SETTINGS));
    }

    @Test
    void goldenSamples() {
        for (var sample : MobileconfigRendererTest.samples().entrySet()) {
            MobileconfigRendererTest.assertGolden("web/" + sample.getKey() + "/nginx.conf",
                    WebServerConfig.nginx(TEMPLATES, sample.getValue(), SETTINGS));
            MobileconfigRendererTest.assertGolden("web/" + sample.getKey() + "/apache.conf",
                    WebServerConfig.apache(TEMPLATES, sample.getValue(), SETTINGS));
        }
    }

    // ---- real NGINX -------------------------------------------------------------------------------------------

    static Optional<Path> binary(String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            for (String c : candidates) {
                Path p = Path.of(dir).resolve(Path.of(c).getFileName());
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static Path nginxOrSkip() {
        Optional<Path> nginx = binary("/usr/sbin/nginx", "nginx");
        if (nginx.isEmpty()) {
            System.err.println("SKIPPED: nginx not installed; `apt-get install -y nginx` to test the NGINX config");
        }
        assumeTrue(nginx.isPresent(), "nginx not installed: NGINX config not tested for real");
        return nginx.get();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A wrapper nginx.conf in {@code dir} that includes {@code rendered}, listening on {@code port}. */
    static Path wrap(Path dir, byte[] rendered, int port) throws IOException {
        String conf = new String(rendered, StandardCharsets.UTF_8);
        if (port > 0) {
            conf = conf.replace("    listen 80;\n", "    listen 127.0.0.1:" + port + ";\n")
                    .replace("    listen [::]:80;\n", "");
        }
        Files.writeString(dir.resolve("autogen.conf"), conf);
        Files.createDirectories(dir.resolve("tmp"));
        Path wrapper = dir.resolve("nginx.conf");
        Files.writeString(wrapper, String.join("\n",
                "master_process off;", // one process, running as the test's user: no worker user to switch to
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " info;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("tmp") + ";",
                "  proxy_temp_path " + dir.resolve("tmp") + ";",
                "  fastcgi_temp_path " + dir.resolve("tmp") + ";",
                "  uwsgi_temp_path " + dir.resolve("tmp") + ";",
                "  scgi_temp_path " + dir.resolve("tmp") + ";",
                "  include " + dir.resolve("autogen.conf") + ";",
                "}", ""));
        return wrapper;
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }

    @Test
    void nginxAcceptsTheConfig(@TempDir Path dir) throws Exception {
        Path nginx = nginxOrSkip();
        Path wrapper = wrap(dir, WebServerConfig.nginx(TEMPLATES, site(), SETTINGS), freePort());
        String out = run(dir, nginx.toString(), "-t", "-p", dir.toString(), "-c", wrapper.toString());
        assertTrue(out.contains("test is successful"), out);
    }

    /** The bundled samples (among them a hoster with a default provider, MX domains and DAV redirects). */
    @Test
    void nginxAndApacheAcceptTheSamplesConfigs(@TempDir Path dir) throws Exception {
        Path nginx = nginxOrSkip();
        Path apache = apacheOrSkip();
        for (var sample : MobileconfigRendererTest.samples().entrySet()) {
            Path n = Files.createDirectories(dir.resolve(sample.getKey() + "-nginx"));
            String out = run(n, nginx.toString(), "-t", "-p", n.toString(), "-c",
                    wrap(n, WebServerConfig.nginx(TEMPLATES, sample.getValue(), SETTINGS), freePort()).toString());
            assertTrue(out.contains("test is successful"), sample.getKey() + ": " + out);
            Path a = Files.createDirectories(dir.resolve(sample.getKey() + "-apache"));
            out = run(a, apache.toString(), "-t", "-f",
                    wrapApache(a, WebServerConfig.apache(TEMPLATES, sample.getValue(), SETTINGS), freePort()).toString());
            assertTrue(out.contains("Syntax OK"), sample.getKey() + ": " + out);
        }
    }

    /** 100,000 domains, each with its own Autodiscover host outside the wildcards: nginx still loads the config. */
    @Test
    void nginxAcceptsTheConfigFor100kDomains(@TempDir Path dir) throws Exception {
        Path nginx = nginxOrSkip();
        List<Domain> domains = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            String d = "customer-domain-" + i + ".example";
            domains.add(new Domain(d, List.of(), List.of(), Optional.empty(), Optional.empty(),
                    "mail." + d, Optional.empty()));
        }
        Site big = new Site(List.of(new Provider("big.example", "Big", "Big", Optional.empty(), domains)), List.of());
        Path wrapper = wrap(dir, WebServerConfig.nginx(TEMPLATES, big, SETTINGS), freePort());
        String out = run(dir, nginx.toString(), "-t", "-p", dir.toString(), "-c", wrapper.toString());
        assertTrue(out.contains("test is successful"), out);
    }

    /** The public files both web-server tests serve (stand-ins for the autoconfig documents, a real profile). */
    record PublicTree(Path root, byte[] autoconfig, byte[] autoconfigNet, byte[] profile, byte[] pacc,
                      byte[] setupPage) {
        static PublicTree create(Path pub) throws IOException {
            PublicTree t = new PublicTree(pub,
                    "<clientConfig version=\"1.1\"><!-- example.com --></clientConfig>\n".getBytes(StandardCharsets.UTF_8),
                    "<clientConfig version=\"1.1\"><!-- example.net --></clientConfig>\n".getBytes(StandardCharsets.UTF_8),
                    MobileconfigRenderer.addressless(Fixture.provider(), Fixture.full()),
                    "{\"protocols\":{\"imap\":{\"host\":\"imap.example.com\"}}}".getBytes(StandardCharsets.UTF_8),
                    new SetupPageRenderer(TEMPLATES).page(Fixture.provider(), Fixture.full()));
            write(pub.resolve("example.com/.well-known/user-agent-configuration.json"), t.pacc());
            write(pub.resolve("example.com/index.html"), t.setupPage());
            write(pub.resolve("example.com/mail/config-v1.1.xml"), t.autoconfig());
            write(pub.resolve("example.com/.well-known/autoconfig/mail/config-v1.1.xml"), t.autoconfig());
            write(pub.resolve("example.com/example.com.mobileconfig"), t.profile());
            write(pub.resolve("example.net/mail/config-v1.1.xml"), t.autoconfigNet());
            write(pub.resolve("example.net/.well-known/autoconfig/mail/config-v1.1.xml"), t.autoconfigNet());
            return t;
        }
    }

    /** A stand-in responder that answers with a description of the request it received. */
    record StandIn(HttpServer server, List<String> seen) {
        static StandIn start() throws IOException {
            List<String> seen = new ArrayList<>();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String line = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())
                        + " host=" + exchange.getRequestHeaders().getFirst("Host")
                        + " xfh=" + exchange.getRequestHeaders().getFirst("X-Forwarded-Host")
                        + " xfp=" + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto")
                        + " xff=" + exchange.getRequestHeaders().getFirst("X-Forwarded-For")
                        + " body=" + new String(body, StandardCharsets.UTF_8);
                synchronized (seen) {
                    seen.add(line);
                }
                byte[] out = ("responder: " + line).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, out.length);
                exchange.getResponseBody().write(out);
                exchange.close();
            });
            server.start();
            return new StandIn(server, seen);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int requests() {
            synchronized (seen) {
                return seen.size();
            }
        }

        void stop() {
            server.stop(0);
        }
    }

    /** The routing both web servers must implement identically. */
    private static void checkCommonRouting(HttpClient client, PublicTree tree, StandIn responder) throws Exception {
        HttpResponse<byte[]> r = get(client, "http://autoconfig.example.com/mail/config-v1.1.xml");
        assertEquals(200, r.statusCode());
        assertArrayEquals(tree.autoconfig(), r.body());
        assertEquals("text/xml; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        r = get(client, "http://autodiscover.example.com/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=");
        assertEquals(200, r.statusCode());
        assertArrayEquals(tree.autoconfig(), r.body(), "empty address: static");
        r = get(client, "http://AutoConfig.Example.NET/mail/config-v1.1.xml");
        assertArrayEquals(tree.autoconfigNet(), r.body(), "host names in any case");
        assertEquals(404, get(client, "http://autoconfig.unknown.example/mail/config-v1.1.xml").statusCode());
        assertEquals(404, get(client, "http://autodiscover.hoster.example/mail/config-v1.1.xml").statusCode(),
                "shared host: no single domain");

        r = get(client, "http://autoconfig.example.com/mobileconfig/example.com.mobileconfig");
        assertEquals(200, r.statusCode());
        assertArrayEquals(tree.profile(), r.body());
        assertEquals("application/x-apple-aspen-config", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, get(client, "http://autoconfig.example.com/mobileconfig/example.org.mobileconfig").statusCode());

        // PACC: static, the exact bytes, JSON for any origin; only on ua-auto-config.<domain>.
        r = get(client, "http://ua-auto-config.example.com/.well-known/user-agent-configuration.json");
        assertEquals(200, r.statusCode());
        assertArrayEquals(tree.pacc(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals(404, get(client, "http://ua-auto-config.example.net/.well-known/user-agent-configuration.json")
                .statusCode(), "a domain without a document");
        assertEquals(404, get(client, "http://autoconfig.example.com/.well-known/user-agent-configuration.json")
                .statusCode(), "only the ua-auto-config name");

        r = get(client, "http://autoconfig.example.com/mail/config-v1.1.xml?emailaddress=jane%40example.com");
        assertEquals("responder: GET /mail/config-v1.1.xml?emailaddress=jane%40example.com host=autoconfig.example.com"
                + " xfh=autoconfig.example.com xfp=http xff=127.0.0.1 body=", text(r));
        r = get(client, "http://autoconfig.example.com/.well-known/autoconfig/mail/config-v1.1.xml"
                + "?EmailAddress=jane%40example.com");
        assertTrue(text(r).startsWith("responder: GET /.well-known/autoconfig/mail/config-v1.1.xml?EmailAddress="),
                text(r));
        r = get(client, "http://autoconfig.example.com/mobileconfig/?emailaddress=jane%40example.com&name=Jane");
        assertTrue(text(r).startsWith("responder: GET /mobileconfig/?emailaddress=jane%40example.com&name=Jane "),
                text(r));
        r = get(client, "http://autoconfig.example.com/mobileconfig?emailaddress=jane%40example.com");
        assertTrue(text(r).startsWith("responder: GET /mobileconfig?emailaddress="), text(r));
        for (String path : List.of("/autodiscover/autodiscover.xml", "/AutoDiscover/AutoDiscover.xml",
                "/Autodiscover/Autodiscover.xml")) {
            r = client.send(HttpRequest.newBuilder(URI.create("http://autodiscover.example.com" + path))
                    .header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString("<Autodiscover/>")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("responder: POST " + path + " host=autodiscover.example.com xfh=autodiscover.example.com"
                    + " xfp=http xff=127.0.0.1 body=<Autodiscover/>", text(r));
        }
        r = get(client, "http://autodiscover.example.com/autodiscover/autodiscover.json/v1.0/a@example.com?Protocol=AutoDiscoverV1");
        assertTrue(text(r).startsWith("responder: GET /autodiscover/autodiscover.json/v1.0/a@example.com?Protocol="),
                text(r));

        int before = responder.requests();
        assertEquals(403, get(client, "http://autoconfig.example.com/health").statusCode());
        assertEquals(403, get(client, "http://autoconfig.example.com/metrics").statusCode());
        r = get(client, "http://autoconfig.example.com/");
        assertEquals(200, r.statusCode());
        assertArrayEquals(tree.setupPage(), r.body(), "the domain's setup page");
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(new SetupPageRenderer(TEMPLATES).contentSecurityPolicy(),
                r.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(404, get(client, "http://autoconfig.example.net/").statusCode(), "no page rendered");
        assertEquals(404, get(client, "http://autoconfig.unknown.example/").statusCode());
        assertEquals(404, get(client, "http://autoconfig.example.com/index.html").statusCode());
        assertEquals(404, get(client, "http://autoconfig.example.com/example.com/mail/config-v1.1.xml").statusCode(),
                "the public tree is not browsable by path");
        assertEquals(before, responder.requests(), "nothing else reached the responder");
    }

    /** Static files, routing to the responder, headers, refusals: nginx on a free port, a stand-in responder. */
    @Test
    void nginxServesStaticFilesAndProxiesTheRest(@TempDir Path dir) throws Exception {
        Path nginx = nginxOrSkip();
        PublicTree tree = PublicTree.create(dir.resolve("public"));
        StandIn responder = StandIn.start();
        int port = freePort();
        RenderSettings settings = new RenderSettings(Optional.empty(), tree.root().toString(), responder.url());
        Path wrapper = wrap(dir, WebServerConfig.nginx(TEMPLATES, site(), settings), port);
        Process server = startNginx(nginx, dir, wrapper);
        try {
            // Through nginx as an HTTP proxy: the request names the virtual host without any DNS lookup.
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            waitUntilListening(client, server, dir);
            checkCommonRouting(client, tree, responder);
            HttpResponse<byte[]> r = get(client, "http://mail.example.net/mail/config-v1.1.xml");
            assertArrayEquals(tree.autoconfigNet(), r.body(), "own Autodiscover host serves its domain");

            // Responder down: autoconfig with an address falls back to the static file; the rest reports 502.
            responder.stop();
            r = get(client, "http://autoconfig.example.com/.well-known/autoconfig/mail/config-v1.1.xml"
                    + "?emailaddress=jane%40example.com");
            assertEquals(200, r.statusCode());
            assertArrayEquals(tree.autoconfig(), r.body());
            assertEquals("text/xml; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals(404, get(client, "http://autoconfig.unknown.example/mail/config-v1.1.xml?emailaddress=a%40b.c")
                    .statusCode());
            assertEquals(502, get(client, "http://autoconfig.example.com/mobileconfig?emailaddress=jane%40example.com")
                    .statusCode());
        } finally {
            server.destroy(); // SIGTERM: nginx's fast shutdown
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            responder.stop();
        }
    }

    // ---- HTTPS ------------------------------------------------------------------------------------------------

    /** One certificate for every name: the default listen addresses plus HTTPS, an access log. */
    static final WebSettings ONE_CERTIFICATE = new WebSettings(List.of("80", "[::]:80"), List.of("443", "[::]:443"),
            Optional.of("/etc/ssl/autogen/fullchain.pem"), Optional.of("/etc/ssl/autogen/privkey.pem"), true,
            Optional.of("/var/log/autogen/access.log"));
    /** Let's Encrypt's layout with a certificate per domain, access log off. */
    static final WebSettings PER_DOMAIN = new WebSettings(List.of("192.0.2.1:80"), List.of("192.0.2.1:443"),
            Optional.of("/etc/letsencrypt/live/autoconfig.{domain}/fullchain.pem"),
            Optional.of("/etc/letsencrypt/live/autoconfig.{domain}/privkey.pem"), true, Optional.of("off"));

    @Test
    void goldenTls() {
        MobileconfigRendererTest.assertGolden("web/tls/nginx.conf",
                WebServerConfig.nginx(TEMPLATES, site().withWeb(ONE_CERTIFICATE), SETTINGS));
        MobileconfigRendererTest.assertGolden("web/tls/apache.conf",
                WebServerConfig.apache(TEMPLATES, site().withWeb(ONE_CERTIFICATE), SETTINGS));
        MobileconfigRendererTest.assertGolden("web/tls-per-domain/nginx.conf",
                WebServerConfig.nginx(TEMPLATES, site().withWeb(PER_DOMAIN), SETTINGS));
        MobileconfigRendererTest.assertGolden("web/tls-per-domain/apache.conf",
                WebServerConfig.apache(TEMPLATES, site().withWeb(PER_DOMAIN), SETTINGS));
    }

    @Test
    void tlsModel() {
        WebServerConfig.Model m = WebServerConfig.model(TEMPLATES, site().withWeb(PER_DOMAIN), SETTINGS);
        assertTrue(m.perDomainCertificate() && m.redirectToHttps() && m.tls());
        assertEquals("/etc/letsencrypt/live/autoconfig.${autogen_tls_domain}/fullchain.pem", m.certificate());
        assertEquals("", m.httpsPortSuffix());
        WebServerConfig.TlsHost net = m.tlsHosts().stream()
                .filter(h -> h.serverName().equals("autoconfig.example.net")).findFirst().orElseThrow();
        assertEquals(List.of("autodiscover.example.net", "mail.example.net", "ua-auto-config.example.net"), net.aliases());
        assertEquals("/etc/letsencrypt/live/autoconfig.example.net/privkey.pem", net.certificateKey());
        assertEquals(5, m.tlsHosts().size(), "one virtual host per domain");

        WebSettings noRedirect = new WebSettings(List.of("8080"), List.of("8443"), ONE_CERTIFICATE.certificate(),
                ONE_CERTIFICATE.certificateKey(), false, Optional.empty());
        m = WebServerConfig.model(TEMPLATES, site().withWeb(noRedirect), SETTINGS);
        assertFalse(m.redirectToHttps());
        assertEquals(":8443", m.httpsPortSuffix());
        assertEquals("*:8080", m.httpVhost());
        String nginx = new String(WebServerConfig.nginx(TEMPLATES, site().withWeb(noRedirect), SETTINGS),
                StandardCharsets.UTF_8);
        assertTrue(nginx.contains("    listen 8080;\n    listen 8443 ssl;\n"), "one server for both");
        assertFalse(nginx.contains("return 301 https://"), nginx); // (the .well-known redirects are 301s too)
        assertFalse(nginx.contains("access_log"), "the server's own access log");

        String plain = new String(WebServerConfig.apache(TEMPLATES, site(), SETTINGS), StandardCharsets.UTF_8);
        assertTrue(plain.contains("<VirtualHost *:80>"), "80 and [::]:80 are one Apache address");
        assertFalse(plain.contains("SSLEngine"), plain);
    }

    @Test
    void inconsistentWebSettingsAreRefused() {
        for (WebSettings bad : List.of(
                new WebSettings(List.of("80"), List.of("443"), Optional.empty(), Optional.empty(), true, Optional.empty()),
                new WebSettings(List.of("80"), List.of(), Optional.of("/a.pem"), Optional.of("/b.pem"), true,
                        Optional.empty()),
                new WebSettings(List.of("80"), List.of("443"), Optional.of("/{domain}/a.pem"), Optional.of("/b.pem"),
                        true, Optional.empty()),
                new WebSettings(List.of("80", "*:80"), List.of(), Optional.empty(), Optional.empty(), true,
                        Optional.empty()),
                new WebSettings(List.of("80"), List.of(), Optional.empty(), Optional.empty(), true,
                        Optional.of("/var/log/$host.log")),
                new WebSettings(List.of("70000"), List.of(), Optional.empty(), Optional.empty(), true,
                        Optional.empty()),
                new WebSettings(List.of(), List.of("443"), Optional.of("/a\".pem"), Optional.of("/b.pem"), true,
                        Optional.empty()))) {
            assertThrows(IllegalArgumentException.class,
                    () -> WebServerConfig.nginx(TEMPLATES, site().withWeb(bad), SETTINGS), bad.toString());
        }
        assertEquals(null, WebSettings.listenProblem("[::1]:8443"));
        assertEquals(null, WebSettings.listenProblem("*:80"));
        for (String bad : List.of("", "0", "65536", "localhost:80", "1.2.3.400:80", "::1:80", "80;", "80 ssl")) {
            assertTrue(WebSettings.listenProblem(bad) != null, bad);
        }
        assertEquals(null, WebSettings.pathProblem("/etc/letsencrypt/live/autoconfig.{domain}/fullchain.pem", true));
        assertTrue(WebSettings.pathProblem("/etc/letsencrypt/live/autoconfig.{domain}/fullchain.pem", false) != null);
        assertTrue(WebSettings.pathProblem("/etc/{host}/x.pem", true) != null);
        assertTrue(WebSettings.pathProblem("/etc/x.pem\n", true) != null);
        assertTrue(WebSettings.pathProblem("etc/x.pem", true) != null);
    }

    /** Certificates for every domain of {@link #site()} in the Let's Encrypt layout under {@code dir/live}. */
    private static TestCertificates perDomainCertificates(Path dir) throws Exception {
        TestCertificates ca = TestCertificates.ca(dir);
        for (String d : List.of("example.com", "example.net", "serverless.tld", "shared-a.example",
                "shared-b.example")) {
            ca.issue("live/autoconfig." + d, "autoconfig." + d, "autodiscover." + d,
                    d.equals("example.net") ? "mail.example.net" : "autodiscover." + d);
        }
        ca.issue("single", "autoconfig.example.com", "*.example.com", "*.example.net", "mail.example.net");
        return ca;
    }

    private static WebSettings perDomain(Path certs, int http, int https) {
        return new WebSettings(http > 0 ? List.of("127.0.0.1:" + http) : List.of(), List.of("127.0.0.1:" + https),
                Optional.of(certs + "/live/autoconfig.{domain}/fullchain.pem"),
                Optional.of(certs + "/live/autoconfig.{domain}/privkey.pem"), true, Optional.of("off"));
    }

    private static WebSettings single(Path certs, int http, int https, Path log) {
        return new WebSettings(List.of("127.0.0.1:" + http), List.of("127.0.0.1:" + https),
                Optional.of(certs + "/single/fullchain.pem"), Optional.of(certs + "/single/privkey.pem"), true,
                Optional.of(log.toString()));
    }

    /**
     * The TLS settings the acceptance tests try, with certificates in {@code certs}: one certificate for every name,
     * one per domain, and one per domain without plain HTTP (which the Apache tests leave out).
     */
    private static List<WebSettings> tlsSettings(Path certs, Path dir) throws Exception {
        perDomainCertificates(certs);
        return List.of(single(certs, freePort(), freePort(), dir.resolve("access.log")),
                perDomain(certs, freePort(), freePort()), perDomain(certs, 0, freePort()));
    }

    /** {@code nginx -t} of the site's NGINX config in {@code d}: its output. */
    private static String nginxTest(Path nginx, Path d, Site site) throws Exception {
        return run(d, nginx.toString(), "-t", "-p", d.toString(), "-c",
                wrap(d, WebServerConfig.nginx(TEMPLATES, site, SETTINGS), 0).toString());
    }

    /** {@code apache2 -t} of the site's Apache config in {@code d}, listening as {@code web} says: its output. */
    private static String apacheTest(Path apache, Path d, Site site, WebSettings web) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (String a : concat(web.http(), web.https())) {
            ports.add(WebSettings.port(a));
        }
        return run(d, apache.toString(), "-t", "-f",
                wrapApache(d, WebServerConfig.apache(TEMPLATES, site, SETTINGS), ports, true).toString());
    }

    @Test
    void nginxAcceptsTheTlsConfigs(@TempDir Path dir) throws Exception {
        Path nginx = nginxOrSkip();
        int i = 0;
        for (WebSettings web : tlsSettings(dir.resolve("certs"), dir)) {
            String out = nginxTest(nginx, Files.createDirectories(dir.resolve("run" + i++)), site().withWeb(web));
            assertTrue(out.contains("test is successful"), out);
        }
    }

    @Test
    void apacheAcceptsTheTlsConfigs(@TempDir Path dir) throws Exception {
        Path apache = apacheOrSkip();
        int i = 0;
        for (WebSettings web : tlsSettings(dir.resolve("certs"), dir)) {
            if (web.http().isEmpty()) continue;
            Path d = Files.createDirectories(dir.resolve("run" + i++));
            String out = apacheTest(apache, d, site().withWeb(web), web);
            assertTrue(out.contains("Syntax OK"), out);
        }
        // A certificate that does not exist is what apache2 -t reports (so the test above did check the files).
        Path d = Files.createDirectories(dir.resolve("missing"));
        WebSettings missing = perDomain(dir.resolve("nowhere"), freePort(), freePort());
        Path wrapper = wrapApache(d, WebServerConfig.apache(TEMPLATES, site().withWeb(missing), SETTINGS),
                List.of(WebSettings.port(missing.http().get(0)), WebSettings.port(missing.https().get(0))), true);
        Process p = new ProcessBuilder(apache.toString(), "-t", "-f", wrapper.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0 && out.contains("nowhere"), out);
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** An answer from curl: status, headers (lower-case names) and body. */
    record Curl(int status, String headers, byte[] body) {
        String header(String name) {
            return headers.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static Path curlOrSkip() {
        Optional<Path> curl = binary("/usr/bin/curl", "curl");
        if (curl.isEmpty()) {
            System.err.println("SKIPPED: curl not installed; `apt-get install -y curl` to test HTTPS for real");
        }
        assumeTrue(curl.isPresent(), "curl not installed");
        return curl.get();
    }

    /**
     * One request with curl (real TLS with SNI, verified against {@code ca}); the URL's host name resolves to
     * 127.0.0.1 for this request only. {@code post} is a body to POST, or null for GET.
     */
    static Curl curl(Path curl, Path dir, Path ca, String url, String post) throws Exception {
        URI u = URI.create(url);
        Path headers = Files.createTempFile(dir, "headers", ".txt");
        Path body = Files.createTempFile(dir, "body", ".bin");
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "--max-time", "10", "--noproxy", "*",
                "--cacert", ca.toString(), "--resolve", u.getHost() + ":" + u.getPort() + ":127.0.0.1",
                "-D", headers.toString(), "-o", body.toString(), "-w", "%{http_code}"));
        if (post != null) {
            command.addAll(List.of("-H", "Content-Type: text/xml", "--data-binary", post));
        }
        command.add(url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl timed out: " + url);
        assertEquals(0, p.exitValue(), "curl " + url + ": " + out);
        return new Curl(Integer.parseInt(out.trim()), Files.readString(headers), Files.readAllBytes(body));
    }

    /** HTTPS everywhere, plain HTTP for autoconfig only, the rest redirected; the same for both web servers. */
    private static void checkTlsRouting(Path curl, Path dir, Path ca, int http, int https, PublicTree tree)
            throws Exception {
        String s = "https://autoconfig.example.com:" + https;
        Curl r = curl(curl, dir, ca, s + "/mail/config-v1.1.xml", null);
        assertEquals(200, r.status());
        assertArrayEquals(tree.autoconfig(), r.body());
        assertEquals("text/xml; charset=utf-8", r.header("content-type"));
        r = curl(curl, dir, ca, s + "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=jane%40example.com", null);
        assertTrue(r.text().startsWith("responder: GET /.well-known/autoconfig/mail/config-v1.1.xml?emailaddress="
                + "jane%40example.com host=autoconfig.example.com"), r.text());
        assertTrue(r.text().contains(" xfp=https "), r.text());
        r = curl(curl, dir, ca, s + "/mobileconfig/example.com.mobileconfig", null);
        assertEquals(200, r.status());
        assertArrayEquals(tree.profile(), r.body());
        assertEquals("application/x-apple-aspen-config", r.header("content-type"));
        r = curl(curl, dir, ca, "https://autodiscover.example.com:" + https + "/Autodiscover/Autodiscover.xml",
                "<Autodiscover/>");
        assertTrue(r.text().startsWith("responder: POST /Autodiscover/Autodiscover.xml host=autodiscover.example.com"),
                r.text());
        assertTrue(r.text().contains(" xfp=https ") && r.text().endsWith("body=<Autodiscover/>"), r.text());
        assertEquals(403, curl(curl, dir, ca, s + "/health", null).status());
        r = curl(curl, dir, ca, "https://autoconfig.example.net:" + https + "/mail/config-v1.1.xml", null);
        assertArrayEquals(tree.autoconfigNet(), r.body(), "the other domain's name (and certificate)");

        String p = "http://autoconfig.example.com:" + http;
        r = curl(curl, dir, ca, p + "/mail/config-v1.1.xml", null);
        assertEquals(200, r.status(), "plain http autoconfig (KMail)");
        assertArrayEquals(tree.autoconfig(), r.body());
        r = curl(curl, dir, ca, p + "/.well-known/autoconfig/mail/config-v1.1.xml", null);
        assertArrayEquals(tree.autoconfig(), r.body());
        r = curl(curl, dir, ca, p + "/mail/config-v1.1.xml?emailaddress=jane%40example.com", null);
        assertTrue(r.text().startsWith("responder: GET /mail/config-v1.1.xml?emailaddress=jane%40example.com")
                && r.text().contains(" xfp=http "), r.text());
        r = curl(curl, dir, ca, "http://autodiscover.example.com:" + http + "/autodiscover/autodiscover.xml", null);
        assertEquals(302, r.status(), "Outlook's HTTP redirect method");
        assertEquals("https://autodiscover.example.com:" + https + "/autodiscover/autodiscover.xml", r.header("location"));
        r = curl(curl, dir, ca, p + "/mobileconfig/example.com.mobileconfig", null);
        assertEquals(301, r.status());
        assertEquals(s + "/mobileconfig/example.com.mobileconfig", r.header("location"));
        r = curl(curl, dir, ca, p + "/health", null);
        assertEquals(301, r.status(), "everything but autoconfig moves to https");
    }

    /** Real NGINX over TLS with a certificate per domain (selected by SNI), a stand-in responder. */
    @Test
    void nginxServesOverTls(@TempDir Path dir) throws Exception {
        Path nginx = nginxOrSkip();
        Path curl = curlOrSkip();
        Path certs = dir.resolve("certs");
        TestCertificates ca = perDomainCertificates(certs);
        PublicTree tree = PublicTree.create(dir.resolve("public"));
        StandIn responder = StandIn.start();
        int http = freePort();
        int https = freePort();
        RenderSettings settings = new RenderSettings(Optional.empty(), tree.root().toString(), responder.url());
        Path wrapper = wrap(dir, WebServerConfig.nginx(TEMPLATES, site().withWeb(perDomain(certs, http, https)),
                settings), 0);
        Process server = startNginx(nginx, dir, wrapper);
        try {
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", http)))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            waitUntilListening(client, server, dir);
            checkTlsRouting(curl, dir, ca.caFile(), http, https, tree);
            Curl r = curl(curl, dir, ca.caFile(), "https://mail.example.net:" + https + "/mail/config-v1.1.xml", null);
            assertArrayEquals(tree.autoconfigNet(), r.body(), "own Autodiscover host, in its domain's certificate");
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            responder.stop();
        }
    }

    /** Real Apache over TLS with one certificate for every name, an access log of its own. */
    @Test
    void apacheServesOverTls(@TempDir Path dir) throws Exception {
        Path apache = apacheOrSkip();
        Path curl = curlOrSkip();
        Path certs = dir.resolve("certs");
        TestCertificates ca = perDomainCertificates(certs);
        PublicTree tree = PublicTree.create(dir.resolve("public"));
        StandIn responder = StandIn.start();
        int http = freePort();
        int https = freePort();
        Path log = dir.resolve("logs/access.log");
        Files.createDirectories(log.getParent());
        RenderSettings settings = new RenderSettings(Optional.empty(), tree.root().toString(), responder.url());
        Path wrapper = wrapApache(dir, WebServerConfig.apache(TEMPLATES,
                site().withWeb(single(certs, http, https, log)), settings), List.of(http, https), true);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxrwxrwx" : "rw-r--r--"));
            }
        }
        Process server = new ProcessBuilder(apache.toString(), "-X", "-f", wrapper.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        try {
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", http)))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            waitUntilListening(client, server, dir);
            checkTlsRouting(curl, dir, ca.caFile(), http, https, tree);
            assertTrue(readOrEmpty(log).contains("\"GET /mobileconfig/example.com.mobileconfig HTTP/1.1\" 200"),
                    () -> "the access log is the configured file: " + readOrEmpty(log));
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            responder.stop();
        }
    }

    // ---- real Apache httpd ------------------------------------------------------------------------------------

    private static final String MODULES = "/usr/lib/apache2/modules";

    private static Path apacheOrSkip() {
        Optional<Path> apache = binary("/usr/sbin/apache2", "/usr/sbin/httpd");
        boolean modules = Files.isRegularFile(Path.of(MODULES, "mod_rewrite.so"));
        if (apache.isEmpty() || !modules) {
            System.err.println("SKIPPED: Apache httpd (Debian layout) not installed;"
                    + " `apt-get install -y apache2` to test the Apache config");
        }
        assumeTrue(apache.isPresent() && modules, "Apache httpd not installed: Apache config not tested for real");
        return apache.get();
    }

    private static Path wrapApache(Path dir, byte[] rendered, int port) throws IOException {
        return wrapApache(dir, new String(rendered, StandardCharsets.UTF_8)
                .replace("<VirtualHost *:80>", "<VirtualHost *:" + port + ">").getBytes(StandardCharsets.UTF_8),
                List.of(port), false);
    }

    /** A wrapper httpd.conf in {@code dir} that includes {@code rendered} unchanged, listening on {@code ports}. */
    private static Path wrapApache(Path dir, byte[] rendered, List<Integer> ports, boolean ssl) throws IOException {
        Files.write(dir.resolve("autogen.conf"), rendered);
        Files.createDirectories(dir.resolve("run"));
        List<String> lines = new ArrayList<>(List.of(
                "ServerRoot \"" + dir + "\"",
                "DefaultRuntimeDir \"" + dir.resolve("run") + "\"",
                "PidFile \"" + dir.resolve("run/httpd.pid") + "\"",
                "Mutex file:" + dir.resolve("run") + " default",
                "ServerName localhost",
                "ErrorLog \"" + dir.resolve("error.log") + "\"",
                "LogLevel warn"));
        for (int port : ports) {
            lines.add("Listen 127.0.0.1:" + port);
        }
        List<String> modules = new ArrayList<>(List.of("mpm_event", "authz_core", "rewrite", "proxy", "proxy_http",
                "headers"));
        if (ssl) {
            modules.addAll(List.of("socache_shmcb", "ssl"));
        }
        for (String m : modules) {
            lines.add("LoadModule " + m + "_module " + MODULES + "/mod_" + m + ".so");
        }
        if ("root".equals(System.getProperty("user.name"))) {
            lines.add("User #65534");  // httpd refuses to serve as root
            lines.add("Group #65534");
        }
        lines.add("Include \"" + dir.resolve("autogen.conf") + "\"");
        Path wrapper = dir.resolve("httpd.conf");
        Files.writeString(wrapper, String.join("\n", lines) + "\n");
        return wrapper;
    }

    @Test
    void apacheAcceptsTheConfig(@TempDir Path dir) throws Exception {
        Path apache = apacheOrSkip();
        Path wrapper = wrapApache(dir, WebServerConfig.apache(TEMPLATES, site(), SETTINGS), freePort());
        String out = run(dir, apache.toString(), "-t", "-f", wrapper.toString());
        assertTrue(out.contains("Syntax OK"), out);
    }

    /** 100,000 domains with their own Autodiscover hosts: 100,000 ServerAlias names, still a valid config. */
    @Test
    void apacheAcceptsTheConfigFor100kDomains(@TempDir Path dir) throws Exception {
        Path apache = apacheOrSkip();
        List<Domain> domains = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            String d = "customer-domain-" + i + ".example";
            domains.add(new Domain(d, List.of(), List.of(), Optional.empty(), Optional.empty(),
                    "mail." + d, Optional.empty()));
        }
        Site big = new Site(List.of(new Provider("big.example", "Big", "Big", Optional.empty(), domains)), List.of());
        Path wrapper = wrapApache(dir, WebServerConfig.apache(TEMPLATES, big, SETTINGS), freePort());
        String out = run(dir, apache.toString(), "-t", "-f", wrapper.toString());
        assertTrue(out.contains("Syntax OK"), out);
    }

    @Test
    void apacheServesStaticFilesAndProxiesTheRest(@TempDir Path dir) throws Exception {
        Path apache = apacheOrSkip();
        PublicTree tree = PublicTree.create(dir.resolve("public"));
        StandIn responder = StandIn.start();
        int port = freePort();
        RenderSettings settings = new RenderSettings(Optional.empty(), tree.root().toString(), responder.url());
        Path wrapper = wrapApache(dir, WebServerConfig.apache(TEMPLATES, site(), settings), port);
        // The worker runs as nobody: it must be able to read the tree.
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Process server = new ProcessBuilder(apache.toString(), "-X", "-f", wrapper.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        try {
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            waitUntilListening(client, server, dir);
            checkCommonRouting(client, tree, responder);
            // Apache derives the domain from autoconfig.<d>/autodiscover.<d> only: other Autodiscover hosts serve
            // requests with an address (see the template).
            assertEquals(404, get(client, "http://mail.example.net/mail/config-v1.1.xml").statusCode());
            HttpResponse<byte[]> r = get(client, "http://mail.example.net/mail/config-v1.1.xml?emailaddress=a%40example.net");
            assertTrue(text(r).startsWith("responder: GET /mail/config-v1.1.xml?emailaddress=a%40example.net"), text(r));
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            responder.stop();
        }
    }

    // ---- compact layout ---------------------------------------------------------------------------------------

    private static Site compact(Site site) {
        return site.withLayout(dev.autogen.model.Layout.COMPACT);
    }

    @Test
    void goldenCompact() {
        MobileconfigRendererTest.assertGolden("web/compact/nginx.conf",
                WebServerConfig.nginx(TEMPLATES, compact(site()), SETTINGS));
        MobileconfigRendererTest.assertGolden("web/compact/apache.conf",
                WebServerConfig.apache(TEMPLATES, compact(site()), SETTINGS));
        MobileconfigRendererTest.assertGolden("web/compact-tls-per-domain/nginx.conf",
                WebServerConfig.nginx(TEMPLATES, compact(site().withWeb(PER_DOMAIN)), SETTINGS));
        MobileconfigRendererTest.assertGolden("web/compact-tls-per-domain/apache.conf",
                WebServerConfig.apache(TEMPLATES, compact(site().withWeb(PER_DOMAIN)), SETTINGS));
    }

    /** No line names a listed domain: only the Autodiscover host outside the wildcards (mail.example.net) stays. */
    @Test
    void compactConfigsHaveNoPerDomainLine() {
        for (Site s : List.of(compact(site()), compact(site().withWeb(ONE_CERTIFICATE)),
                compact(site().withWeb(PER_DOMAIN)))) {
            String nginx = new String(WebServerConfig.nginx(TEMPLATES, s, SETTINGS), StandardCharsets.UTF_8);
            for (String d : List.of("example.com", "serverless.tld", "shared-a.example", "shared-b.example")) {
                assertFalse(nginx.contains(d), d + " in\n" + nginx);
            }
            assertFalse(nginx.contains("root "), "no public tree");
            assertFalse(nginx.contains("/srv/autogen/current/public"), "no public tree");
            assertTrue(nginx.contains("location / { proxy_pass http://autogen_responder; }"), nginx);
            String apache = new String(WebServerConfig.apache(TEMPLATES, s, SETTINGS), StandardCharsets.UTF_8);
            assertFalse(apache.contains("/srv/autogen/current/public/"), apache);
            if (!s.web().perDomainCertificate()) { // Apache: one virtual host per certificate (docs/scaling.md)
                for (String d : List.of("example.com", "serverless.tld", "shared-a.example")) {
                    assertFalse(apache.contains(d), d + " in\n" + apache);
                }
            }
        }
        WebServerConfig.Model m = WebServerConfig.model(TEMPLATES, compact(site()), SETTINGS);
        assertEquals(List.of(new WebServerConfig.HostEntry("mail.example.net", "example.net")), m.hostMap());
        assertTrue(m.compact() && m.hosting().caldav().isEmpty() && m.hosting().carddav().isEmpty());
    }

    @Test
    void nginxAndApacheAcceptTheCompactConfigs(@TempDir Path dir) throws Exception {
        Path nginx = nginxOrSkip();
        Path apache = apacheOrSkip();
        for (var sample : MobileconfigRendererTest.samples().entrySet()) {
            Site s = compact(sample.getValue());
            Path n = Files.createDirectories(dir.resolve(sample.getKey() + "-nginx"));
            String out = run(n, nginx.toString(), "-t", "-p", n.toString(), "-c",
                    wrap(n, WebServerConfig.nginx(TEMPLATES, s, SETTINGS), freePort()).toString());
            assertTrue(out.contains("test is successful"), sample.getKey() + ": " + out);
            Path a = Files.createDirectories(dir.resolve(sample.getKey() + "-apache"));
            out = run(a, apache.toString(), "-t", "-f",
                    wrapApache(a, WebServerConfig.apache(TEMPLATES, s, SETTINGS), freePort()).toString());
            assertTrue(out.contains("Syntax OK"), sample.getKey() + ": " + out);
        }
        int i = 0;
        for (WebSettings web : tlsSettings(dir.resolve("certs"), dir)) {
            Site s = compact(site().withWeb(web));
            String out = nginxTest(nginx, Files.createDirectories(dir.resolve("tls-nginx" + i)), s);
            assertTrue(out.contains("test is successful"), out);
            if (!web.http().isEmpty()) {
                out = apacheTest(apache, Files.createDirectories(dir.resolve("tls-apache" + i)), s, web);
                assertTrue(out.contains("Syntax OK"), out);
            }
            i++;
        }
    }

    /**
     * Real NGINX in the compact layout, plain HTTP and HTTPS with a certificate per domain chosen by the SNI pattern:
     * every route reaches the responder with the host name, health and metrics stay refused.
     */
    @Test
    void nginxCompactProxiesEverythingToTheResponder(@TempDir Path dir) throws Exception {
        Path nginx = nginxOrSkip();
        Path curl = curlOrSkip();
        Path certs = dir.resolve("certs");
        TestCertificates ca = perDomainCertificates(certs);
        StandIn responder = StandIn.start();
        int http = freePort();
        int https = freePort();
        RenderSettings settings = new RenderSettings(Optional.empty(), "/nonexistent/public", responder.url());
        WebSettings web = new WebSettings(List.of("127.0.0.1:" + http), List.of("127.0.0.1:" + https),
                perDomain(certs, http, https).certificate(), perDomain(certs, http, https).certificateKey(), false,
                Optional.of("off"));
        Path wrapper = wrap(dir, WebServerConfig.nginx(TEMPLATES, compact(site().withWeb(web)), settings), 0);
        Process server = startNginx(nginx, dir, wrapper);
        try {
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", http)))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            waitUntilListening(client, server, dir);
            for (String url : List.of("http://autoconfig.example.com/", "http://autoconfig.example.com/mail/config-v1.1.xml",
                    "http://autodiscover.example.net/.well-known/autoconfig/mail/config-v1.1.xml",
                    "http://autoconfig.example.com/mobileconfig/example.com.mobileconfig",
                    "http://ua-auto-config.example.com/.well-known/user-agent-configuration.json",
                    "http://autoconfig.shared-a.example/.well-known/caldav",
                    "http://autoconfig.not-listed.example/mail/config-v1.1.xml?emailaddress=a%40not-listed.example")) {
                HttpResponse<byte[]> r = get(client, url);
                URI u = URI.create(url);
                String expected = "responder: GET " + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
                        + " host=" + u.getHost() + " xfh=" + u.getHost() + " xfp=http ";
                assertEquals(200, r.statusCode(), url);
                assertTrue(text(r).startsWith(expected), url + ": " + text(r));
            }
            assertEquals(403, get(client, "http://autoconfig.example.com/health").statusCode());
            assertEquals(403, get(client, "http://autoconfig.example.com/metrics").statusCode());

            // HTTPS: the certificate of the name's domain, picked by the pattern (curl verifies it against the CA).
            for (String host : List.of("autoconfig.example.com", "autodiscover.shared-b.example", "mail.example.net")) {
                Curl r = curl(curl, dir, ca.caFile(), "https://" + host + ":" + https + "/", null);
                assertEquals(200, r.status(), host);
                assertTrue(r.text().startsWith("responder: GET / host=" + host + " xfh=" + host + " xfp=https "),
                        r.text());
            }
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            responder.stop();
        }
    }

    private static void waitUntilListening(HttpClient client, Process server, Path dir) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!server.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("stdout.log"))
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            }
            try {
                get(client, "http://autoconfig.example.com/");
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nginx did not start listening");
    }

    private static HttpResponse<byte[]> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    /** nginx in the foreground with {@code dir} as its prefix; its output goes to {@code dir/stdout.log}. */
    private static Process startNginx(Path nginx, Path dir, Path wrapper) throws java.io.IOException {
        return new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", wrapper.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    }
}
