package dev.autogen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autogen.dns.NamedServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code autogen dns records} and {@code autogen dns check} against a real BIND named on loopback, serving zones
 * built from the rendered snippets: all PASS; a changed SRV (DRIFT, both values named) and a removed one (MISSING);
 * a stale PACC digest after a YAML change (DRIFT); the server stopped (ERROR within the time limit, exit 11).
 */
class DnsCommandTest {
    static final String YAML = """
            providers:
              - name: Example Mail
                servers:
                  - { type: imap, hostname: imap.example.com }
                  - { type: imap, hostname: imap.example.com, security: STARTTLS }
                  - { type: smtp, hostname: smtp.example.com }
                dav:
                  - { type: caldav, url: "https://dav.example.com/cal/" }
                domains: [example.com, example.net]
            """;

    @TempDir
    static Path dir;
    static Path yaml;

    @BeforeAll
    static void site() throws Exception {
        yaml = dir.resolve("site.yaml");
        Files.writeString(yaml, YAML);
    }

    /** The zones named serves: the snippets as `dns records` prints them, the web server's address, an MX. */
    static Map<String, String> zones(Path config, String... edits) {
        Map<String, String> zones = new LinkedHashMap<>();
        for (String d : List.of("example.com", "example.net")) {
            CliRun r = CliRun.of("dns", "records", config.toString(), "--domain", d);
            assertEquals(0, r.exitCode(), r.toString());
            String zone = r.out() + "autodiscover." + d + ". IN A 192.0.2.10\n"
                    + "@ IN MX 10 mx.example.com.\n";
            for (int i = 0; i + 1 < edits.length; i += 2) { // regular expression, replacement
                zone = zone.replaceAll(edits[i], edits[i + 1]); // the check's results show whether it matched
            }
            zones.put(d, zone);
        }
        return zones;
    }

    private static boolean namedMissing() {
        if (NamedServer.binary().isEmpty()) {
            System.err.println("SKIPPED: named not installed (apt-get install -y bind9): dns check not tested for real");
            return true;
        }
        return false;
    }

    private static CliRun check(NamedServer named, Path config, String... more) {
        return CliRun.of(Stream.concat(Stream.of("dns", "check", config.toString(), "--resolver", named.address(),
                "--timeout", "10"), Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void recordsZoneIsWhatRenderWritesAndJsonHasTheDigestOfTheDocument(@TempDir Path out) throws Exception {
        CliRun render = CliRun.of("render", yaml.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, render.exitCode(), render.toString());
        Path site = out.resolve("current");
        CliRun zone = CliRun.of("dns", "records", yaml.toString(), "--domain", "example.net");
        assertEquals(Files.readString(site.resolve("conf/dns/example.net.zone")), zone.out());

        CliRun json = CliRun.of("dns", "records", yaml.toString(), "--format", "json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode all = new ObjectMapper().readTree(json.out());
        assertEquals(2, all.size());
        byte[] document = Files.readAllBytes(site.resolve("public/example.com/.well-known/user-agent-configuration.json"));
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(document));
        boolean found = false;
        for (JsonNode r : all.get(0).get("records")) {
            if (r.get("name").asText().equals("_ua-auto-config.example.com.")) {
                assertEquals("TXT", r.get("type").asText());
                assertEquals("v=UAAC1; a=sha256; d=" + digest, r.get("values").get(0).asText());
                found = true;
            }
        }
        assertTrue(found, json.out());
        assertEquals(2, CliRun.of("dns", "records", yaml.toString(), "--domain", "nowhere.example").exitCode());
    }

    @Test
    void allPass(@TempDir Path work) throws Exception {
        assumeTrue(!namedMissing(), "named not installed");
        try (NamedServer named = NamedServer.start(work, zones(yaml), 0)) {
            CliRun r = check(named, yaml);
            assertEquals(0, r.exitCode(), r.toString());
            assertFalse(r.out().contains("MISSING "), r.out());
            assertTrue(r.out().contains("PASS     _imaps._tcp.example.com. SRV 10 0 993 imap.example.com."), r.out());
            assertTrue(r.out().contains("PASS     _imap._tcp.example.net. SRV 10 0 143 imap.example.com."), r.out());
            assertTrue(r.out().contains("PASS     _pop3s._tcp.example.com. SRV 0 0 0 ."), r.out());
            assertTrue(r.out().contains("PASS     _caldavs._tcp.example.com. TXT path=/cal/"), r.out());
            assertTrue(r.out().contains("PASS     _ua-auto-config.example.com. TXT v=UAAC1; a=sha256; d="), r.out());
            assertTrue(r.out().contains("PASS     ua-auto-config.example.net. CNAME autodiscover.example.net."), r.out());
            assertTrue(r.out().contains("INFO     example.com. MX 10 mx.example.com. (in the domain itself"), r.out());
            assertTrue(r.out().contains("INFO     example.net. MX 10 mx.example.com.; Thunderbird's MX step tries"
                    + " autoconfig.example.com: served by this site"), r.out());
            assertTrue(r.out().contains("2 domains, 32 records: 32 PASS, 0 MISSING, 0 DRIFT, 0 ERROR"), r.out());
        }
    }

    @Test
    void changedSrvIsDriftRemovedSrvIsMissing(@TempDir Path work) throws Exception {
        assumeTrue(!namedMissing(), "named not installed");
        Map<String, String> zones = zones(yaml,
                "(_imaps\\._tcp\\.example\\.com\\. +IN SRV 10 0 993) imap\\.example\\.com\\.", "$1 old-imap.example.com.",
                "_submissions\\._tcp\\.example\\.net\\. +IN SRV 10 0 465 smtp\\.example\\.com\\.\n", "");
        try (NamedServer named = NamedServer.start(work, zones, 0)) {
            CliRun r = check(named, yaml);
            assertEquals(ExitCodes.DNS_MISMATCH, r.exitCode(), r.toString());
            assertTrue(r.out().contains("DRIFT    _imaps._tcp.example.com. SRV expected 10 0 993 imap.example.com.;"
                    + " found 10 0 993 old-imap.example.com.\n"), r.out());
            assertTrue(r.out().contains("MISSING  _submissions._tcp.example.net. SRV 10 0 465 smtp.example.com.  (no such"
                    + " name)"), r.out());
            assertTrue(r.out().contains("30 PASS, 1 MISSING, 1 DRIFT, 0 ERROR"), r.out());
            CliRun quiet = check(named, yaml, "--quiet");
            assertEquals(3, quiet.out().lines().count(), "only the two problems and the summary:\n" + quiet.out());
        }
    }

    @Test
    void staleDigestAfterYamlChangeIsDrift(@TempDir Path work) throws Exception {
        assumeTrue(!namedMissing(), "named not installed");
        Path changed = work.resolve("changed.yaml");
        Files.writeString(changed, YAML.replace("name: Example Mail", "name: Example Mail and More"));
        try (NamedServer named = NamedServer.start(work.resolve("named"), zones(yaml), 0)) {
            CliRun r = check(named, changed, "--domain", "example.com");
            assertEquals(ExitCodes.DNS_MISMATCH, r.exitCode(), r.toString());
            String line = r.out().lines().filter(l -> l.contains("_ua-auto-config.example.com.")).findFirst().orElseThrow();
            assertTrue(line.startsWith("DRIFT    _ua-auto-config.example.com. TXT expected v=UAAC1; a=sha256; d="), line);
            assertTrue(line.contains("; found v=UAAC1; a=sha256; d="), line);
            assertTrue(r.out().contains("1 domain, 16 records: 15 PASS, 0 MISSING, 1 DRIFT, 0 ERROR"), r.out());
        }
    }

    @Test
    void stoppedServerIsErrorWithinTheTimeLimit(@TempDir Path work) throws Exception {
        assumeTrue(!namedMissing(), "named not installed");
        NamedServer named = NamedServer.start(work, zones(yaml), 0);
        named.close();
        long start = System.nanoTime();
        CliRun r = CliRun.of("dns", "check", yaml.toString(), "--resolver", named.address(), "--timeout", "2");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(ExitCodes.DNS_UNREACHABLE, r.exitCode(), r.toString());
        assertTrue(r.out().contains("ERROR    _imaps._tcp.example.com. SRV"), r.out());
        assertTrue(r.out().contains("0 PASS, 0 MISSING, 0 DRIFT, 32 ERROR"), r.out());
        assertTrue(seconds < 6, "took " + seconds + " s with --timeout 2");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, CliRun.of("dns", "check", yaml.toString(), "--resolver", "127.0.0.1:99999").exitCode());
        assertEquals(2, CliRun.of("dns", "check", yaml.toString(), "--timeout", "0").exitCode());
        assertEquals(2, CliRun.of("dns", "records", yaml.toString(), "--format", "xml").exitCode());
        assertEquals(2, CliRun.of("dns").exitCode());
    }
}
