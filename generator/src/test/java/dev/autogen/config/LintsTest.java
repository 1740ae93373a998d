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
import dev.autogen.model.Site;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LintsTest {
    private static final MailServer IMAP = server(Protocol.IMAP, Security.SSL, Authentication.PASSWORD_CLEARTEXT);
    private static final MailServer SMTP = server(Protocol.SMTP, Security.SSL, Authentication.PASSWORD_CLEARTEXT);
    private static final OAuth2 OAUTH2 = new OAuth2("login.example.com", "mail", "https://login.example.com/a",
            "https://login.example.com/t");

    private static MailServer server(Protocol protocol, Security security, Authentication... auth) {
        return new MailServer(protocol, protocol.id() + ".example.com", Values.defaultPort(protocol, security),
                security, List.of(auth), "%EMAILADDRESS%", 10);
    }

    private static Domain domain(String name, List<MailServer> servers) {
        return domain(name, servers, List.of(), Optional.empty());
    }

    private static Domain domain(String name, List<MailServer> servers, List<DavServer> dav, Optional<OAuth2> oauth2) {
        return new Domain(name, servers, dav, oauth2, Optional.empty(), "autodiscover." + name, Optional.empty());
    }

    private static List<String> lint(String name, String shortName, Domain... domains) {
        return Lints.check(new Site(List.of(new Provider("p.example", name, shortName, Optional.empty(),
                List.of(domains))), List.of()));
    }

    private static void assertOne(List<String> warnings, String... fragments) {
        assertEquals(1, warnings.size(), String.join("\n", warnings));
        for (String f : fragments) {
            assertTrue(warnings.get(0).contains(f), "'" + f + "' missing in: " + warnings.get(0));
        }
    }

    @Test
    void domainsIdna2003MapsDifferentlyAreNamed() throws Exception {
        assertOne(lint("P", "P", domain(Values.hostname("straße.example"), List.of(IMAP, SMTP))),
                "domain straße.example (xn--strae-oqa.example)", "IDNA2003", "strasse.example, a different domain");
        assertOne(lint("P", "P", domain(Values.hostname("βόλος.example"), List.of(IMAP, SMTP))),
                "xn--nxasmm1c.example", "xn--nxasmq6b.example");
        // Same under both: no warning.
        assertEquals(List.of(), lint("P", "P", domain(Values.hostname("bücher.example"), List.of(IMAP, SMTP))));
    }

    @Test
    void pop3WithoutImapWarnsForK9() {
        MailServer pop3 = server(Protocol.POP3, Security.SSL, Authentication.PASSWORD_CLEARTEXT);
        assertOne(lint("P", "P", domain("a.example", List.of(pop3, SMTP))), "domain a.example", "reads only IMAP");
        assertEquals(List.of(), lint("P", "P", domain("b.example", List.of(pop3, IMAP, SMTP))));
    }

    @Test
    void samplesAreClean() throws Exception {
        assertEquals(List.of(), Lints.check(YamlSource.load(SamplesTest.SAMPLES.resolve("minimal.yaml"), Map.of())));
        assertEquals(List.of(), Lints.check(YamlSource.load(SamplesTest.SAMPLES.resolve("example.yaml"), Map.of())));
        // The POP3-only demonstration lives in a test fixture: it shows the K-9 warning an admin would get.
        assertOne(Lints.check(YamlSource.load(Path.of("src/test/resources/lint/pop3-only.yaml"), Map.of())),
                "domain students.example", "POP3 but no IMAP");
    }

    @Test
    void plainSocketWithCleartextPasswordGivesTwoWarningsOncePerSharedServer() {
        MailServer plain = server(Protocol.IMAP, Security.NONE, Authentication.PASSWORD_CLEARTEXT);
        List<String> w = lint("P", "P", domain("a.example", List.of(plain, SMTP)),
                domain("b.example", List.of(plain, SMTP)));
        assertEquals(2, w.size(), String.join("\n", w));
        assertTrue(w.get(0).startsWith("provider p.example, domains a.example, b.example, imap server "
                + "imap.example.com:143: security none"), w.get(0));
        assertTrue(w.get(1).contains("password-cleartext without TLS"), w.get(1));
    }

    @Test
    void noIncomingServer() {
        assertOne(lint("P", "P", domain("a.example", List.of(SMTP))), "domain a.example", "no IMAP or POP3");
    }

    @Test
    void longNames() {
        assertOne(lint("N".repeat(61), "S", domain("a.example", List.of(IMAP, SMTP))), "61 characters",
                "at most 60", "30 recommended");
        assertOne(lint("N", "S".repeat(21), domain("a.example", List.of(IMAP, SMTP))), "shortName is 21",
                "at most 20", "12 recommended");
        assertEquals(List.of(), lint("N".repeat(60), "S".repeat(20), domain("a.example", List.of(IMAP, SMTP))));
    }

    @Test
    void oauth2WithoutSettingsAndWithoutPasswordFallback() {
        MailServer oauthOnly = server(Protocol.IMAP, Security.SSL, Authentication.OAUTH2);
        List<String> w = lint("P", "P", domain("a.example", List.of(oauthOnly, SMTP)));
        assertEquals(2, w.size(), String.join("\n", w));
        assertTrue(w.get(0).contains("domain a.example has no oauth2 settings"), w.get(0));
        assertTrue(w.get(1).contains("without a password fallback"), w.get(1));

        MailServer withFallback = server(Protocol.IMAP, Security.SSL, Authentication.OAUTH2,
                Authentication.PASSWORD_CLEARTEXT);
        assertEquals(List.of(), lint("P", "P",
                domain("a.example", List.of(withFallback, SMTP), List.of(), Optional.of(OAUTH2))));
    }

    @Test
    void authenticationK9DoesNotUnderstand() {
        MailServer ntlm = server(Protocol.SMTP, Security.STARTTLS, Authentication.NTLM, Authentication.NONE);
        assertOne(lint("P", "P", domain("a.example", List.of(IMAP, ntlm))), "smtp server smtp.example.com:587",
                "understands none", "[NTLM, none]");
        // K-9 reads only IMAP and SMTP: a POP3 server with NTLM does not trouble it.
        MailServer pop = server(Protocol.POP3, Security.SSL, Authentication.NTLM);
        assertEquals(List.of(), lint("P", "P", domain("a.example", List.of(IMAP, pop, SMTP))));
    }

    @Test
    void davOverHttp() {
        DavServer http = new DavServer(DavServer.Type.CARDDAV, URI.create("http://dav.example.com/card/"),
                "%EMAILADDRESS%");
        assertOne(lint("P", "P", domain("a.example", List.of(IMAP, SMTP), List.of(http), Optional.empty())),
                "carddav server http://dav.example.com/card/", "plain http");
    }

    @Test
    void ldapWithoutTls() {
        Directory plain = new Directory("corp", "ldap://ldap.example.com", false, "dc=example", Directory.DEFAULT_FILTER,
                "uid", "cn", Optional.empty(), Optional.empty(), Directory.DEFAULT_CONNECT_TIMEOUT,
                Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL);
        Site site = new Site(List.of(), List.of(plain));
        assertOne(Lints.check(site), "directory corp", "without startTls");
        Directory startTls = new Directory("corp", "ldap://ldap.example.com", true, "dc=example",
                Directory.DEFAULT_FILTER, "uid", "cn", Optional.empty(), Optional.empty(),
                Directory.DEFAULT_CONNECT_TIMEOUT, Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL);
        assertEquals(List.of(), Lints.check(new Site(List.of(), List.of(startTls))));
    }

    @Test
    void expiredCaCertificate() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("src/test/resources/config/tls");
        String good = java.nio.file.Files.readString(dir.resolve("test-ca.pem"));
        String expired = java.nio.file.Files.readString(dir.resolve("expired-ca.pem"));
        java.util.function.Function<String, Directory> withCa = pem -> new Directory("corp", "ldaps://ldap.example.com",
                false, "dc=example", Directory.DEFAULT_FILTER, "uid", "cn", Optional.empty(), Optional.empty(),
                Directory.DEFAULT_CONNECT_TIMEOUT, Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL,
                Optional.of(new Directory.CaFile(dir.resolve("x.pem").toAbsolutePath(), pem)));
        assertEquals(List.of(), Lints.check(new Site(List.of(), List.of(withCa.apply(good)))));
        assertOne(Lints.check(new Site(List.of(), List.of(withCa.apply(good + expired)))),
                "directory corp: tlsCaFile", "'CN=autogen expired test CA' expired on 2000-01-02T00:00:00Z");
    }
}
