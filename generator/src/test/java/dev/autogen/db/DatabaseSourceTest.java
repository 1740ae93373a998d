package dev.autogen.db;

import dev.autogen.config.ConfigException;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads automx2 databases on real SQLite, PostgreSQL and MariaDB. */
class DatabaseSourceTest {
    @TempDir
    Path tempDir;

    private static final String EMAIL = "%EMAILADDRESS%";
    private static final String LOCAL = "%EMAILLOCALPART%";

    private static MailServer server(Protocol protocol, String host, int port, Security security, Authentication auth,
                                     String username, int prio) {
        return new MailServer(protocol, host, port, security, List.of(auth), username, prio);
    }

    private static Domain domain(String name, List<MailServer> servers, List<DavServer> dav, String directory) {
        return new Domain(name, servers, dav, Optional.empty(), Optional.empty(), "autodiscover." + name,
                Optional.ofNullable(directory));
    }

    /** automx2's sample data, as autogen reads it. */
    static Site expectedSample() {
        MailServer smtp1 = server(Protocol.SMTP, "primary-smtp.example.com", 587, Security.STARTTLS,
                Authentication.PASSWORD_CLEARTEXT, EMAIL, 10);
        MailServer smtp2 = server(Protocol.SMTP, "secondary-smtp.example.com", 587, Security.STARTTLS,
                Authentication.PASSWORD_CLEARTEXT, EMAIL, 10);
        MailServer imap1 = server(Protocol.IMAP, "imap1.example.com", 143, Security.STARTTLS,
                Authentication.PASSWORD_CLEARTEXT, EMAIL, 10);
        MailServer imap2 = server(Protocol.IMAP, "imap2.example.com", 143, Security.STARTTLS,
                Authentication.PASSWORD_CLEARTEXT, EMAIL, 10);
        MailServer pop1 = server(Protocol.POP3, "pop1.example.com", 143, Security.STARTTLS,
                Authentication.PASSWORD_CLEARTEXT, EMAIL, 10);
        DavServer cal = new DavServer(DavServer.Type.CALDAV, URI.create("https://caldav.example.com/"), EMAIL);
        DavServer card = new DavServer(DavServer.Type.CARDDAV, URI.create("http://carddav.example.com/"), EMAIL);
        return new Site(List.of(new Provider("example.com", "Big Corporation, Inc.", "BigCorp", Optional.empty(),
                List.of(domain("example.com", List.of(smtp1, imap1), List.of(cal, card), null),
                        domain("example.net", List.of(smtp1, imap2), List.of(card), null),
                        domain("example.org", List.of(smtp2, pop1), List.of(), null)))), List.of());
    }

    static final List<String> SAMPLE_WARNINGS = List.of(
            "table server id 4005: unknown type 'INVALID' (expected imap, pop, smtp)",
            "table domain id 3003: 'ham-n-eggs.tld' has no usable server (clients need one incoming and one smtp"
                    + " server)",
            "table domain id 3004: 'serverless.tld' has no usable server (clients need one incoming and one smtp"
                    + " server)",
            "table provider id 1001: no usable domain left (see the domain problems above)",
            "table provider id 1002: no usable domain left (see the domain problems above)");

    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void readsAutomx2SampleDataSkippingTheInvalidRowsWithWarnings(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            Schema.initialize(DatabaseUrl.parse(db.jdbcUrl), true);
            for (String url : List.of(db.jdbcUrl, db.sqlAlchemyUrl)) {
                List<String> warnings = new ArrayList<>();
                Site site = DatabaseSource.load(url, false, warnings::add);
                assertEquals(expectedSample(), site, url);
                assertEquals(SAMPLE_WARNINGS, warnings, url);
            }
        }
    }

    /** Warnings about a site read from the database name the row: table and id. */
    @Test
    void lintsNameTheirTableAndId() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(DatabaseUrl.Dialect.SQLITE, tempDir)) {
            Schema.initialize(DatabaseUrl.parse(db.jdbcUrl), false);
            db.execute(
                    "INSERT INTO provider (id, name, short_name) VALUES (7, 'Plain', 'Plain')",
                    "INSERT INTO domain (id, name, provider_id) VALUES (70, 'plain.example', 7)",
                    "INSERT INTO server (id, prio, port, type, name, socket_type, user_name, authentication)"
                            + " VALUES (71, 10, 110, 'pop', 'pop.plain.example', 'STARTTLS', '%EMAILADDRESS%',"
                            + " 'plain')",
                    "INSERT INTO server (id, prio, port, type, name, socket_type, user_name, authentication)"
                            + " VALUES (72, 10, 25, 'smtp', 'smtp.plain.example', 'plain', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (71, 70)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (72, 70)");
            dev.autogen.config.SourceLocations locations = new dev.autogen.config.SourceLocations();
            Site site = DatabaseSource.load(db.jdbcUrl, true, w -> { }, locations);
            List<String> located = dev.autogen.config.Lints.warnings(site).stream()
                    .map(w -> locations.of(w.subject()).orElse("?") + ": " + w.message()).toList();
            assertTrue(located.stream().anyMatch(l -> l.startsWith("table domain id 70: provider plain.example, domain"
                    + " plain.example: POP3 but no IMAP")),
                    located.toString());
            assertTrue(located.stream().anyMatch(l -> l.startsWith("table server id 72: provider plain.example, domain"
                    + " plain.example, smtp server smtp.plain.example:25: security none")), located.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void strictMakesInvalidRowsFatalAndListsThemAll(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            Schema.initialize(DatabaseUrl.parse(db.jdbcUrl), true);
            List<String> warnings = new ArrayList<>();
            ConfigException e = assertThrows(ConfigException.class,
                    () -> DatabaseSource.load(db.sqlAlchemyUrl, true, warnings::add));
            assertEquals(SAMPLE_WARNINGS, e.problems());
            assertTrue(warnings.isEmpty(), "strict reports through the exception only: " + warnings);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void mapsEveryQuirkOfTheSchema(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            Schema.initialize(DatabaseUrl.parse(db.jdbcUrl), false);
            db.execute(
                    "INSERT INTO provider (id, name, short_name) VALUES (1, ' Zeta Mail ', 'Zeta')",
                    "INSERT INTO provider (id, name, short_name) VALUES (2, 'Alpha & Co', 'A&C')",
                    "INSERT INTO ldapserver (id, name, port, use_ssl, search_base, search_filter, attr_uid, attr_cn,"
                            + " bind_password, bind_user) VALUES (7, 'LDAP.Example.com', 636, TRUE,"
                            + " 'ou=people,dc=example,dc=com', '(&(objectClass=person)(mail={0}))', 'uid', NULL,"
                            + " 's3cret', 'cn=reader,dc=example,dc=com')",
                    "INSERT INTO ldapserver (id, name, port, use_ssl, search_base, search_filter, attr_uid, attr_cn,"
                            + " bind_password, bind_user) VALUES (8, 'ldap.alpha.example', 389, FALSE, 'dc=alpha',"
                            + " '|(mail={})(x={{literal}})', 'sAMAccountName', 'displayName', '', '')",
                    // ids deliberately out of name order: the provider id is the lowest domain id's name
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (20, 'zeta.example', 1, 7)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (10, 'Bücher.Example', 1, NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (30, 'alpha.example', 2, 8)",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (1, 20, 'imap.zeta.example', 993, 'imap', 'ssl', '%EMAILLOCALPART%',"
                            + " 'password-encrypted')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (2, 5, 'IMAP2.zeta.example', 143, 'imap', 'STARTTLS', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (3, 20, 'pop.zeta.example', 995, 'pop', 'SSL', '%EMAILADDRESS%', 'NTLM')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (4, 10, 'smtp.zeta.example', 465, 'smtp', 'SSL', '%EMAILADDRESS%', 'gssapi')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (5, 10, 'mx.alpha.example', 25, 'smtp', 'plain', '', 'none')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (6, 10, 'imap.alpha.example', 143, 'IMAP', 'none', 'mail-%EMAILLOCALPART%',"
                            + " 'OAuth2')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (9, 10, 'unused.example', 143, 'imap', 'STARTTLS', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (1, 10)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (2, 10)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (3, 10)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (4, 10)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (4, 20)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (2, 20)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (5, 30)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (6, 30)",
                    "INSERT INTO davserver (id, url, port, type, use_ssl, domain_required, user_name) VALUES"
                            + " (2, 'https://card.zeta.example:8080/card', 0, 'carddav', FALSE, TRUE, NULL)",
                    "INSERT INTO davserver (id, url, port, type, use_ssl, domain_required, user_name) VALUES"
                            + " (1, 'dav.zeta.example/dav/', 8443, 'CalDAV', TRUE, FALSE, NULL)",
                    "INSERT INTO davserver (id, url, port, type, use_ssl, domain_required, user_name) VALUES"
                            + " (3, 'https://dav.alpha.example', 443, 'caldav', FALSE, FALSE, 'u-%EMAILLOCALPART%')",
                    "INSERT INTO davserver_domain (davserver_id, domain_id) VALUES (2, 10)",
                    "INSERT INTO davserver_domain (davserver_id, domain_id) VALUES (1, 10)",
                    "INSERT INTO davserver_domain (davserver_id, domain_id) VALUES (1, 20)",
                    "INSERT INTO davserver_domain (davserver_id, domain_id) VALUES (3, 30)");

            List<String> warnings = new ArrayList<>();
            Site site = DatabaseSource.load(db.jdbcUrl, true, warnings::add);
            assertEquals(List.of(), warnings);

            MailServer imap1 = server(Protocol.IMAP, "imap.zeta.example", 993, Security.SSL,
                    Authentication.PASSWORD_ENCRYPTED, LOCAL, 20);
            MailServer imap2 = server(Protocol.IMAP, "imap2.zeta.example", 143, Security.STARTTLS,
                    Authentication.PASSWORD_CLEARTEXT, EMAIL, 5);
            MailServer pop = server(Protocol.POP3, "pop.zeta.example", 995, Security.SSL, Authentication.NTLM,
                    EMAIL, 20);
            MailServer smtp = server(Protocol.SMTP, "smtp.zeta.example", 465, Security.SSL, Authentication.GSSAPI,
                    EMAIL, 10);
            MailServer mx = server(Protocol.SMTP, "mx.alpha.example", 25, Security.NONE, Authentication.NONE,
                    EMAIL, 10);
            MailServer imapAlpha = server(Protocol.IMAP, "imap.alpha.example", 143, Security.NONE,
                    Authentication.OAUTH2, "mail-%EMAILLOCALPART%", 10);
            DavServer cal = new DavServer(DavServer.Type.CALDAV, URI.create("https://dav.zeta.example:8443/dav/"),
                    LOCAL);
            DavServer card = new DavServer(DavServer.Type.CARDDAV, URI.create("http://card.zeta.example:8080/card"),
                    EMAIL);
            DavServer calAlpha = new DavServer(DavServer.Type.CALDAV, URI.create("http://dav.alpha.example:443/"),
                    "u-%EMAILLOCALPART%");
            Directory zetaLdap = new Directory("ldap.example.com", "ldaps://ldap.example.com:636", false,
                    "ou=people,dc=example,dc=com", "(&(objectClass=person)(mail=%EMAILADDRESS%))", "uid", "cn",
                    Optional.of("cn=reader,dc=example,dc=com"), Optional.of(new Secret("s3cret")),
                    Directory.DEFAULT_CONNECT_TIMEOUT, Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL);
            Directory alphaLdap = new Directory("ldap.alpha.example", "ldap://ldap.alpha.example:389", false,
                    "dc=alpha", "(|(mail=%EMAILADDRESS%)(x={literal}))", "sAMAccountName", "displayName",
                    Optional.empty(), Optional.empty(), Directory.DEFAULT_CONNECT_TIMEOUT,
                    Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL);
            Site expected = new Site(List.of(
                    new Provider("xn--bcher-kva.example", "Zeta Mail", "Zeta", Optional.empty(), List.of(
                            domain("xn--bcher-kva.example", List.of(imap1, imap2, pop, smtp), List.of(cal, card),
                                    null),
                            domain("zeta.example", List.of(imap2, smtp), List.of(cal), "ldap.example.com"))),
                    new Provider("alpha.example", "Alpha & Co", "A&C", Optional.empty(), List.of(
                            domain("alpha.example", List.of(mx, imapAlpha), List.of(calAlpha),
                                    "ldap.alpha.example")))),
                    List.of(zetaLdap, alphaLdap));
            assertEquals(expected, site);
            assertEquals(List.of(imap2, smtp, imap1, pop), site.domains().get(0).serversByPriority());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void reportsEachInvalidRowWithTableAndId(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            Schema.initialize(DatabaseUrl.parse(db.jdbcUrl), false);
            db.execute(
                    "INSERT INTO provider (id, name, short_name) VALUES (1, 'Good', 'G')",
                    "INSERT INTO provider (id, name, short_name) VALUES (2, 'No SMTP', 'N')",
                    "INSERT INTO provider (id, name, short_name) VALUES (3, '', 'E')",
                    "INSERT INTO ldapserver (id, name, port, use_ssl, search_base, search_filter, attr_uid, attr_cn,"
                            + " bind_password, bind_user) VALUES (4, 'ldap.example', 636, TRUE, 'dc=x',"
                            + " '(uid={1})', 'uid', 'cn', 'do-not-show-me', NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (1, 'good.example', 1, NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (2, 'nosmtp.example', 2, NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (3, 'empty.example', 3, NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (4, 'ldap.example', 1, 4)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (5, 'bad_name.example', 1,"
                            + " NULL)",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (1, 10, 'imap.example', 993, 'imap', 'SSL', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (2, 10, 'smtp.example', 587, 'smtp', 'STARTTLS', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (3, 10, 'smtp2.example', 587, 'smtp', 'TLS', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (4, 10, 'smtp3.example', 70000, 'smtp', 'SSL', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (5, 10, 'smtp4.example', 465, 'smtp', 'SSL', '%EMAILADDRESS%', 'cram-md5')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (6, 10, 'smtp5.example', 465, 'smtp', 'SSL', '{{login}}', 'plain')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (7, 10, 'smtp6.example', 465, 'smtp', 'SSL', '%EMAIL%', 'plain')",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (7, 2)",
                    "INSERT INTO ldapserver (id, name, port, use_ssl, search_base, search_filter, attr_uid, attr_cn,"
                            + " bind_password, bind_user) VALUES (5, 'ldap.example', 636, TRUE, 'dc=x',"
                            + " '(uid=admin)', 'uid', 'cn', NULL, NULL)",
                    "INSERT INTO ldapserver (id, name, port, use_ssl, search_base, search_filter, attr_uid, attr_cn,"
                            + " bind_password, bind_user) VALUES (6, 'ldap.example', 636, TRUE, 'dc=x',"
                            + " '(&(mail={0})', 'uid', 'cn', NULL, NULL)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (1, 1)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (2, 1)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (1, 2)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (3, 2)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (4, 2)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (5, 2)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (6, 2)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (1, 3)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (2, 3)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (1, 4)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (2, 4)",
                    "INSERT INTO davserver (id, url, port, type, use_ssl, domain_required, user_name) VALUES"
                            + " (1, 'https://dav.example/', 0, 'webdav', TRUE, FALSE, NULL)",
                    "INSERT INTO davserver (id, url, port, type, use_ssl, domain_required, user_name) VALUES"
                            + " (2, 'ftp://dav.example/', 0, 'caldav', TRUE, FALSE, NULL)",
                    "INSERT INTO davserver_domain (davserver_id, domain_id) VALUES (1, 1)",
                    "INSERT INTO davserver_domain (davserver_id, domain_id) VALUES (2, 1)");
            List<String> warnings = new ArrayList<>();
            Site site = DatabaseSource.load(db.jdbcUrl, false, warnings::add);
            assertEquals(List.of(
                    "table provider id 3: name is empty",
                    "table ldapserver id 4: search_filter '(uid={1})': only {0} (the address) can be substituted",
                    "table ldapserver id 5: search_filter '(uid=admin)' does not use the address ({0})",
                    "table ldapserver id 6: search_filter '(&(mail={0})' has unbalanced parentheses",
                    "table server id 3: unknown socket_type 'TLS' (expected SSL, STARTTLS, plain)",
                    "table server id 4: bad port '70000' (expected 1-65535)",
                    "table server id 5: unknown authentication 'cram-md5' (expected plain, password-cleartext,"
                            + " password-encrypted, ntlm, gssapi, oauth2, none, client-ip-address, smtp-after-pop)",
                    "table server id 6: user_name '{{login}}' contains '{{' or '}}'",
                    "table server id 7: user_name '%EMAIL%' contains the unknown placeholder %EMAIL% (allowed:"
                            + " %EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%)",
                    "table davserver id 1: unknown type 'webdav' (expected caldav, carddav)",
                    "table davserver id 2: url 'ftp://dav.example/': scheme must be http or https",
                    "table domain id 2: 'nosmtp.example' has no usable smtp server (clients need one incoming and one"
                            + " smtp server)",
                    "table domain id 3: provider_id 3 refers to an invalid provider",
                    "table domain id 4: ldapserver_id 4 refers to an invalid ldapserver",
                    "table domain id 5: name 'bad_name.example' is not a valid host name: it contains '_' (U+005F LOW LINE), which is not allowed in domain names (letters, digits and hyphens in dot-separated labels, like mail.example.com)",
                    "table provider id 2: no usable domain left (see the domain problems above)"), warnings);
            assertEquals(List.of("good.example"), site.domains().stream().map(Domain::name).toList());
            assertTrue(site.directories().isEmpty());
            assertFalse(String.join("\n", warnings).contains("do-not-show-me"));
        }
    }

    /**
     * IDNA2008 in the database: ß kept (IDNA2003 made it strasse.example), the Unicode and A-label spellings are one
     * domain, a symbol and a bad bidi label are problems with table/id. A display name with U+FFFE (which XML cannot
     * carry) loads, and every document rendered from it parses.
     */
    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void domainsAreIdna2008AndDisplayNamesAreCleaned(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            Schema.initialize(DatabaseUrl.parse(db.jdbcUrl), false);
            db.execute(
                    "INSERT INTO provider (id, name, short_name) VALUES (1, 'Stra\uFFFEße <Mail>', 'SM')",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (1, 'Straße.example', 1, NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (2, 'xn--strae-oqa.example', 1,"
                            + " NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (3, '\u2665mail.example', 1, NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (4, '0a.\u05E9\u05DC\u05D5\u05DD',"
                            + " 1, NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (5, 'βόλος.example', 1, NULL)",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (1, 10, 'imap.straße.example', 993, 'imap', 'SSL', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (2, 10, 'smtp.example', 465, 'smtp', 'SSL', '%EMAILADDRESS%', 'plain')");
            for (int d = 1; d <= 5; d++) {
                db.execute("INSERT INTO server_domain (server_id, domain_id) VALUES (1, " + d + ")",
                        "INSERT INTO server_domain (server_id, domain_id) VALUES (2, " + d + ")");
            }
            List<String> warnings = new ArrayList<>();
            Site site = DatabaseSource.load(db.jdbcUrl, false, warnings::add);
            assertEquals(3, warnings.size(), String.join("\n", warnings));
            assertEquals("table domain id 2: name 'xn--strae-oqa.example' is a duplicate of an earlier domain",
                    warnings.get(0));
            assertTrue(warnings.get(1).startsWith("table domain id 3: name '\u2665mail.example' is not a valid host "
                    + "name: it contains '\u2665' (U+2665 BLACK HEART SUIT), which IDNA2008 does not allow"), warnings.get(1));
            assertTrue(warnings.get(2).startsWith("table domain id 4: name '0a.\u05E9\u05DC\u05D5\u05DD' is not a "
                    + "valid host name: it mixes right-to-left and left-to-right"), warnings.get(2));
            assertEquals(List.of("xn--strae-oqa.example", "xn--nxasmm1c.example"),
                    site.domains().stream().map(Domain::name).toList());
            Domain strasse = site.domains().get(0);
            assertEquals("imap.xn--strae-oqa.example", strasse.servers().stream()
                    .filter(s -> s.protocol() == Protocol.IMAP).findFirst().orElseThrow().hostname());

            Provider p = site.providers().get(0);
            assertEquals("Stra\uFFFEße <Mail>", p.name(), "the value is kept; documents clean it");
            dev.autogen.render.Templates templates = new dev.autogen.render.Templates(Optional.empty());
            var xml = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            xml.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            String autoconfig = new dev.autogen.render.AutoconfigRenderer(templates).render(p, strasse, List.of(strasse.name()));
            String displayName = xml.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                    autoconfig.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .getElementsByTagName("displayName").item(0).getTextContent();
            assertEquals("Stra\uFFFDße <Mail>", displayName);
            com.dd.plist.NSDictionary profile = (com.dd.plist.NSDictionary) com.dd.plist.PropertyListParser.parse(
                    dev.autogen.render.MobileconfigRenderer.addressless(p, strasse));
            assertEquals("Stra\uFFFDße <Mail>", profile.get("PayloadDisplayName").toJavaObject());
        }
    }

    /** Rows only a database without constraints can hold (automx2's SQLite files do not enforce foreign keys). */
    @Test
    void reportsDanglingReferencesAndNonNumericValuesInSqlite() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(DatabaseUrl.Dialect.SQLITE, tempDir)) {
            Schema.initialize(DatabaseUrl.parse(db.jdbcUrl), false);
            db.execute(
                    "INSERT INTO provider (id, name, short_name) VALUES (1, 'P', 'P')",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (1, 'a.example', 1, NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (2, 'b.example', 99, NULL)",
                    "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (3, 'c.example', 1, 42)",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (1, 10, 'imap.example', 993, 'imap', 'SSL', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (2, 10, 'smtp.example', 'abc', 'smtp', 'SSL', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication) VALUES"
                            + " (3, 'high', 'smtp.example', 465, 'smtp', 'SSL', '%EMAILADDRESS%', 'plain')",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (1, 1)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (2, 1)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (3, 1)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (77, 1)",
                    "INSERT INTO server_domain (server_id, domain_id) VALUES (1, 88)");
            List<String> warnings = new ArrayList<>();
            Site site = DatabaseSource.load(db.sqlAlchemyUrl, false, warnings::add);
            assertEquals(List.of(
                    "table server id 2: bad port 'abc' (expected 1-65535)",
                    "table server id 3: prio 'high' is not a number",
                    "table server_domain (server_id '1', domain_id '88'): domain '88' does not exist",
                    "table server_domain (server_id '77', domain_id '1'): server '77' does not exist",
                    "table domain id 1: 'a.example' has no usable smtp server (clients need one incoming and one smtp"
                            + " server)",
                    "table domain id 2: provider_id '99' does not exist",
                    "table domain id 3: ldapserver_id '42' does not exist",
                    "table provider id 1: no usable domain left (see the domain problems above)"), warnings);
            assertTrue(site.providers().isEmpty());
            ConfigException strict = assertThrows(ConfigException.class,
                    () -> DatabaseSource.load(db.sqlAlchemyUrl, true, w -> { }));
            assertEquals(warnings, strict.problems());
        }
    }

    /** A change committed while autogen reads is not half-seen: all seven tables come from one snapshot. */
    @ParameterizedTest
    @EnumSource(value = DatabaseUrl.Dialect.class, names = {"POSTGRESQL", "MARIADB"})
    void readsOneConsistentSnapshot(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            DatabaseUrl url = DatabaseUrl.parse(db.jdbcUrl);
            Schema.initialize(url, true);
            Automx2Tables tables;
            try (java.sql.Connection reader = Connections.open(url, true)) {
                tables = Automx2Tables.read(reader, url, () -> {
                    try {
                        db.execute("INSERT INTO domain (id, name, provider_id) VALUES (3999, 'late.example', 1000)",
                                "INSERT INTO server_domain (server_id, domain_id) VALUES (4000, 3999)",
                                "INSERT INTO server_domain (server_id, domain_id) VALUES (4002, 3999)",
                                "DELETE FROM server_domain WHERE server_id = 4005");
                    } catch (java.sql.SQLException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            assertEquals(5, tables.domains().size());
            assertEquals(7, tables.serverDomains().size());
            assertEquals(expectedSample(), Automx2Mapping.toSite(tables, false, w -> { }));
            // the change itself was committed: the next read sees it
            assertEquals(List.of("example.com", "example.net", "example.org", "late.example"),
                    DatabaseSource.load(url, false, w -> { }).domains().stream().map(Domain::name).toList());
        }
    }

    // ---- the database cannot be read: one line, no password ----

    @Test
    void missingDatabaseOnPostgresqlIsOneClearLine() {
        ScratchDatabase.requireServer(DatabaseUrl.Dialect.POSTGRESQL);
        DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class,
                () -> DatabaseSource.load("postgresql+psycopg2://postgres@127.0.0.1/nosuchdb_autogen", false, w -> { }));
        assertEquals("cannot connect to postgresql://postgres@127.0.0.1/nosuchdb_autogen: database"
                + " \"nosuchdb_autogen\" does not exist", e.getMessage());
    }

    @Test
    void unknownUserOnPostgresqlNeverShowsThePassword() {
        ScratchDatabase.requireServer(DatabaseUrl.Dialect.POSTGRESQL);
        DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class,
                () -> DatabaseSource.load("postgresql://nosuchuser:Pa55%2Fword@127.0.0.1/test", false, w -> { }));
        assertEquals("cannot connect to postgresql://nosuchuser:****@127.0.0.1/test: role \"nosuchuser\" does not"
                + " exist", e.getMessage());
    }

    @Test
    void wrongPasswordOnMariadbIsOneLineWithoutThePassword() {
        ScratchDatabase.requireServer(DatabaseUrl.Dialect.MARIADB);
        for (String url : List.of("mysql+pymysql://root:wrong-Secret@127.0.0.1/test",
                "jdbc:mysql://127.0.0.1:3306/test?user=root&password=wrong-Secret")) {
            DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class,
                    () -> DatabaseSource.load(url, false, w -> { }));
            assertTrue(e.getMessage().startsWith("cannot connect to mysql://root:****@127.0.0.1"), e.getMessage());
            assertTrue(e.getMessage().contains("Access denied for user 'root'"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-Secret"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void unreachableServersFailFastWithOneLine() {
        for (String url : List.of("postgresql://postgres@127.0.0.1:1/test", "mysql://root:pw@127.0.0.1:1/test")) {
            DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class,
                    () -> DatabaseSource.load(url, false, w -> { }));
            assertTrue(e.getMessage().startsWith("cannot connect to "), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:1/test: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void missingTablesAreReportedAsUnavailable(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            db.execute("CREATE TABLE provider (id INTEGER PRIMARY KEY, name VARCHAR(128), short_name VARCHAR(32))");
            DatabaseUrl url = DatabaseUrl.parse(db.sqlAlchemyUrl);
            DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class,
                    () -> DatabaseSource.load(db.sqlAlchemyUrl, false, w -> { }));
            assertEquals("cannot read " + url + ": missing tables davserver, davserver_domain, domain, ldapserver,"
                    + " server, server_domain (not an automx2 database? `autogen initdb` creates the schema)",
                    e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseUrl.Dialect.class)
    void aMissingColumnIsReportedAsUnavailable(DatabaseUrl.Dialect dialect) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(dialect, tempDir)) {
            Schema.initialize(DatabaseUrl.parse(db.jdbcUrl), false);
            db.execute("ALTER TABLE davserver DROP COLUMN user_name");
            DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class,
                    () -> DatabaseSource.load(db.jdbcUrl, false, w -> { }));
            assertTrue(e.getMessage().startsWith("cannot read " + DatabaseUrl.parse(db.jdbcUrl) + ": "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("user_name"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void missingSqliteFileIsNotCreated() {
        Path file = tempDir.resolve("absent.sqlite");
        DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class,
                () -> DatabaseSource.load("sqlite:///" + file, false, w -> { }));
        assertEquals("cannot open sqlite:" + file + ": no such file", e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void aFileThatIsNotSqliteIsUnavailable() throws Exception {
        Path file = tempDir.resolve("notes.txt");
        Files.writeString(file, "this is not a database, just some text long enough to look like a header....");
        DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class,
                () -> DatabaseSource.load("jdbc:sqlite:" + file, false, w -> { }));
        assertTrue(e.getMessage().startsWith("cannot read sqlite:" + file + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void readingNeverWritesToTheSqliteFile() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(DatabaseUrl.Dialect.SQLITE, tempDir)) {
            Schema.initialize(DatabaseUrl.parse(db.jdbcUrl), true);
            Path file = DatabaseUrl.parse(db.jdbcUrl).sqliteFile().orElseThrow();
            byte[] before = Files.readAllBytes(file);
            DatabaseSource.load(db.jdbcUrl, false, w -> { });
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)));
        }
    }
}
