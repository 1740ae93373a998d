package dev.autogen.config;

import dev.autogen.model.DavServer;
import dev.autogen.model.Directory;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.model.Provider;
import dev.autogen.model.Secret;
import dev.autogen.model.Site;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped samples load, with the defaults the reference documents. */
class SamplesTest {
    static final Path SAMPLES = Path.of("..", "samples");

    @Test
    void minimalSampleGetsAllDefaults() throws Exception {
        Site site = YamlSource.load(SAMPLES.resolve("minimal.yaml"), Map.of());
        Domain domain = new Domain("example.com",
                List.of(new MailServer(Protocol.IMAP, "imap.example.com", 993, Security.SSL,
                                List.of(Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 10),
                        new MailServer(Protocol.SMTP, "smtp.example.com", 465, Security.SSL,
                                List.of(Authentication.PASSWORD_CLEARTEXT), "%EMAILADDRESS%", 10)),
                List.of(), Optional.empty(), Optional.empty(), "autodiscover.example.com", Optional.empty());
        Site expected = new Site(List.of(new Provider("example.com", "Example Mail", "Example Mail", Optional.empty(),
                List.of(domain))), List.of());
        assertEquals(expected, site);
    }

    @Test
    void exampleSampleResolvesInheritanceOverridesAndSecrets() throws Exception {
        Site site = YamlSource.load(SAMPLES.resolve("example.yaml"), Map.of());
        assertEquals(List.of("example.com", "mail.ham-n-eggs.example", "students.example"),
                site.providers().stream().map(Provider::id).toList());
        assertEquals(List.of("example.com", "example.net", "example.org", "ham-n-eggs.example",
                        "xn--bcher-kva.example", "students.example"),
                site.domains().stream().map(Domain::name).toList());

        Provider corp = site.providers().get(0);
        Domain com = corp.domains().get(0);
        Domain net = corp.domains().get(1);
        Domain org = corp.domains().get(2);
        assertEquals(5, com.servers().size());
        assertEquals(com.servers(), net.servers());
        assertEquals(Optional.of("corp"), net.directory());
        assertEquals(Optional.empty(), com.directory());
        assertEquals("autodiscover.example.com", org.autodiscoverHost());
        assertEquals(List.of(143, 587), org.servers().stream().map(MailServer::port).toList());
        assertEquals("%EMAILLOCALPART%", org.servers().get(0).username());
        assertEquals(List.of(DavServer.Type.CALDAV, DavServer.Type.CARDDAV),
                org.davServers().stream().map(DavServer::type).toList());
        assertEquals(Optional.of("https://eas.example.com/Microsoft-Server-ActiveSync"), org.activeSyncUrl());

        Domain ham = site.providers().get(1).domains().get(0);
        assertTrue(ham.oauth2().isPresent());
        assertEquals(List.of(Authentication.OAUTH2, Authentication.PASSWORD_CLEARTEXT),
                ham.servers().get(0).authentication());

        Directory dir = site.directories().get(0);
        assertEquals("ldaps://ldap.example.com:636", dir.url());
        assertEquals(Optional.of(new Secret("demo-only-change-me")), dir.bindPassword());
        assertEquals(Duration.ofMinutes(5), dir.cacheTtl());
    }
}
