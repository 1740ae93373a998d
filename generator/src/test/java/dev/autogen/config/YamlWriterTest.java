package dev.autogen.config;

import dev.autogen.model.DavServer;
import dev.autogen.model.Directory;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.model.OAuth2;
import dev.autogen.model.Provider;
import dev.autogen.model.Secret;
import dev.autogen.model.Site;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YamlWriterTest {
    @TempDir
    Path tmp;

    private Site roundTrip(Site site) throws Exception {
        String yaml = YamlWriter.write(site);
        assertEquals(yaml, YamlWriter.write(site), "deterministic");
        Path file = tmp.resolve("written.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        Site back = YamlSource.load(file, Map.of());
        assertEquals(site, back, yaml);
        return back;
    }

    @Test
    void minimalSampleRoundTripsAndIsWrittenCompactly() throws Exception {
        Site site = YamlSource.load(SamplesTest.SAMPLES.resolve("minimal.yaml"), Map.of());
        roundTrip(site);
        String yaml = YamlWriter.write(site);
        assertTrue(yaml.contains("id: example.com"), yaml);
        // Defaults are not written: no port, security, authentication, username or priority.
        for (String key : List.of("port:", "security:", "authentication:", "username:", "priority:", "shortName:",
                "autodiscoverHost:")) {
            assertFalse(yaml.contains(key), key + " in\n" + yaml);
        }
    }

    @Test
    void exampleSampleRoundTripsWithInlineBindPasswordAndSharedSettingsAtProviderLevel() throws Exception {
        Site site = YamlSource.load(SamplesTest.SAMPLES.resolve("example.yaml"), Map.of());
        roundTrip(site);
        String yaml = YamlWriter.write(site);
        assertTrue(yaml.contains("bindPassword: demo-only-change-me"), yaml);
        assertTrue(yaml.contains("keep this file private"), yaml);
        // The CalDAV/CardDAV servers and ActiveSync are the same for all three domains: written once.
        assertEquals(1, count(yaml, "type: caldav"), yaml);
        assertEquals(2, count(yaml, "hostname: smtp.example.com"), "the shared servers once (465 and 587):\n" + yaml);
        assertTrue(yaml.contains("      - example.com\n      - name: example.net\n        ldap: corp\n"), yaml);
        assertEquals(1, count(yaml, "activeSync:"), yaml);
        assertEquals(1, count(yaml, "autodiscoverHost:"), yaml);
    }

    @Test
    void perDomainOverridesRoundTrip() throws Exception {
        MailServer imap = new MailServer(Protocol.IMAP, "imap.example.com", 993, Security.SSL,
                List.of(Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 10);
        MailServer smtp = new MailServer(Protocol.SMTP, "smtp.example.com", 25, Security.STARTTLS,
                List.of(Authentication.OAUTH2, Authentication.PASSWORD_ENCRYPTED), "%EMAILLOCALPART%", 0);
        MailServer pop = new MailServer(Protocol.POP3, "pop.example.net", 110, Security.NONE,
                List.of(Authentication.PASSWORD_ENCRYPTED), "user-%EMAILLOCALPART%", 65535);
        DavServer cal = new DavServer(DavServer.Type.CALDAV, URI.create("http://dav.example.com:8080/cal/"),
                "%EMAILLOCALPART%");
        OAuth2 oauth2 = new OAuth2("login.example.com", "mail", "https://login.example.com/auth",
                "https://login.example.com/token?x=1");
        Domain com = new Domain("example.com", List.of(imap, smtp), List.of(cal), Optional.of(oauth2),
                Optional.of("https://eas.example.com/Microsoft-Server-ActiveSync"), "autodiscover.example.com",
                Optional.of("corp"));
        Domain net = new Domain("example.net", List.of(pop, smtp), List.of(), Optional.empty(), Optional.empty(),
                "ad.example.com", Optional.empty());
        Domain org = new Domain("example.org", List.of(imap, smtp), List.of(cal), Optional.of(oauth2),
                Optional.empty(), "ad.example.com", Optional.of("other"));
        Provider one = new Provider("provider.example", "Yes & No: \"quoted\" #1", "123",
                Optional.of(new Provider.Documentation("https://help.example/?a=1&b=2", "Help: read me")),
                List.of(com, net, org));
        Domain single = new Domain("xn--bcher-kva.example", List.of(imap, smtp), List.of(), Optional.empty(),
                Optional.empty(), "autodiscover.xn--bcher-kva.example", Optional.empty());
        Provider two = new Provider("xn--bcher-kva.example", "true", "null", Optional.empty(), List.of(single));
        Directory corp = new Directory("corp", "ldap://ldap.example.com:389", true, "dc=example,dc=com",
                "(|(mail=%EMAILADDRESS%)(uid=%EMAILLOCALPART%))", "sAMAccountName", "displayName",
                Optional.of("cn=svc,dc=example,dc=com"), Optional.of(new Secret("p@ss: 'w\"ord #")),
                Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ZERO);
        Directory other = new Directory("other", "ldaps://ldap.example.org", false, "o=org",
                Directory.DEFAULT_FILTER, "uid", "cn", Optional.empty(), Optional.empty(),
                Directory.DEFAULT_CONNECT_TIMEOUT, Directory.DEFAULT_RESPONSE_TIMEOUT, Duration.ofHours(2));
        Site site = new Site(List.of(one, two), List.of(corp, other));
        roundTrip(site);
        String yaml = YamlWriter.write(site);
        assertEquals(3, count(yaml, "- name: example."), "each domain of provider one has overrides:\n" + yaml);
        assertTrue(yaml.contains("- xn--bcher-kva.example"), "a domain without overrides is a plain name:\n" + yaml);
    }

    @Test
    void paccSettingsAndLogosRoundTrip() throws Exception {
        Domain d = new Domain("example.com", List.of(new MailServer(MailServer.Protocol.SMTP, "smtp.example.com", 465,
                MailServer.Security.SSL, List.of(MailServer.Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 10)),
                List.of(), Optional.empty(), Optional.empty(), "autodiscover.example.com", Optional.empty());
        Provider p = new Provider("example.com", "P", "P", Optional.empty(), List.of(d),
                List.of(new Provider.Logo("https://example.com/logo.svg", "image/svg+xml"),
                        new Provider.Logo("https://example.com/logo", "image/png")), Optional.empty(), Optional.empty());
        for (dev.autogen.model.Pacc pacc : List.of(dev.autogen.model.Pacc.DEFAULT,
                new dev.autogen.model.Pacc(true, dev.autogen.model.Pacc.Revision.DRAFT_02),
                new dev.autogen.model.Pacc(false, dev.autogen.model.Pacc.Revision.DRAFT_03))) {
            Site site = new Site(List.of(p), List.of(), pacc);
            roundTrip(site);
            assertEquals(pacc.equals(dev.autogen.model.Pacc.DEFAULT), !YamlWriter.write(site).contains("pacc:"),
                    YamlWriter.write(site));
        }
    }

    @Test
    void aTlsCaFileIsWrittenAsAnAbsolutePath() throws Exception {
        Path yaml = tmp.resolve("in/site.yaml");
        Files.createDirectories(yaml.getParent());
        Files.copy(YamlSourceTest.TEST_CA, tmp.resolve("in/ca.pem"));
        Files.writeString(yaml, """
                providers:
                  - name: P
                    ldap: corp
                    domains: [example.com]
                    servers: [{type: smtp, hostname: smtp.example.com}]
                directories:
                  corp: {url: "ldaps://ldap.example.com", base: "o=x", tlsCaFile: ca.pem}
                """);
        Site site = YamlSource.load(yaml, Map.of());
        // The written file is read from another directory (tmp, not tmp/in): the path still names the same file.
        roundTrip(site);
        assertTrue(YamlWriter.write(site).contains("tlsCaFile: " + tmp.resolve("in/ca.pem").toAbsolutePath()));
    }

    /** Many mixes of shared, overridden and missing settings: every one must read back equal. */
    @Test
    void mixedSettingsAcrossDomainsAlwaysRoundTrip() throws Exception {
        MailServer imap = new MailServer(Protocol.IMAP, "imap.example.com", 993, Security.SSL,
                List.of(Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 10);
        MailServer smtp1 = new MailServer(Protocol.SMTP, "smtp.example.com", 465, Security.SSL,
                List.of(Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 10);
        MailServer smtp2 = new MailServer(Protocol.SMTP, "smtp.example.net", 587, Security.STARTTLS,
                List.of(Authentication.PASSWORD_ENCRYPTED), "%EMAILLOCALPART%", 20);
        List<List<MailServer>> servers = List.of(List.of(imap, smtp1), List.of(smtp2), List.of(imap, smtp2));
        List<List<DavServer>> davs = List.of(List.of(),
                List.of(new DavServer(DavServer.Type.CALDAV, URI.create("https://dav.example.com/"), "%EMAILADDRESS%")),
                List.of(new DavServer(DavServer.Type.CARDDAV, URI.create("https://dav.example.net/c"), "x")));
        List<Optional<OAuth2>> oauths = List.of(Optional.empty(), Optional.of(new OAuth2("login.example.com", "s",
                "https://login.example.com/a", "https://login.example.com/t")));
        List<Optional<String>> easUrls = List.of(Optional.empty(), Optional.of("https://eas.example.com/eas"),
                Optional.of("https://eas.example.net/eas"));
        List<Optional<String>> ldaps = List.of(Optional.empty(), Optional.of("corp"));
        Directory corp = new Directory("corp", "ldaps://ldap.example.com", false, "o=x", Directory.DEFAULT_FILTER,
                "uid", "cn", Optional.empty(), Optional.empty(), Directory.DEFAULT_CONNECT_TIMEOUT,
                Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL);
        java.util.Random random = new java.util.Random(42);
        for (int run = 0; run < 150; run++) {
            List<Domain> domains = new java.util.ArrayList<>();
            int n = 1 + random.nextInt(4);
            for (int d = 0; d < n; d++) {
                String name = "d" + d + ".example";
                String host = switch (random.nextInt(3)) {
                    case 0 -> "autodiscover." + name;
                    case 1 -> "ad1.example.com";
                    default -> "ad2.example.com";
                };
                domains.add(new Domain(name, pick(random, servers), pick(random, davs), pick(random, oauths),
                        pick(random, easUrls), host, pick(random, ldaps)));
            }
            Site site = new Site(List.of(new Provider("p.example", "P", "P", Optional.empty(), domains)),
                    List.of(corp));
            roundTrip(site);
        }
    }

    private static <T> T pick(java.util.Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
