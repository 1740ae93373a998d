package dev.autogen.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autogen.cli.ExitCodes;
import dev.autogen.cli.ProbeCommand;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.autogen.probe.Documents.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe's transport against real servers on loopback: a Jetty deployment over TLS (HTTP/2 and HTTP/1.1 by ALPN)
 * with a certificate from a test CA made at test time, and over plain HTTP; an HTTP proxy; redirect chains.
 */
class ProbeTransportTest {
    /** A name that resolves nowhere: reachable only through {@link TestProxy}, which maps every name to loopback. */
    private static final String UNRESOLVABLE = "autoconfig.example.test";

    @TempDir
    static Path dir;
    private static Server server;
    private static int tlsPort;
    private static int plainPort;
    private static Path caPem;
    private static final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = new TestPki("localhost", UNRESOLVABLE);
        caPem = pki.writeCaPem(dir.resolve("test-ca.pem"));

        server = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(pki.serverKeyStore);
        tls.setKeyStorePassword(new String(TestPki.PASSWORD));
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer(false)); // SNI checks off: the probe sends names and IPs
        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        ServerConnector tlsConnector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, http2, http11);
        tlsConnector.setHost("127.0.0.1");
        ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration()));
        plain.setHost("127.0.0.1");
        server.addConnector(tlsConnector);
        server.addConnector(plain);
        server.setHandler(new Deployment());
        server.start();
        tlsPort = tlsConnector.getLocalPort();
        plainPort = plain.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    /**
     * A good deployment at {@code /}; under {@code /via-http/} every request is redirected to the plain-HTTP
     * connector and from there back to the real document over https; under {@code /all-https/} once, over https.
     */
    private static final class Deployment extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = request.getHttpURI().getPath();
            String query = request.getHttpURI().getQuery();
            String rest = query == null ? "" : "?" + query;
            seen.add(request.getMethod() + " " + request.getHttpURI().getScheme() + " " + request.getConnectionMetaData().getProtocol()
                    + " " + path + " Host=" + request.getHeaders().get(HttpHeader.HOST) + " authority=" + request.getHttpURI().getAuthority());
            if (path.startsWith("/via-http/")) {
                return redirect(response, callback, 301, "http://127.0.0.1:" + plainPort + "/hop/" + path.substring(10) + rest);
            }
            if (path.startsWith("/hop/")) {
                return redirect(response, callback, 307, "https://localhost:" + tlsPort + "/" + path.substring(5) + rest);
            }
            if (path.startsWith("/all-https/")) {
                return redirect(response, callback, 308, "https://localhost:" + tlsPort + "/" + path.substring(11) + rest);
            }
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            String type = "text/xml; charset=utf-8";
            String answer;
            int status = 200;
            if (path.endsWith("/config-v1.1.xml")) {
                answer = Documents.AUTOCONFIG;
            } else if (path.equals("/autodiscover/autodiscover.xml")) {
                answer = request.getMethod().equals("POST") && body.contains(ADDRESS) ? Documents.AUTODISCOVER
                        : "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">"
                        + "<Response><Error><ErrorCode>600</ErrorCode><Message>Invalid Request</Message></Error></Response></Autodiscover>";
            } else if (path.startsWith("/autodiscover/autodiscover.json")) {
                type = "application/json";
                answer = "{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"https://autodiscover.example.com/autodiscover/autodiscover.xml\"}";
            } else if (path.equals("/mobileconfig/") && query != null) {
                type = "application/x-apple-aspen-config";
                answer = Documents.profile(ADDRESS).toXMLPropertyList();
            } else if (path.equals("/mobileconfig/example.com.mobileconfig")) {
                type = "application/x-apple-aspen-config";
                answer = Documents.profile(null).toXMLPropertyList();
            } else {
                status = 404;
                answer = "not found";
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.write(true, ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }

        private static boolean redirect(Response response, Callback callback, int status, String location) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.LOCATION, location);
            response.write(true, ByteBuffer.allocate(0), callback);
            return true;
        }
    }

    private record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    private static Run probe(Map<String, String> environment, String... args) {
        ProbeCommand command = new ProbeCommand();
        command.environment = environment;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Not about PACC, whose default is https://ua-auto-config.<domain> and a DNS lookup: nothing off loopback.
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--no-pacc";
        int code = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<String> all(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.get(field).asText()));
        return values;
    }

    @Test
    void httpsWithATestCaUsesHttp2AndPasses() throws Exception {
        Run run = probe(Map.of(), "https://localhost:" + tlsPort, "--email", ADDRESS, "--cacert", caPem.toString(), "--json");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        JsonNode report = run.json();
        assertTrue(report.get("ok").asBoolean());
        assertTrue(report.get("reachable").asBoolean());
        assertEquals(10, report.get("requests").size());
        // The server offers h2 and http/1.1 by ALPN: the probe speaks HTTP/2 and the server saw it.
        assertEquals(List.of("HTTP/2.0"), all(report.get("requests"), "protocol").stream().distinct().toList(), run.out);
        assertTrue(seen.stream().allMatch(s -> s.contains(" https HTTP/2.0 ")), seen::toString);
        assertTrue(seen.stream().allMatch(s -> s.contains(" authority=localhost:" + tlsPort)), seen::toString);
    }

    @Test
    void anUntrustedCertificateIsAClientRejectionNotAConnectionFailure() throws Exception {
        Run run = probe(Map.of(), "https://localhost:" + tlsPort, "--email", ADDRESS, "--json");
        assertEquals(ExitCodes.PROBE_FAILED, run.exitCode, run::toString);
        JsonNode first = run.json().get("requests").get(0);
        assertEquals(-1, first.get("status").asInt());
        assertFalse(first.get("unreachable").asBoolean());
        assertTrue(first.get("problems").get(0).asText().startsWith("no answer: TLS with https://localhost:" + tlsPort + " failed: "),
                first.toString());
        assertTrue(seen.isEmpty(), seen::toString);
    }

    @Test
    void throughAProxyWithConnectForHttpsAndForwardingForHttp() throws Exception {
        try (TestProxy proxy = new TestProxy()) {
            // https: a CONNECT tunnel, TLS end to end (the certificate names the unresolvable host).
            Run run = probe(Map.of(), "https://" + UNRESOLVABLE + ":" + tlsPort, "--email", ADDRESS,
                    "--cacert", caPem.toString(), "--proxy", proxy.url(), "--json");
            assertEquals(ExitCodes.OK, run.exitCode, run::toString);
            assertTrue(proxy.seen.contains("CONNECT " + UNRESOLVABLE + ":" + tlsPort + " HTTP/1.1"), proxy.seen::toString);
            assertEquals(10, seen.size(), seen::toString);

            // http: from the http_proxy environment variable; the proxy forwards absolute-form requests.
            proxy.seen.clear();
            seen.clear();
            run = probe(Map.of("http_proxy", proxy.url()), "http://" + UNRESOLVABLE + ":" + plainPort, "--email", ADDRESS, "--json");
            assertEquals(ExitCodes.OK, run.exitCode, run::toString);
            assertTrue(proxy.seen.contains("GET http://" + UNRESOLVABLE + ":" + plainPort + "/mail/config-v1.1.xml HTTP/1.1"),
                    proxy.seen::toString);
            assertTrue(proxy.seen.contains("POST http://" + UNRESOLVABLE + ":" + plainPort + "/autodiscover/autodiscover.xml HTTP/1.1"),
                    proxy.seen::toString);
            assertEquals(10, proxy.seen.size(), proxy.seen::toString);

            // no_proxy names the host: direct, and the name resolves nowhere.
            proxy.seen.clear();
            run = probe(Map.of("http_proxy", proxy.url(), "no_proxy", "localhost,.example.test"),
                    "http://" + UNRESOLVABLE + ":" + plainPort, "--email", ADDRESS, "--json");
            assertEquals(ExitCodes.UNREACHABLE, run.exitCode, run::toString);
            assertTrue(proxy.seen.isEmpty(), proxy.seen::toString);
        }
    }

    @Test
    void aRedirectChainWithAnHttpHopIsUntrustedByThunderbirdForAndroid() throws Exception {
        Run run = probe(Map.of(), "https://localhost:" + tlsPort + "/via-http", "--email", ADDRESS,
                "--cacert", caPem.toString(), "--json");
        assertEquals(ExitCodes.PROBE_FAILED, run.exitCode, run::toString);
        JsonNode report = run.json();
        JsonNode k9 = null;
        JsonNode thunderbird = null;
        JsonNode outlook = null;
        for (JsonNode c : report.get("clients")) {
            switch (c.get("client").asText()) {
                case AutoconfigRules.K9 -> k9 = k9 == null ? c : k9;
                case AutoconfigRules.THUNDERBIRD -> thunderbird = thunderbird == null ? c : thunderbird;
                case AutodiscoverRules.OUTLOOK -> outlook = c;
                default -> { }
            }
        }
        assertFalse(k9.get("ok").asBoolean(), k9::toString);
        assertTrue(k9.get("problems").get(0).asText().startsWith("redirected over http (http://127.0.0.1:" + plainPort
                + "/hop/mail/config-v1.1.xml): Thunderbird for Android trusts settings only when every hop is https"), k9::toString);
        assertTrue(thunderbird.get("ok").asBoolean(), thunderbird::toString);
        assertTrue(thunderbird.get("notes").toString().contains("followed redirects, one over http"), thunderbird::toString);
        assertFalse(outlook.get("ok").asBoolean(), outlook::toString); // Outlook follows https redirects only
        JsonNode first = report.get("requests").get(0);
        assertEquals(200, first.get("status").asInt());
        assertEquals(List.of("301 https://localhost:" + tlsPort + "/via-http/mail/config-v1.1.xml?emailaddress=alice%40example.com"
                        + " -> http://127.0.0.1:" + plainPort + "/hop/mail/config-v1.1.xml?emailaddress=alice%40example.com",
                        "307 http://127.0.0.1:" + plainPort + "/hop/mail/config-v1.1.xml?emailaddress=alice%40example.com"
                        + " -> https://localhost:" + tlsPort + "/mail/config-v1.1.xml?emailaddress=alice%40example.com"),
                redirects(first));
        // The POST kept its method and body through the 301 and 307 (Outlook re-sends it).
        assertTrue(seen.contains("POST https HTTP/2.0 /autodiscover/autodiscover.xml Host=null authority=localhost:" + tlsPort), seen::toString);

        Run text = probe(Map.of(), "https://localhost:" + tlsPort + "/via-http", "--email", ADDRESS, "--cacert", caPem.toString());
        assertTrue(text.out.contains("         redirect: 301 https://localhost:" + tlsPort + "/via-http/"), text.out);
    }

    private static List<String> redirects(JsonNode request) {
        List<String> values = new ArrayList<>();
        request.get("redirects").forEach(n -> values.add(n.asText()));
        return values;
    }

    @Test
    void aRedirectChainThatStaysOnHttpsIsTrusted() throws Exception {
        Run run = probe(Map.of(), "https://localhost:" + tlsPort + "/all-https", "--email", ADDRESS,
                "--cacert", caPem.toString(), "--json");
        assertEquals(ExitCodes.OK, run.exitCode, run::toString);
        for (JsonNode c : run.json().get("clients")) {
            if (c.get("client").asText().equals(AutoconfigRules.K9)) {
                assertTrue(c.get("notes").get(0).asText().startsWith("followed redirects, all https: 308 "), c::toString);
            }
        }
    }

    @Test
    void couldNotConnectHasItsOwnExitCode() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Run run = probe(Map.of(), "http://127.0.0.1:" + closed, "--email", ADDRESS, "--timeout", "5");
        assertEquals(ExitCodes.UNREACHABLE, run.exitCode, run::toString);
        assertTrue(run.out.contains("FAIL: could not connect to the deployment"), run.out);
        assertTrue(run.out.contains("no answer: could not connect to http://example.com:" + closed), run.out);

        // A proxy that is not there is the same: nothing was reached.
        run = probe(Map.of("https_proxy", "127.0.0.1:" + closed), "https://localhost:" + tlsPort, "--email", ADDRESS, "--json");
        assertEquals(ExitCodes.UNREACHABLE, run.exitCode, run::toString);
        assertFalse(run.json().get("reachable").asBoolean());
    }
}
