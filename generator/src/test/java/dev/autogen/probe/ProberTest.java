package dev.autogen.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.autogen.cli.ExitCodes;
import dev.autogen.cli.ProbeCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.autogen.probe.Documents.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe against a real HTTP server on a free loopback port that plays a deployment, good or broken. */
class ProberTest {
    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    /** What the fake deployment gets wrong; empty for a good one. */
    private volatile Set<String> faults = Set.of();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host=" + exchange.getRequestHeaders().getFirst("Host"));
        String type = "text/xml; charset=utf-8";
        String body;
        int status = 200;
        if (path.endsWith("/config-v1.1.xml")) {
            if (query == null && faults.contains("autoconfig-needs-address")) {
                status = 400;
                body = "missing emailaddress";
            } else {
                body = Documents.AUTOCONFIG;
            }
        } else if (path.equals("/autodiscover/autodiscover.xml")) {
            body = exchange.getRequestMethod().equals("POST") && new String(requestBody, StandardCharsets.UTF_8).contains(ADDRESS)
                    ? Documents.AUTODISCOVER
                    : "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">"
                    + "<Response><Error><ErrorCode>600</ErrorCode><Message>Invalid Request</Message></Error></Response></Autodiscover>";
        } else if (path.startsWith("/autodiscover/autodiscover.json")) {
            type = "application/json";
            body = "{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"https://autodiscover.example.com/autodiscover/autodiscover.xml\"}";
        } else if (path.equals("/mobileconfig/") && query != null) {
            type = "application/x-apple-aspen-config";
            body = Documents.profile(ADDRESS).toXMLPropertyList();
        } else if (path.equals("/mobileconfig/example.com.mobileconfig")) {
            type = "application/x-apple-aspen-config";
            body = Documents.profile(null).toXMLPropertyList();
        } else {
            status = 404;
            body = "not found";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        // Chunked for the JSON answers (length 0 means chunked in HttpServer), fixed length for the rest.
        exchange.sendResponseHeaders(status, type.equals("application/json") ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void goodDeploymentPassesForEveryClientAndHostHeaderIsSent() {
        ProbeReport report = new Prober(new ProbeHttp(base(), "example.com", Duration.ofSeconds(5)), ADDRESS).run();
        assertTrue(report.ok(), report::toText);
        assertEquals(10, report.requests().size(), report::toText);
        assertEquals(Set.of("Thunderbird", "K-9 / Thunderbird for Android", "Outlook", "Apple Mail / iOS"),
                Set.copyOf(report.clients().stream().map(ClientVerdict::client).toList()));
        assertTrue(seen.stream().allMatch(s -> s.endsWith(" Host=example.com")), seen::toString);
        assertTrue(seen.contains("GET /mail/config-v1.1.xml?emailaddress=alice%40example.com Host=example.com"), seen::toString);
        assertTrue(seen.contains("GET /.well-known/autoconfig/mail/config-v1.1.xml Host=example.com"), seen::toString);
        assertTrue(seen.contains("POST /autodiscover/autodiscover.xml Host=example.com"), seen::toString);
    }

    @Test
    void deploymentThatNeedsTheAddressFailsForK9() {
        faults = Set.of("autoconfig-needs-address");
        ProbeReport report = new Prober(new ProbeHttp(base(), null, Duration.ofSeconds(5)), ADDRESS).run();
        assertFalse(report.ok());
        RequestCheck withoutAddress = report.requests().stream()
                .filter(r -> r.path().equals(Prober.AUTOCONFIG)).findFirst().orElseThrow();
        assertEquals(400, withoutAddress.status());
        assertEquals(List.of("HTTP 400, expected 200"), withoutAddress.problems());
        assertTrue(seen.get(0).endsWith("Host=127.0.0.1:" + server.getAddress().getPort()), seen::toString);
    }

    @Test
    void bareResponderIsNotAskedForTheStaticProfile() {
        ProbeReport report = new Prober(new ProbeHttp(base(), "example.com", Duration.ofSeconds(5)), ADDRESS, false).run();
        assertTrue(report.ok(), report::toText);
        assertEquals(9, report.requests().size());
        assertFalse(seen.stream().anyMatch(s -> s.contains(".mobileconfig")), seen::toString);
    }

    @Test
    void commandExitsWithProbeFailedAndPrintsJson() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ProbeCommand()).setOut(new PrintWriter(out));
        assertEquals(ExitCodes.OK, cli.execute(base().toString(), "--email", ADDRESS, "--host", "example.com", "--json",
                "--no-pacc")); // PACC (and its DNS lookup) is PaccRulesTest's and ProbeEndToEndTest's
        assertTrue(out.toString().startsWith("{\"host\":\"example.com\",\"address\":\"alice@example.com\",\"ok\":true,"),
                out::toString);

        faults = Set.of("autoconfig-needs-address");
        StringWriter text = new StringWriter();
        cli = new CommandLine(new ProbeCommand()).setOut(new PrintWriter(text));
        assertEquals(ExitCodes.PROBE_FAILED, cli.execute(base().toString(), "--email", ADDRESS, "--no-pacc"));
        assertTrue(text.toString().contains("FAIL GET /mail/config-v1.1.xml  -> HTTP 400"), text::toString);
    }

    @Test
    void unreachableDeploymentIsAFailureNotACrash() {
        URI closed = base();
        server.stop(0);
        ProbeReport report = new Prober(new ProbeHttp(closed, null, Duration.ofSeconds(2)), ADDRESS).run();
        assertFalse(report.ok());
        assertTrue(report.requests().stream().allMatch(r -> r.status() == -1), report::toText);
        assertTrue(report.clients().isEmpty());
        assertFalse(report.reachable(), report::toText);
        assertTrue(report.requests().stream().allMatch(RequestCheck::unreachable), report::toText);
    }

    @Test
    void aBareResponderAtAnIpAddressIsAskedForTheAddressDomainWithoutHost() {
        CommandLine cli = new CommandLine(new ProbeCommand()).setOut(new PrintWriter(new StringWriter()));
        assertEquals(ExitCodes.OK, cli.execute(base().toString(), "--email", ADDRESS, "--no-pacc"));
        assertFalse(seen.isEmpty());
        assertTrue(seen.stream().allMatch(s -> s.endsWith(" Host=example.com")), seen::toString);
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        CommandLine cli = new CommandLine(new ProbeCommand()).setErr(new PrintWriter(new StringWriter()));
        assertEquals(ExitCodes.USAGE, cli.execute("ftp://example.com", "--email", ADDRESS));
        assertEquals(ExitCodes.USAGE, cli.execute(base().toString(), "--email", "not-an-address"));
        assertEquals(ExitCodes.USAGE, cli.execute(base().toString()));
        assertEquals(ExitCodes.USAGE, cli.execute(base().toString(), "--email", ADDRESS, "--proxy", "socks5://127.0.0.1:1080"));
        assertEquals(ExitCodes.USAGE, cli.execute(base().toString(), "--email", ADDRESS, "--cacert", "/nonexistent/ca.pem"));
    }
}
