package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.render.MobileconfigRendererTest.Fixture;
import org.junit.jupiter.api.Test;

import dev.autogen.model.Pacc;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DnsZoneRendererTest {
    private static final Templates TEMPLATES = new Templates(Optional.empty());
    private static final List<String> SERVICES = List.of("_imap._tcp", "_imaps._tcp", "_pop3._tcp", "_pop3s._tcp",
            "_submission._tcp", "_submissions._tcp", "_caldav._tcp", "_caldavs._tcp", "_carddav._tcp", "_carddavs._tcp");

    /** One resource record: owner, type, data with runs of blanks collapsed. */
    record Rr(String owner, String type, String data) {}

    private static String render(Domain d) {
        return new String(DnsZoneRenderer.render(TEMPLATES, Fixture.provider(), d), StandardCharsets.UTF_8);
    }

    /** Every record line (comments and blank lines skipped), checked for the zone-file shape as it goes. */
    private static List<Rr> records(String zone) {
        List<Rr> out = new ArrayList<>();
        for (String line : zone.split("\n", -1)) {
            if (line.isBlank() || line.startsWith(";")) {
                continue;
            }
            String[] f = line.trim().split("\\s+", 4);
            assertEquals(4, f.length, "record line: " + line);
            assertEquals("IN", f[1], line);
            assertTrue(f[0].endsWith("."), "absolute owner: " + line);
            out.add(new Rr(f[0], f[2], f[3].replaceAll("\\s+", " ")));
        }
        return out;
    }

    private static List<String> data(List<Rr> rrs, String owner, String type) {
        return rrs.stream().filter(r -> r.owner().equals(owner) && r.type().equals(type)).map(Rr::data).toList();
    }

    @Test
    void fullDomain() {
        String zone = render(Fixture.full());
        List<Rr> rrs = records(zone);
        String d = ".example.com.";
        assertEquals(List.of("autodiscover.example.com."), data(rrs, "autoconfig" + d, "CNAME"));
        assertEquals(List.of(), data(rrs, "autodiscover" + d, "CNAME"), "the host itself: A/AAAA left to the admin");
        assertTrue(zone.contains("; autodiscover.example.com."), "commented A example");
        assertEquals(List.of("0 0 443 autodiscover.example.com."), data(rrs, "_autodiscover._tcp" + d, "SRV"));
        assertEquals(List.of("20 0 143 imap2.example.com."), data(rrs, "_imap._tcp" + d, "SRV"));
        assertEquals(List.of("10 0 993 imap.example.com."), data(rrs, "_imaps._tcp" + d, "SRV"));
        assertEquals(List.of("0 0 0 ."), data(rrs, "_pop3._tcp" + d, "SRV"));
        assertEquals(List.of("10 0 995 pop.example.com."), data(rrs, "_pop3s._tcp" + d, "SRV"));
        assertEquals(List.of("10 0 587 smtp.example.com."), data(rrs, "_submission._tcp" + d, "SRV"));
        assertEquals(List.of("5 0 465 smtp.example.com."), data(rrs, "_submissions._tcp" + d, "SRV"));
        assertEquals(List.of("0 0 0 ."), data(rrs, "_caldav._tcp" + d, "SRV"));
        assertEquals(List.of("0 0 443 dav.example.com."), data(rrs, "_caldavs._tcp" + d, "SRV"));
        assertEquals(List.of("\"path=/caldav/\""), data(rrs, "_caldavs._tcp" + d, "TXT"));
        assertEquals(List.of("0 0 0 ."), data(rrs, "_carddav._tcp" + d, "SRV"));
        assertEquals(List.of("0 0 8443 dav.example.com."), data(rrs, "_carddavs._tcp" + d, "SRV"));
        assertEquals(List.of("\"path=/carddav/\""), data(rrs, "_carddavs._tcp" + d, "TXT"));
        assertEquals(List.of(), data(rrs, "_caldav._tcp" + d, "TXT"), "no path when not offered");
    }

    @Test
    void ownAutodiscoverHostPlainSubmissionAndHttpCaldav() {
        List<Rr> rrs = records(render(Fixture.popOnly()));
        String d = ".example.net.";
        assertEquals(List.of("mail.example.net."), data(rrs, "autoconfig" + d, "CNAME"));
        assertEquals(List.of("mail.example.net."), data(rrs, "autodiscover" + d, "CNAME"));
        assertEquals(List.of("0 0 443 mail.example.net."), data(rrs, "_autodiscover._tcp" + d, "SRV"));
        assertEquals(List.of("10 0 110 mail.example.net."), data(rrs, "_pop3._tcp" + d, "SRV"));
        assertEquals(List.of("10 0 25 mail.example.net."), data(rrs, "_submission._tcp" + d, "SRV"),
                "unencrypted servers are announced under the plain name");
        assertEquals(List.of("0 0 0 ."), data(rrs, "_submissions._tcp" + d, "SRV"));
        assertEquals(List.of("0 0 80 cal.example.net."), data(rrs, "_caldav._tcp" + d, "SRV"));
        assertEquals(List.of("\"path=/\""), data(rrs, "_caldav._tcp" + d, "TXT"));
    }

    @Test
    void everyServiceHasExactlyOneKindOfAnswer() {
        for (Domain domain : Fixture.provider().domains()) {
            List<Rr> rrs = records(render(domain));
            for (String service : SERVICES) {
                List<String> srv = data(rrs, service + "." + domain.name() + ".", "SRV");
                assertTrue(!srv.isEmpty(), domain.name() + " " + service + " missing");
                assertTrue(srv.size() == 1 || !srv.contains("0 0 0 ."),
                        domain.name() + " " + service + ": 'not offered' mixed with servers: " + srv);
            }
        }
        List<Rr> none = records(render(Fixture.serverless()));
        for (String service : SERVICES) {
            assertEquals(List.of("0 0 0 ."), data(none, service + ".serverless.tld.", "SRV"), service);
        }
    }

    @Test
    void duplicateServersAnnouncedOnceAndAddressesSkippedWithNote() {
        MailServer a = new MailServer(Protocol.IMAP, "imap.example.org", 993, Security.SSL,
                List.of(Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 1);
        MailServer ip = new MailServer(Protocol.IMAP, "192.0.2.7", 993, Security.SSL,
                List.of(Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 2);
        Domain d = new Domain("example.org", List.of(a, a, ip), List.of(), Optional.empty(), Optional.empty(),
                "autodiscover.example.org", Optional.empty());
        String zone = render(d);
        assertEquals(List.of("1 0 993 imap.example.org."), data(records(zone), "_imaps._tcp.example.org.", "SRV"));
        assertTrue(zone.contains("; 192.0.2.7 is an address"), zone);
    }

    @Test
    void namesThatWouldBreakTheZoneFileAreRefused() {
        MailServer bad = new MailServer(Protocol.IMAP, "imap.example.org. IN A 1.2.3.4", 993, Security.SSL,
                List.of(Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 1);
        Domain d = new Domain("example.org", List.of(bad), List.of(), Optional.empty(), Optional.empty(),
                "autodiscover.example.org", Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> render(d));
        assertTrue(e.getMessage().contains("example.org"), e.getMessage());
    }

    @Test
    void txtEscapes() {
        assertEquals("\"path=/a\\\"b\\\\c\\195\\169\"", DnsZoneRenderer.txt("path=/a\"b\\cé"));
    }

    /** The snippet as a render writes it: with the PACC records when the domain has a PACC document. */
    static byte[] withPacc(Provider p, Domain d) {
        return DnsZoneRenderer.render(TEMPLATES, p, d, PaccRenderer.render(p, d, Pacc.DEFAULT).document(),
                Pacc.DEFAULT.revision());
    }

    @Test
    void golden() {
        for (Domain d : Fixture.provider().domains()) {
            MobileconfigRendererTest.assertGolden("dns/" + d.name() + ".zone", withPacc(Fixture.provider(), d));
        }
    }

    /** Without a PACC document the snippet has no PACC section at all (and is otherwise the same). */
    @Test
    void withoutPaccDocumentNoPaccRecords() {
        for (Domain d : Fixture.provider().domains()) {
            String plain = new String(DnsZoneRenderer.render(TEMPLATES, Fixture.provider(), d), StandardCharsets.UTF_8);
            String full = new String(withPacc(Fixture.provider(), d), StandardCharsets.UTF_8);
            assertTrue(!plain.contains("ua-auto-config"), plain);
            assertTrue(full.startsWith(plain), "the PACC section is only appended:\n" + full);
        }
    }

    @Test
    void goldenSamples() {
        for (var sample : MobileconfigRendererTest.samples().entrySet()) {
            for (var p : sample.getValue().providers()) {
                for (Domain d : p.domains()) {
                    byte[] zone = withPacc(p, d);
                    records(new String(zone, StandardCharsets.UTF_8));
                    MobileconfigRendererTest.assertGolden("dns/" + sample.getKey() + "/" + d.name() + ".zone", zone);
                }
            }
        }
    }

    /** Every snippet inside a minimal zone, checked by BIND's own parser (skipped when it is not installed). */
    @Test
    void namedCheckzoneAcceptsEverySnippet(@TempDir Path dir) throws Exception {
        Optional<Path> checker = WebServerConfigTest.binary("/usr/bin/named-checkzone", "/usr/sbin/named-checkzone");
        if (checker.isEmpty()) {
            System.err.println("SKIPPED: named-checkzone not installed; `apt-get install -y bind9-utils` to test zones");
        }
        assumeTrue(checker.isPresent(), "named-checkzone not installed: zone snippets not parsed for real");
        List<Map.Entry<Provider, Domain>> all = new ArrayList<>();
        Fixture.provider().domains().forEach(d -> all.add(Map.entry(Fixture.provider(), d)));
        for (Site site : MobileconfigRendererTest.samples().values()) {
            site.providers().forEach(p -> p.domains().forEach(d -> all.add(Map.entry(p, d))));
        }
        for (Map.Entry<Provider, Domain> e : all) {
            String d = e.getValue().name();
            Path zone = dir.resolve(d + ".zone");
            Files.writeString(zone, "$ORIGIN " + d + ".\n$TTL 3600\n"
                    + "@ IN SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300\n@ IN NS ns.invalid.\n"
                    + new String(withPacc(e.getKey(), e.getValue()), StandardCharsets.UTF_8));
            // Syntax and record-set rules (e.g. CNAME beside other data) only: the targets have no addresses here.
            Process p = new ProcessBuilder(checker.get().toString(), "-i", "none", "-k", "fail", d, zone.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), d + ":\n" + out);
            assertTrue(out.contains("OK"), out);
        }
    }
}
