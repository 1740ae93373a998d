package dev.autogen.responder;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.PropertyListParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The production chain over TLS: {@code autogen render} of a site whose {@code web:} section asks for HTTPS with a
 * certificate per domain (made at test time by a private CA with the real openssl), the real responder behind a real
 * NGINX running the rendered {@code conf/nginx/autogen.conf} unedited, and curl (real TLS with SNI, verified against
 * the test CA) asking what clients ask: autoconfig with and without {@code emailaddress}, Autodiscover POST, the
 * address-less and the per-user Apple profile; plain HTTP answers autoconfig and redirects the rest.
 */
class NginxTlsEndToEndTest {
    @TempDir
    static Path work;
    private static Process responder;
    private static Process nginx;
    private static Path curl;
    private static int http;
    private static int https;
    private static String skipped;

    /** Marks a subclass whose site is rendered in the compact layout. */
    interface CompactLayout {}

    // One @BeforeAll for both classes: JUnit also ran a superclass's static @BeforeAll that a subclass's hid, which
    // started a second NGINX and responder and left one pair running.
    @BeforeAll
    static void renderAndServe(TestInfo info) throws Exception {
        start(CompactLayout.class.isAssignableFrom(info.getTestClass().orElseThrow()) ? "compact" : "tree");
    }

    /** Renders the site in {@code layout} (tree: NGINX serves the static files; compact: the responder answers all). */
    static void start(String layout) throws Exception {
        Optional<Path> nginxBinary = binary("/usr/sbin/nginx", "nginx");
        Optional<Path> openssl = binary("/usr/bin/openssl", "openssl");
        Optional<Path> curlBinary = binary("/usr/bin/curl", "curl");
        if (nginxBinary.isEmpty() || openssl.isEmpty() || curlBinary.isEmpty()) {
            skipped = "nginx, openssl or curl not installed (apt-get install -y nginx openssl curl)";
            System.err.println("SKIPPED: " + skipped);
            return;
        }
        curl = curlBinary.get();
        Path certs = work.resolve("certs");
        Files.createDirectories(certs);
        openssl(openssl.get(), certs, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=autogen test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        for (String domain : List.of("example.com", "example.org")) {
            issue(openssl.get(), certs, domain);
        }

        int responderPort = freePort();
        http = freePort();
        https = freePort();
        Path yaml = Files.writeString(work.resolve("site.yaml"), """
                providers:
                  - name: Example Mail
                    servers:
                      - type: imap
                        hostname: imap.example.com
                      - type: smtp
                        hostname: smtp.example.com
                    domains: [example.com, example.org]
                layout: %s
                web:
                  http: "127.0.0.1:%d"
                  https: "127.0.0.1:%d"
                  certificate: %s/live/autoconfig.{domain}/fullchain.pem
                  certificateKey: %s/live/autoconfig.{domain}/privkey.pem
                  accessLog: %s/access.log
                """.formatted(layout, http, https, certs, certs, work));
        Path site = work.resolve("site");
        int code = cli("render", yaml.toString(), "--out", site.toString(), "--quiet",
                "--responder-url", "http://127.0.0.1:" + responderPort);
        assertEquals(0, code, "autogen render failed");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        responder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--site", site.toString(), "--listen", "127.0.0.1:" + responderPort,
                "--no-access-log").redirectErrorStream(true).redirectOutput(work.resolve("responder.log").toFile())
                .start();

        Path dir = Files.createDirectories(work.resolve("nginx"));
        Files.createDirectories(dir.resolve("tmp"));
        Path wrapper = Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "master_process off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " info;",
                "events { worker_connections 64; }",
                "http {",
                "  client_body_temp_path " + dir.resolve("tmp") + ";",
                "  proxy_temp_path " + dir.resolve("tmp") + ";",
                "  fastcgi_temp_path " + dir.resolve("tmp") + ";",
                "  uwsgi_temp_path " + dir.resolve("tmp") + ";",
                "  scgi_temp_path " + dir.resolve("tmp") + ";",
                "  include " + site.resolve("current/conf/nginx/autogen.conf") + ";",
                "}", ""));
        nginx = new ProcessBuilder(nginxBinary.get().toString(), "-p", dir.toString(), "-c", wrapper.toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!listening(responderPort) || !listening(https) || !listening(http)) {
            if (!responder.isAlive() || !nginx.isAlive() || System.nanoTime() > deadline) {
                fail("did not start:\nresponder: " + Files.readString(work.resolve("responder.log"))
                        + "\nnginx: " + Files.readString(dir.resolve("stdout.log"))
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process p : new Process[] {nginx, responder}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void autoconfigOverHttpsWithAndWithoutAddress() throws Exception {
        Answer a = get("https://autoconfig.example.com:" + https + "/mail/config-v1.1.xml");
        assertEquals(200, a.status);
        Document doc = xml(a.body);
        assertEquals("%EMAILADDRESS%", text(doc, "username"), "static: the client fills the placeholders in");
        assertEquals("imap.example.com", text(doc, "hostname"));

        a = get("https://autoconfig.example.org:" + https
                + "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=jane%40example.org");
        assertEquals(200, a.status, a.text());
        doc = xml(a.body);
        assertEquals("jane@example.org", text(doc, "username"), "the responder filled in the address");
        assertEquals("example.org", text(doc, "emailProvider") == null ? null
                : doc.getElementsByTagName("domain").item(1).getTextContent(), "the provider's domains, in order");
    }

    @Test
    void autodiscoverPostOverHttps() throws Exception {
        String request = """
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request>
                    <EMailAddress>jane@example.com</EMailAddress>
                    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
                  </Request>
                </Autodiscover>
                """;
        Answer a = curl("https://autodiscover.example.com:" + https + "/Autodiscover/Autodiscover.xml", request);
        assertEquals(200, a.status, a.text());
        Document doc = xml(a.body);
        assertEquals("jane@example.com", text(doc, "LoginName"));
        assertEquals("imap.example.com", text(doc, "Server"));
    }

    @Test
    void profilesOverHttps() throws Exception {
        Answer a = get("https://autoconfig.example.com:" + https + "/mobileconfig/example.com.mobileconfig");
        assertEquals(200, a.status);
        assertEquals("application/x-apple-aspen-config", a.header("content-type"));
        assertTrue(PropertyListParser.parse(a.body) instanceof NSDictionary);

        a = get("https://autoconfig.example.org:" + https + "/mobileconfig?emailaddress=jane%40example.org");
        assertEquals(200, a.status, a.text());
        NSDictionary profile = (NSDictionary) PropertyListParser.parse(a.body);
        NSObject[] payloads = ((com.dd.plist.NSArray) profile.objectForKey("PayloadContent")).getArray();
        NSDictionary mail = (NSDictionary) payloads[0];
        assertEquals("jane@example.org", mail.objectForKey("EmailAddress").toJavaObject());
    }

    @Test
    void plainHttpAnswersAutoconfigAndRedirectsTheRest() throws Exception {
        Answer a = get("http://autoconfig.example.com:" + http + "/mail/config-v1.1.xml");
        assertEquals(200, a.status, "KMail asks over http only");
        assertEquals("%EMAILADDRESS%", text(xml(a.body), "username"));
        a = get("http://autoconfig.example.com:" + http + "/mail/config-v1.1.xml?emailaddress=jane%40example.com");
        assertEquals("jane@example.com", text(xml(a.body), "username"));
        a = get("http://autoconfig.example.com:" + http + "/mobileconfig?emailaddress=jane%40example.com");
        assertEquals(301, a.status);
        assertEquals("https://autoconfig.example.com:" + https + "/mobileconfig?emailaddress=jane%40example.com",
                a.header("location"));
        a = get("http://autodiscover.example.com:" + http + "/autodiscover/autodiscover.xml");
        assertEquals(302, a.status);
        assertEquals("https://autodiscover.example.com:" + https + "/autodiscover/autodiscover.xml", a.header("location"));
        assertTrue(Files.readString(work.resolve("access.log")).contains("GET /mail/config-v1.1.xml"),
                "the configured access log");
    }

    @Test
    void setupPageOverHttpsUnderItsPolicy() throws Exception {
        Answer a = get("https://autoconfig.example.org:" + https + "/");
        assertEquals(200, a.status, a.text());
        assertEquals("text/html; charset=utf-8", a.header("content-type"));
        assertTrue(a.header("content-security-policy").startsWith("default-src 'none'; style-src 'sha256-"),
                a.headers);
        assertEquals("no-referrer", a.header("referrer-policy"));
        assertEquals("nosniff", a.header("x-content-type-options"));
        assertTrue(a.text().contains("<h1>Set up email for example.org</h1>"), a.text());
        assertTrue(a.text().contains("QR code of https://autoconfig.example.org/mobileconfig/example.org.mobileconfig"));
        assertEquals(404, get("https://autoconfig.example.com:" + https + "/nothing-here").status);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private record Answer(int status, String headers, byte[] body) {
        String header(String name) {
            return headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static Answer get(String url) throws Exception {
        return curl(url, null);
    }

    /** curl with real TLS and SNI, verified against the test CA; the host name resolves to 127.0.0.1 for it only. */
    private static Answer curl(String url, String post) throws Exception {
        assumeTrue(skipped == null, skipped);
        URI u = URI.create(url);
        Path headers = Files.createTempFile(work, "headers", ".txt");
        Path body = Files.createTempFile(work, "body", ".bin");
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "--max-time", "10", "--noproxy", "*",
                "--cacert", work.resolve("certs/ca.pem").toString(),
                "--resolve", u.getHost() + ":" + u.getPort() + ":127.0.0.1",
                "-D", headers.toString(), "-o", body.toString(), "-w", "%{http_code}"));
        if (post != null) {
            command.addAll(List.of("-H", "Content-Type: text/xml; charset=utf-8", "--data-binary", post));
        }
        command.add(url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl timed out: " + url);
        assertEquals(0, p.exitValue(), "curl " + url + ": " + out);
        return new Answer(Integer.parseInt(out.trim()), Files.readString(headers), Files.readAllBytes(body));
    }

    private static Document xml(byte[] body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    }

    private static String text(Document doc, String tag) {
        return doc.getElementsByTagNameNS("*", tag).getLength() > 0
                ? doc.getElementsByTagNameNS("*", tag).item(0).getTextContent().trim()
                : doc.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    /** A certificate for autoconfig.<d> and autodiscover.<d>, in Let's Encrypt's layout. */
    private static void issue(Path openssl, Path certs, String domain) throws Exception {
        Path out = Files.createDirectories(certs.resolve("live/autoconfig." + domain));
        Files.writeString(out.resolve("ext.cnf"), "subjectAltName=DNS:autoconfig." + domain + ",DNS:autodiscover."
                + domain + "\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n");
        openssl(openssl, certs, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", out.resolve("privkey.pem").toString(), "-out", out.resolve("req.csr").toString(),
                "-subj", "/CN=autoconfig." + domain);
        openssl(openssl, certs, "x509", "-req", "-in", out.resolve("req.csr").toString(), "-CA", "ca.pem",
                "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", out.resolve("ext.cnf").toString(),
                "-out", out.resolve("cert.pem").toString());
        Files.writeString(out.resolve("fullchain.pem"), Files.readString(out.resolve("cert.pem"))
                + Files.readString(certs.resolve("ca.pem")));
    }

    private static void openssl(Path openssl, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(openssl.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl timed out");
        assertEquals(0, p.exitValue(), "openssl " + command + "\n" + out);
    }

    private static Optional<Path> binary(String... candidates) {
        for (String c : candidates) {
            if (c.startsWith("/") && Files.isExecutable(Path.of(c))) {
                return Optional.of(Path.of(c));
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String c : candidates) {
                Path p = Path.of(dir.isEmpty() ? "." : dir).resolve(Path.of(c).getFileName());
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@code autogen} in this JVM; its output goes to this test's standard error. */
    private static synchronized int cli(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            return dev.autogen.cli.Main.run(args);
        } finally {
            System.setOut(out);
            System.err.print(captured.toString(StandardCharsets.UTF_8));
        }
    }
}
