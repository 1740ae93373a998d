package dev.autogen.render;

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

import dev.autogen.config.ConfigException;
import dev.autogen.config.YamlSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.autogen.model.MailServer.Authentication.NTLM;
import static dev.autogen.model.MailServer.Authentication.OAUTH2;
import static dev.autogen.model.MailServer.Authentication.PASSWORD_CLEARTEXT;
import static dev.autogen.model.MailServer.Authentication.PASSWORD_ENCRYPTED;

/** Sites built in Java, covering every branch of the renderers. Keyed by the name of their golden directory. */
final class TestSites {
    private TestSites() {}

    static final String ADDRESS = "%EMAILADDRESS%";

    static Map<String, Site> all() {
        Map<String, Site> sites = new LinkedHashMap<>();
        sites.put("minimal", minimal());
        sites.put("full", full());
        sites.put("escaping", escaping());
        sites.put("legacy", legacy());
        sites.put("sample-minimal", sample("minimal.yaml"));
        sites.put("sample-example", sample("example.yaml"));
        return sites;
    }

    /** A bundled sample from the top-level {@code samples/} directory, read by the real YAML source. */
    static Site sample(String name) {
        try {
            return YamlSource.load(Path.of("..", "samples", name), Map.of());
        } catch (ConfigException | IOException e) {
            throw new IllegalStateException("samples/" + name + ": " + e.getMessage(), e);
        }
    }

    static MailServer server(Protocol protocol, String host, int port, Security security, int priority,
                             Authentication... auth) {
        return new MailServer(protocol, host, port, security, List.of(auth), ADDRESS, priority);
    }

    static Domain domain(String name, List<MailServer> servers) {
        return new Domain(name, servers, List.of(), Optional.empty(), Optional.empty(), "autodiscover." + name,
                Optional.empty());
    }

    /** One provider, one domain, one IMAP and one SMTP server: the smallest useful site. */
    static Site minimal() {
        Domain domain = domain("example.org", List.of(
                server(Protocol.IMAP, "mail.example.org", 993, Security.SSL, 10, PASSWORD_CLEARTEXT),
                server(Protocol.SMTP, "mail.example.org", 465, Security.SSL, 10, PASSWORD_CLEARTEXT)));
        return new Site(List.of(new Provider("example.org", "Example Org Mail", "Example", Optional.empty(),
                List.of(domain))), List.of());
    }

    /** Every feature: priorities out of input order, POP3, STARTTLS, OAuth2, DAV, ActiveSync, LDAP, two domains. */
    static Site full() {
        List<MailServer> servers = List.of(
                new MailServer(Protocol.SMTP, "smtp.example.com", 587, Security.STARTTLS,
                        List.of(PASSWORD_CLEARTEXT), "%EMAILLOCALPART%", 20),
                new MailServer(Protocol.IMAP, "imap.example.com", 143, Security.STARTTLS,
                        List.of(PASSWORD_ENCRYPTED), "%EMAILLOCALPART%", 20),
                new MailServer(Protocol.IMAP, "imap.example.com", 993, Security.SSL,
                        List.of(OAUTH2, PASSWORD_CLEARTEXT), "%EMAILLOCALPART%", 10),
                new MailServer(Protocol.POP3, "pop.example.com", 995, Security.SSL,
                        List.of(PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 30),
                new MailServer(Protocol.SMTP, "smtp.example.com", 465, Security.SSL,
                        List.of(OAUTH2, PASSWORD_CLEARTEXT), "%EMAILLOCALPART%", 10));
        List<DavServer> dav = List.of(
                new DavServer(DavServer.Type.CALDAV, URI.create("https://dav.example.com/cal/"), "%EMAILADDRESS%"),
                new DavServer(DavServer.Type.CARDDAV, URI.create("https://dav.example.com:8443/card/"),
                        "%EMAILADDRESS%"));
        Optional<OAuth2> oauth2 = Optional.of(new OAuth2("auth.example.com", "imap smtp",
                "https://auth.example.com/authorize", "https://auth.example.com/token"));
        Domain com = new Domain("example.com", servers, dav, oauth2,
                Optional.of("https://eas.example.com/Microsoft-Server-ActiveSync"), "autodiscover.example.com",
                Optional.of("corp"));
        Domain net = new Domain("example.net", servers, dav, oauth2, Optional.empty(), "autodiscover.example.com",
                Optional.empty());
        Provider provider = new Provider("example.com", "Example Mail Service", "Example",
                Optional.of(new Provider.Documentation("https://help.example.com/mail?a=1&b=2", "Mail setup")),
                List.of(com, net));
        Directory corp = new Directory("corp", "ldaps://ldap.example.com:636", false, "ou=people,dc=example,dc=com",
                Directory.DEFAULT_FILTER, "uid", "cn", Optional.of("cn=autogen,dc=example,dc=com"),
                Optional.of(new Secret("s3cret")), Directory.DEFAULT_CONNECT_TIMEOUT,
                Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL);
        return new Site(List.of(provider), List.of(corp));
    }

    /** Every XML-special character in every free-text value. */
    static Site escaping() {
        Domain domain = new Domain("ham-n-eggs.example", List.of(
                new MailServer(Protocol.IMAP, "imap.ham-n-eggs.example", 993, Security.SSL,
                        List.of(PASSWORD_CLEARTEXT), "%EMAILLOCALPART%&<\"'>", 10),
                new MailServer(Protocol.SMTP, "smtp.ham-n-eggs.example", 465, Security.SSL,
                        List.of(PASSWORD_CLEARTEXT), "%EMAILLOCALPART%&<\"'>", 10)),
                List.of(new DavServer(DavServer.Type.CARDDAV,
                        URI.create("https://dav.ham-n-eggs.example/card?a=1&b=%3C"), "a&b")),
                Optional.of(new OAuth2("issuer&<>", "scope \"'", "https://auth.example/?a=1&b=2",
                        "https://auth.example/token?x=<y>")),
                Optional.of("https://eas.ham-n-eggs.example/eas?a=1&b=2"), "autodiscover.ham-n-eggs.example",
                Optional.empty());
        return new Site(List.of(new Provider("ham-n-eggs.example", "Ham & Eggs <\"Best\"> 'Co'", "H&E <'\">",
                Optional.of(new Provider.Documentation("https://ham-n-eggs.example/?q=1&r=<2>", "Tom & \"Jerry's\"")),
                List.of(domain))), List.of());
    }

    /** Servers K-9 would refuse and every Outlook mapping edge: plain, NTLM, no auth, SMTP after POP. */
    static Site legacy() {
        Domain domain = domain("legacy.example", List.of(
                server(Protocol.IMAP, "imap.legacy.example", 993, Security.SSL, 10, PASSWORD_CLEARTEXT),
                server(Protocol.POP3, "pop.legacy.example", 110, Security.NONE, 20, NTLM),
                server(Protocol.SMTP, "smtp.legacy.example", 587, Security.STARTTLS, 10, PASSWORD_CLEARTEXT),
                server(Protocol.SMTP, "smtp.legacy.example", 25, Security.NONE, 20,
                        Authentication.SMTP_AFTER_POP),
                server(Protocol.SMTP, "relay.legacy.example", 25, Security.NONE, 30,
                        Authentication.CLIENT_IP_ADDRESS, Authentication.NONE)));
        return new Site(List.of(new Provider("legacy.example", "Legacy", "Legacy", Optional.empty(),
                List.of(domain))), List.of());
    }

    /** One provider with {@code count} domains sharing their servers (more than SiteRenderer lists). */
    static Site large(int count) {
        List<MailServer> servers = minimal().domains().get(0).servers();
        List<Domain> domains = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            domains.add(domain("d" + i + ".example", servers));
        }
        return new Site(List.of(new Provider("hoster.example", "Hoster", "Hoster", Optional.empty(), domains)),
                List.of());
    }
}
