package dev.autogen.render;

import com.sun.net.httpserver.HttpServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
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
        assertTrue(conf.contains("server_name autoconfig.* autodiscover.* mail.example.net;"), conf);
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
        String conf = new String(rendered, StandardCharsets.UTF_8)
                .replace("    listen 80;\n", "    listen 127.0.0.1:" + port + ";\n")
                .replace("    listen [::]:80;\n", "");
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
    record PublicTree(Path root, byte[] autoconfig, byte[] autoconfigNet, byte[] profile, byte[] setupPage) {
        static PublicTree create(Path pub) throws IOException {
            PublicTree t = new PublicTree(pub,
                    "<clientConfig version=\"1.1\"><!-- example.com --></clientConfig>\n".getBytes(StandardCharsets.UTF_8),
                    "<clientConfig version=\"1.1\"><!-- example.net --></clientConfig>\n".getBytes(StandardCharsets.UTF_8),
                    MobileconfigRenderer.addressless(Fixture.provider(), Fixture.full()),
                    new SetupPageRenderer(TEMPLATES).page(Fixture.provider(), Fixture.full()));
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
        Process server = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", wrapper.toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
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
        Files.writeString(dir.resolve("autogen.conf"), new String(rendered, StandardCharsets.UTF_8)
                .replace("<VirtualHost *:80>", "<VirtualHost *:" + port + ">"));
        Files.createDirectories(dir.resolve("run"));
        List<String> lines = new ArrayList<>(List.of(
                "ServerRoot \"" + dir + "\"",
                "DefaultRuntimeDir \"" + dir.resolve("run") + "\"",
                "PidFile \"" + dir.resolve("run/httpd.pid") + "\"",
                "Mutex file:" + dir.resolve("run") + " default",
                "ServerName localhost",
                "Listen 127.0.0.1:" + port,
                "ErrorLog \"" + dir.resolve("error.log") + "\"",
                "LogLevel warn"));
        for (String m : List.of("mpm_event", "authz_core", "rewrite", "proxy", "proxy_http", "headers")) {
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
}
