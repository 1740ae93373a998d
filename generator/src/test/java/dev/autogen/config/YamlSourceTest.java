package dev.autogen.config;

import dev.autogen.model.Directory;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.model.Secret;
import dev.autogen.model.Site;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YamlSourceTest {
    private static final String SERVERS = """
                servers:
                  - type: imap
                    hostname: imap.example.com
                  - type: smtp
                    hostname: smtp.example.com
            """;

    @TempDir
    Path tmp;

    private Path write(String name, String yaml) throws IOException {
        Path file = tmp.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private Site load(String yaml) throws Exception {
        return YamlSource.load(write("site.yaml", yaml), Map.of());
    }

    private List<String> problems(String yaml) throws IOException {
        Path file = write("broken.yaml", yaml);
        return assertThrows(ConfigException.class, () -> YamlSource.load(file, Map.of())).problems();
    }

    @Test
    void portDefaultsFollowTypeAndSecurity() throws Exception {
        Site site = load("""
                providers:
                  - name: Ports
                    domains: [example.com]
                    servers:
                      - {type: imap, hostname: a.example.com}
                      - {type: IMAP, hostname: b.example.com, security: starttls}
                      - {type: imap, hostname: c.example.com, security: none}
                      - {type: pop3, hostname: d.example.com}
                      - {type: pop3, hostname: e.example.com, security: STARTTLS}
                      - {type: smtp, hostname: f.example.com}
                      - {type: smtp, hostname: g.example.com, security: STARTTLS}
                      - {type: smtp, hostname: h.example.com, security: None, port: 25}
                """);
        List<MailServer> servers = site.domains().get(0).servers();
        assertEquals(List.of(993, 143, 143, 995, 110, 465, 587, 25), servers.stream().map(MailServer::port).toList());
        assertEquals(List.of(Security.SSL, Security.STARTTLS, Security.NONE, Security.SSL, Security.STARTTLS,
                Security.SSL, Security.STARTTLS, Security.NONE), servers.stream().map(MailServer::security).toList());
        assertEquals(Protocol.IMAP, servers.get(1).protocol());
        for (MailServer s : servers) {
            assertEquals(List.of(Authentication.PASSWORD_CLEARTEXT), s.authentication());
            assertEquals("%EMAILADDRESS%", s.username());
            assertEquals(10, s.priority());
        }
    }

    @Test
    void domainAndHostNamesAreLowerCasedAndInternationalNamesBecomePunycode() throws Exception {
        Site site = load("""
                providers:
                  - name: IDN
                    domains:
                      - Bücher.Example
                      - name: MÜNCHEN.example
                        autodiscoverHost: Autodiscover.Bücher.Example
                    servers:
                      - type: imap
                        hostname: IMAP.bücher.example
                      - type: smtp
                        hostname: smtp.example.com
                """);
        Domain first = site.domains().get(0);
        Domain second = site.domains().get(1);
        assertEquals("xn--bcher-kva.example", first.name());
        assertEquals("xn--bcher-kva.example", site.providers().get(0).id(), "id defaults to the first domain");
        assertEquals("autodiscover.xn--bcher-kva.example", first.autodiscoverHost());
        assertEquals("imap.xn--bcher-kva.example", first.servers().get(0).hostname());
        assertEquals("xn--mnchen-3ya.example", second.name());
        assertEquals("autodiscover.xn--bcher-kva.example", second.autodiscoverHost());
    }

    @Test
    void domainsAreIdna2008NotIdna2003() throws Exception {
        Site site = load("""
                providers:
                  - name: IDNA2008
                    domains:
                      - straße.example
                      - βόλος.example
                      - "\u0915\u094D\u200D\u0937.example"
                      - שלום.example
                """ + SERVERS);
        // IDNA2003 (java.net.IDN, automx2) would make these strasse.example and xn--nxasmq6b.example: other domains.
        assertEquals(List.of("xn--strae-oqa.example", "xn--nxasmm1c.example", "xn--11b2ezcw70k.example",
                "xn--9dbne9b.example"), site.domains().stream().map(Domain::name).toList());
    }

    @Test
    void domainsInvalidUnderIdna2008AreErrorsWithTheirPosition() throws Exception {
        List<String> problems = problems("""
                providers:
                  - name: Symbols
                    domains:
                      - ♥mail.example
                      - "a\u200Db.example"
                      - שלוםabc.example
                """ + SERVERS);
        assertEquals(3, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).matches(".*broken\\.yaml:4:9: domains: '♥mail.example' is not a valid host name: it "
                + "contains '♥' \\(U\\+2665 BLACK HEART SUIT\\), which IDNA2008 does not allow.*"), problems.get(0));
        assertTrue(problems.get(1).contains(":5:9: domains: 'a\u200Db.example' is not a valid host name: it has a "
                + "zero-width joiner"), problems.get(1));
        assertTrue(problems.get(2).contains(":6:9: domains: 'שלוםabc.example' is not a valid host name: it mixes "
                + "right-to-left and left-to-right"), problems.get(2));
    }

    @Test
    void unicodeAndALabelFormsAreOneDomain() throws Exception {
        List<String> problems = problems("""
                providers:
                  - name: Twice
                    domains:
                      - Straße.example
                      - xn--strae-oqa.example
                """ + SERVERS);
        assertEquals(1, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).contains(":5:9: domain xn--strae-oqa.example is listed twice"), problems.get(0));
        assertEquals("xn--strae-oqa.example", load("""
                providers:
                  - name: Once
                    domains: [XN--STRAE-OQA.example]
                """ + SERVERS).domains().get(0).name());
    }

    @Test
    void bindPasswordFromFileRelativeToTheYamlFileWithoutTrailingNewline() throws Exception {
        write("conf/secrets/pw", "s3cret with spaces\n");
        Path file = write("conf/site.yaml", """
                providers:
                  - name: LDAP
                    ldap: corp
                    domains: [example.com]
                """ + SERVERS + """
                directories:
                  corp:
                    url: LDAP://LDAP.example.com:389
                    startTls: true
                    base: dc=example,dc=com
                    bindDn: cn=svc,dc=example,dc=com
                    bindPasswordFile: secrets/pw
                """);
        Site site = YamlSource.load(file, Map.of());
        Directory d = site.directories().get(0);
        assertEquals(new Directory("corp", "ldap://ldap.example.com:389", true, "dc=example,dc=com",
                Directory.DEFAULT_FILTER, "uid", "cn", Optional.of("cn=svc,dc=example,dc=com"),
                Optional.of(new Secret("s3cret with spaces")), Directory.DEFAULT_CONNECT_TIMEOUT,
                Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL), d);
        assertEquals(Optional.of("corp"), site.domains().get(0).directory());
    }

    static final Path TEST_CA = Path.of("src/test/resources/config/tls/test-ca.pem");

    @Test
    void tlsCaFileIsReadRelativeToTheYamlFileAndKeptAsPlainPem() throws Exception {
        String pem = Files.readString(TEST_CA, StandardCharsets.US_ASCII);
        // Two certificates (a bundle), with comments and CRLF line ends, as files from elsewhere often are.
        write("conf/tls/corp-ca.pem", ("# bundle\n" + pem + "# again\n" + pem).replace("\n", "\r\n"));
        Path file = write("conf/site.yaml", """
                providers:
                  - name: LDAP
                    ldap: corp
                    domains: [example.com]
                """ + SERVERS + """
                directories:
                  corp:
                    url: ldaps://ldap.example.com
                    tlsCaFile: tls/corp-ca.pem
                    base: dc=example,dc=com
                """);
        Directory.CaFile ca = YamlSource.load(file, Map.of()).directories().get(0).tlsCa().orElseThrow();
        assertEquals(tmp.resolve("conf/tls/corp-ca.pem").toAbsolutePath(), ca.file());
        String block = pem.substring(pem.indexOf("-----BEGIN"));
        assertEquals(block + block, ca.pem(), "only the certificates, LF line ends");
    }

    @Test
    void tlsCaFileProblemsNameTheKey() throws Exception {
        write("not-a-cert.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        write("empty.pem", "");
        String directories = """
                directories:
                  missing:
                    url: ldaps://ldap.example.com
                    tlsCaFile: no-such.pem
                    base: dc=example,dc=com
                  garbage:
                    url: ldaps://ldap.example.com
                    tlsCaFile: not-a-cert.pem
                    base: dc=example,dc=com
                  empty:
                    url: ldap://ldap.example.com
                    startTls: true
                    tlsCaFile: empty.pem
                    base: dc=example,dc=com
                  plain:
                    url: ldap://ldap.example.com
                    tlsCaFile: %s
                    base: dc=example,dc=com
                """.formatted(TEST_CA.toAbsolutePath());
        List<String> problems = problems("""
                providers:
                  - name: LDAP
                    domains: [example.com]
                """ + SERVERS + directories);
        Path broken = tmp.resolve("broken.yaml");
        int first = SERVERS.split("\n").length + 7; // the line of the first tlsCaFile
        List<String> expected = List.of(
                broken + ":" + first + ":16: tlsCaFile: " + tmp.resolve("no-such.pem")
                        + " does not exist (relative paths are relative to this file)",
                broken + ":" + (first + 4) + ":16: tlsCaFile: " + tmp.resolve("not-a-cert.pem")
                        + " is not a PEM file of X.509 certificates (",
                broken + ":" + (first + 9) + ":16: tlsCaFile: " + tmp.resolve("empty.pem")
                        + " holds no X.509 certificate (expected -----BEGIN CERTIFICATE-----)",
                broken + ":" + (first + 13) + ":16: tlsCaFile: a plain ldap:// connection uses no TLS; use ldaps:// "
                        + "or startTls: true");
        assertEquals(expected.size(), problems.size(), String.join("\n", problems));
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(problems.get(i).startsWith(expected.get(i)), problems.get(i));
        }
    }

    @Test
    void bindPasswordFromEnvironmentAndDurations() throws Exception {
        Path file = write("site.yaml", """
                providers:
                  - name: LDAP
                    domains: [example.com]
                """ + SERVERS + """
                directories:
                  corp:
                    url: ldaps://ldap.example.com
                    base: dc=example,dc=com
                    bindDn: cn=svc,dc=example,dc=com
                    bindPasswordEnv: AUTOGEN_LDAP_PASSWORD
                    connectTimeout: 500ms
                    responseTimeout: 3s
                    cacheTtl: 1h
                """);
        Directory d = YamlSource.load(file, Map.of("AUTOGEN_LDAP_PASSWORD", "from-env")).directories().get(0);
        assertEquals(Optional.of(new Secret("from-env")), d.bindPassword());
        assertEquals(Duration.ofMillis(500), d.connectTimeout());
        assertEquals(Duration.ofSeconds(3), d.responseTimeout());
        assertEquals(Duration.ofHours(1), d.cacheTtl());
        assertTrue(!d.toString().contains("from-env"), "the secret never shows in toString");
    }

    @Test
    void domainOverridesReplaceProviderSettings() throws Exception {
        Site site = load("""
                providers:
                  - name: Overrides
                    activeSync: https://eas.example.com/Microsoft-Server-ActiveSync
                    domains:
                      - example.com
                      - name: example.net
                        activeSync: https://eas.example.net/Microsoft-Server-ActiveSync
                        servers:
                          - {type: smtp, hostname: smtp.example.net}
                """ + SERVERS);
        Domain com = site.domains().get(0);
        Domain net = site.domains().get(1);
        assertEquals(2, com.servers().size());
        assertEquals(List.of("smtp.example.net"), net.servers().stream().map(MailServer::hostname).toList());
        assertEquals(Optional.of("https://eas.example.net/Microsoft-Server-ActiveSync"), net.activeSyncUrl());
        assertEquals("autodiscover.example.net", net.autodiscoverHost());
    }

    @Test
    void allProblemsOfAFileAreReportedInOneRunSortedByPosition() throws Exception {
        List<String> problems = problems("""
                providers:
                  - name: One
                    domains: [example.com]
                    servers:
                      - {type: imap, hostname: imap.example.com, port: 99999}
                      - {type: smtp, hostname: "bad host"}
                  - name: Two
                    id: two.example
                    domains: [example.com]
                    servers:
                      - {type: smtp, hostname: smtp.example.com, security: tls}
                directories:
                  corp: {url: ldaps://ldap.example.com}
                """);
        assertEquals(5, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).matches(".*broken\\.yaml:5:56: port: 99999 is out of range 1\\.\\.65535"),
                problems.get(0));
        assertTrue(problems.get(1).contains(":6:32: hostname: 'bad host' is not a valid host name"), problems.get(1));
        assertTrue(problems.get(2).contains(":9:15: domain example.com is listed twice"), problems.get(2));
        assertTrue(problems.get(3).contains(":11:60: security: invalid value 'tls'"), problems.get(3));
        assertTrue(problems.get(4).contains(":13:9: a directory is missing the required key 'base'"),
                problems.get(4));
    }

    @Test
    void aliasExpansionBombIsRefused() throws Exception {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char prev = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [").append(("*" + prev + ", ").repeat(10))
                    .append('*').append(prev).append("]\n");
        }
        List<String> problems = problems(yaml.toString());
        assertEquals(1, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).contains("aliases"), problems.get(0));
    }

    @Test
    void byteOrderMarkIsAcceptedAndInvalidUtf8IsAProblem() throws Exception {
        Site site = load("\uFEFFproviders:\n  - name: BOM\n    domains: [example.com]\n" + SERVERS);
        assertEquals("BOM", site.providers().get(0).name());

        Path latin1 = tmp.resolve("latin1.yaml");
        Files.write(latin1, "providers:\n  - name: M\u00fcller\n".getBytes(StandardCharsets.ISO_8859_1));
        ConfigException e = assertThrows(ConfigException.class, () -> YamlSource.load(latin1, Map.of()));
        assertEquals(List.of(latin1 + ":1:1: the file is not valid UTF-8"), e.problems());
    }

    @Test
    void aMissingConfigFileIsAnIOExceptionNotAConfigProblem() {
        assertThrows(NoSuchFileException.class, () -> YamlSource.load(tmp.resolve("nope.yaml")));
        assertThrows(IOException.class, () -> YamlSource.load(tmp));
    }
}
