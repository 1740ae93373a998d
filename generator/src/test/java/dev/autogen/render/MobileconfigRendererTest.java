package dev.autogen.render;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import dev.autogen.config.ConfigException;
import dev.autogen.config.YamlSource;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MobileconfigRendererTest {

    /** The fixture shared by this package's golden tests: every branch of the renderers in three domains. */
    static final class Fixture {
        static MailServer server(Protocol p, String host, int port, Security s, String user, int prio,
                                 Authentication... auth) {
            return new MailServer(p, host, port, s, List.of(auth), user, prio);
        }

        /** IMAP (two), POP3, SMTP (two), CalDAV and CardDAV; provider name that needs XML escaping. */
        static Domain full() {
            return new Domain("example.com", List.of(
                    server(Protocol.IMAP, "imap2.example.com", 143, Security.STARTTLS, "%EMAILADDRESS%", 20,
                            Authentication.PASSWORD_CLEARTEXT),
                    server(Protocol.IMAP, "imap.example.com", 993, Security.SSL, "%EMAILADDRESS%", 10,
                            Authentication.OAUTH2, Authentication.PASSWORD_ENCRYPTED),
                    server(Protocol.POP3, "pop.example.com", 995, Security.SSL, "%EMAILLOCALPART%", 10,
                            Authentication.PASSWORD_CLEARTEXT),
                    server(Protocol.SMTP, "smtp.example.com", 587, Security.STARTTLS, "%EMAILADDRESS%", 10,
                            Authentication.PASSWORD_CLEARTEXT),
                    server(Protocol.SMTP, "smtp.example.com", 465, Security.SSL, "%EMAILADDRESS%", 5,
                            Authentication.NTLM)),
                    List.of(new DavServer(DavServer.Type.CALDAV, URI.create("https://dav.example.com/caldav/"),
                                    "%EMAILADDRESS%"),
                            new DavServer(DavServer.Type.CARDDAV, URI.create("https://dav.example.com:8443/carddav/"),
                                    "%EMAILLOCALPART%")),
                    Optional.empty(), Optional.of("https://eas.example.com/Microsoft-Server-ActiveSync"),
                    "autodiscover.example.com", Optional.empty());
        }

        /** POP3 only, unencrypted SMTP by client address, own Autodiscover host, an LDAP directory. */
        static Domain popOnly() {
            return new Domain("example.net", List.of(
                    server(Protocol.POP3, "mail.example.net", 110, Security.STARTTLS, "%EMAILLOCALPART%", 10,
                            Authentication.PASSWORD_ENCRYPTED),
                    server(Protocol.SMTP, "mail.example.net", 25, Security.NONE, "%EMAILLOCALPART%", 10,
                            Authentication.OAUTH2, Authentication.CLIENT_IP_ADDRESS)),
                    List.of(new DavServer(DavServer.Type.CALDAV, URI.create("http://cal.example.net"), "%EMAILLOCALPART%")),
                    Optional.empty(), Optional.empty(), "mail.example.net", Optional.of("corp"));
        }

        static Domain serverless() {
            return new Domain("serverless.tld", List.of(), List.of(), Optional.empty(), Optional.empty(),
                    "autodiscover.serverless.tld", Optional.empty());
        }

        static Provider provider() {
            return new Provider("example.com", "Ham & Eggs <Mail>", "H+E", Optional.empty(),
                    List.of(full(), popOnly(), serverless()));
        }

        static Directory directory() {
            return new Directory("corp", "ldaps://ldap.example.net:636", false, "ou=people,dc=example,dc=net",
                    "(&(objectClass=inetOrgPerson)(mail=%EMAILADDRESS%))", "uid", "cn",
                    Optional.of("cn=autogen,dc=example,dc=net"), Optional.of(new Secret("s3cret=\\ü:#!")),
                    Directory.DEFAULT_CONNECT_TIMEOUT, Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL);
        }

        static Site site() {
            return new Site(List.of(provider()), List.of(directory()));
        }
    }

    /** Compares with src/test/resources/golden/NAME; {@code -Dgolden.update=true} rewrites the file instead. */
    static void assertGolden(String name, byte[] actual) {
        Path file = Path.of("src/test/resources/golden").resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.write(file, actual);
                return;
            }
            assertTrue(Files.exists(file), "golden file " + file + " missing: run with -Dgolden.update=true");
            assertEquals(Files.readString(file), new String(actual, StandardCharsets.UTF_8), "golden " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled samples/*.yaml, loaded with the real YAML source. */
    static Map<String, Site> samples() {
        Map<String, Site> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("../samples"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.yaml$", "");
                out.put(name, YamlSource.load(f, Map.of()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException e) {
            throw new AssertionError("sample does not load: " + e.getMessage(), e);
        }
        assertFalse(out.isEmpty(), "no samples found in ../samples");
        return out;
    }

    private static final Pattern SLOT = Pattern.compile("\\{\\{([a-z]+)(?::([^}]*))?}}");

    /** What the responder does: every slot replaced by its XML-escaped value (the login template is already escaped). */
    static String fill(String template, String domain, String address, String name) {
        Matcher m = SLOT.matcher(template);
        StringBuilder sb = new StringBuilder();
        String local = address.substring(0, address.indexOf('@'));
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "address" -> dev.autogen.text.Escape.plist(address);
                case "name" -> dev.autogen.text.Escape.plist(name);
                case "login" -> m.group(2)
                        .replace("%EMAILADDRESS%", dev.autogen.text.Escape.plist(address))
                        .replace("%EMAILLOCALPART%", dev.autogen.text.Escape.plist(local))
                        .replace("%EMAILDOMAIN%", domain);
                case "uuid" -> MobileconfigRenderer.contractUuid(m.group(2), domain, address);
                default -> throw new AssertionError("unexpected slot " + m.group());
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static NSDictionary parse(String xml) throws Exception {
        NSObject o = PropertyListParser.parse(xml.getBytes(StandardCharsets.UTF_8));
        return assertInstanceOf(NSDictionary.class, o);
    }

    private static NSDictionary perUser(Domain d, String address, String name) throws Exception {
        String template = new String(MobileconfigRenderer.perUserTemplate(Fixture.provider(), d), StandardCharsets.UTF_8);
        return parse(fill(template, d.name(), address, name));
    }

    private static List<NSDictionary> payloads(NSDictionary profile) {
        List<NSDictionary> out = new ArrayList<>();
        for (NSObject o : ((NSArray) profile.get("PayloadContent")).getArray()) {
            out.add((NSDictionary) o);
        }
        return out;
    }

    private static String str(NSDictionary d, String key) {
        return assertInstanceOf(NSString.class, d.get(key), key).getContent();
    }

    private static long integer(NSDictionary d, String key) {
        NSNumber n = assertInstanceOf(NSNumber.class, d.get(key), key);
        assertTrue(n.isInteger(), key + " must be <integer>");
        return n.longValue();
    }

    private static boolean bool(NSDictionary d, String key) {
        NSNumber n = assertInstanceOf(NSNumber.class, d.get(key), key);
        assertTrue(n.isBoolean(), key + " must be a boolean");
        return n.boolValue();
    }

    @Test
    void perUserProfileHasTheBestServersTypedCorrectly() throws Exception {
        NSDictionary p = perUser(Fixture.full(), "jane@example.com", "Jane Doe");
        assertEquals("Configuration", str(p, "PayloadType"));
        assertEquals(1, integer(p, "PayloadVersion"));
        assertEquals("Ham & Eggs <Mail>", str(p, "PayloadDisplayName"));
        assertEquals("Ham & Eggs <Mail>", str(p, "PayloadOrganization"));
        assertTrue(str(p, "PayloadIdentifier").startsWith("com.example.autogen."));
        List<NSDictionary> payloads = payloads(p);
        assertEquals(3, payloads.size());

        NSDictionary mail = payloads.get(0);
        assertEquals("com.apple.mail.managed", str(mail, "PayloadType"));
        assertEquals(1, integer(mail, "PayloadVersion"));
        assertEquals("EmailTypeIMAP", str(mail, "EmailAccountType"));
        assertEquals("jane@example.com", str(mail, "EmailAddress"));
        assertEquals("Jane Doe", str(mail, "EmailAccountName"));
        assertEquals("imap.example.com", str(mail, "IncomingMailServerHostName"));
        assertEquals(993, integer(mail, "IncomingMailServerPortNumber"));
        assertTrue(bool(mail, "IncomingMailServerUseSSL"));
        assertEquals("EmailAuthCRAMMD5", str(mail, "IncomingMailServerAuthentication"), "OAuth2 skipped");
        assertEquals("jane@example.com", str(mail, "IncomingMailServerUsername"));
        assertEquals(465, integer(mail, "OutgoingMailServerPortNumber"), "SMTP priority 5 beats 10");
        assertEquals("EmailAuthNTLM", str(mail, "OutgoingMailServerAuthentication"));
        assertTrue(bool(mail, "OutgoingMailServerUseSSL"));
        assertTrue(bool(mail, "OutgoingPasswordSameAsIncomingPassword"));

        NSDictionary cal = payloads.get(1);
        assertEquals("com.apple.caldav.account", str(cal, "PayloadType"));
        assertEquals("dav.example.com", str(cal, "CalDAVHostName"));
        assertEquals(443, integer(cal, "CalDAVPort"));
        assertTrue(bool(cal, "CalDAVUseSSL"));
        assertEquals("/caldav/", str(cal, "CalDAVPrincipalURL"));
        assertEquals("jane@example.com", str(cal, "CalDAVUsername"));

        NSDictionary card = payloads.get(2);
        assertEquals("com.apple.carddav.account", str(card, "PayloadType"));
        assertEquals(8443, integer(card, "CardDAVPort"));
        assertEquals("jane", str(card, "CardDAVUsername"));
        assertNull(card.get("CardDAVPrincipalURL"), "not supported on macOS");
    }

    @Test
    void popAndPlainSmtpAndAuthFallbacks() throws Exception {
        NSDictionary mail = payloads(perUser(Fixture.popOnly(), "bob@example.net", "Bob")).get(0);
        assertEquals("EmailTypePOP", str(mail, "EmailAccountType"));
        assertTrue(bool(mail, "IncomingMailServerUseSSL"), "STARTTLS counts as SSL for Apple");
        assertEquals("EmailAuthCRAMMD5", str(mail, "IncomingMailServerAuthentication"));
        assertFalse(bool(mail, "OutgoingMailServerUseSSL"));
        assertEquals("EmailAuthNone", str(mail, "OutgoingMailServerAuthentication"));
        assertEquals("bob", str(mail, "OutgoingMailServerUsername"));
    }

    @Test
    void domainWithoutServersGivesAProfileWithoutMailPayload() throws Exception {
        NSDictionary p = parse(new String(MobileconfigRenderer.addressless(Fixture.provider(), Fixture.serverless()),
                StandardCharsets.UTF_8));
        assertTrue(payloads(p).isEmpty());
    }

    @Test
    void identifiersStablePerAddressAndDistinctAcrossAddressesAndPayloads() throws Exception {
        NSDictionary a1 = perUser(Fixture.full(), "a@example.com", "A");
        NSDictionary a2 = perUser(Fixture.full(), "a@example.com", "Other name");
        NSDictionary b = perUser(Fixture.full(), "b@example.com", "B");
        assertEquals(str(a1, "PayloadIdentifier"), str(a2, "PayloadIdentifier"));
        assertEquals(str(a1, "PayloadUUID"), str(a2, "PayloadUUID"));
        assertNotEquals(str(a1, "PayloadIdentifier"), str(b, "PayloadIdentifier"));
        assertNotEquals(str(a1, "PayloadUUID"), str(b, "PayloadUUID"));

        List<String> ids = new ArrayList<>(List.of(str(a1, "PayloadIdentifier")));
        List<String> uuids = new ArrayList<>(List.of(str(a1, "PayloadUUID")));
        for (NSDictionary payload : payloads(a1)) {
            ids.add(str(payload, "PayloadIdentifier"));
            uuids.add(str(payload, "PayloadUUID"));
            assertTrue(str(payload, "PayloadIdentifier").startsWith(str(a1, "PayloadIdentifier") + "."));
        }
        assertEquals(ids.size(), ids.stream().distinct().count(), "identifiers distinct: " + ids);
        assertEquals(uuids.size(), uuids.stream().distinct().count(), "UUIDs distinct: " + uuids);
        uuids.forEach(u -> java.util.UUID.fromString(u));
    }

    @Test
    void addresslessProfileHasNoAddressKeysAndContractUuids() throws Exception {
        byte[] bytes = MobileconfigRenderer.addressless(Fixture.provider(), Fixture.full());
        String xml = new String(bytes, StandardCharsets.UTF_8);
        assertFalse(xml.contains("{{"), "no slots");
        assertFalse(xml.contains("%"), "no placeholders");
        NSDictionary p = parse(xml);
        assertEquals(MobileconfigRenderer.contractUuid("profile", "example.com", ""), str(p, "PayloadUUID"));
        assertEquals("com.example.autogen." + MobileconfigRenderer.contractUuid("profile", "example.com", ""),
                str(p, "PayloadIdentifier"));
        for (NSDictionary payload : payloads(p)) {
            for (String key : payload.allKeys()) {
                assertFalse(key.endsWith("Username") || key.equals("EmailAddress") || key.equals("EmailAccountName"),
                        "address-dependent key " + key);
            }
        }
        assertArrayEquals(bytes, MobileconfigRenderer.addressless(Fixture.provider(), Fixture.full()), "deterministic");
    }

    @Test
    void noPasswordAndNoPlaceholderAfterFilling() throws Exception {
        for (Domain d : Fixture.provider().domains()) {
            String filled = fill(new String(MobileconfigRenderer.perUserTemplate(Fixture.provider(), d),
                    StandardCharsets.UTF_8), d.name(), "x@" + d.name(), "X");
            assertFalse(filled.contains("%"), d.name() + ": placeholder left");
            for (NSDictionary payload : payloads(parse(filled))) {
                for (String key : payload.allKeys()) {
                    assertFalse(key.contains("Password") && !key.equals("OutgoingPasswordSameAsIncomingPassword"),
                            "password key " + key);
                }
            }
        }
    }

    @Test
    void loginTemplateAndAddressNeedingEscapesStayCorrectXml() throws Exception {
        Domain d = new Domain("example.org", List.of(
                Fixture.server(Protocol.IMAP, "imap.example.org", 993, Security.SSL, "a&b<c>\"'%EMAILLOCALPART%]]>", 1,
                        Authentication.PASSWORD_CLEARTEXT),
                Fixture.server(Protocol.SMTP, "smtp.example.org", 465, Security.SSL, "%EMAILADDRESS%", 1,
                        Authentication.PASSWORD_CLEARTEXT)),
                List.of(), Optional.empty(), Optional.empty(), "autodiscover.example.org", Optional.empty());
        String template = new String(MobileconfigRenderer.perUserTemplate(Fixture.provider(), d), StandardCharsets.UTF_8);
        assertFalse(template.contains("CDATA[{{"), "a slot must not end up inside CDATA");
        assertFalse(template.contains("{{#"), "no marker left");
        NSDictionary mail = payloads(parse(fill(template, "example.org", "o'h&r<a>@example.org", "A & B"))).get(0);
        assertEquals("a&b<c>\"'o'h&r<a>]]>", str(mail, "IncomingMailServerUsername"));
        assertEquals("o'h&r<a>@example.org", str(mail, "EmailAddress"));
        assertEquals("A & B", str(mail, "EmailAccountName"));
    }

    @Test
    void descriptionNamesWhatIsConfigured() {
        assertEquals("Email, calendar and contacts", MobileconfigRenderer.describe(true, true, true));
        assertEquals("Email", MobileconfigRenderer.describe(true, false, false));
        assertEquals("Calendar and contacts", MobileconfigRenderer.describe(false, true, true));
        assertEquals("Email and contacts", MobileconfigRenderer.describe(true, false, true));
        assertEquals("No", MobileconfigRenderer.describe(false, false, false));
    }

    @Test
    void golden() {
        for (Domain d : Fixture.provider().domains()) {
            assertGolden("mobileconfig/" + d.name() + ".template.plist",
                    MobileconfigRenderer.perUserTemplate(Fixture.provider(), d));
            assertGolden("mobileconfig/" + d.name() + ".mobileconfig",
                    MobileconfigRenderer.addressless(Fixture.provider(), d));
        }
    }

    @Test
    void goldenSamples() throws Exception {
        for (Map.Entry<String, Site> sample : samples().entrySet()) {
            for (Provider p : sample.getValue().providers()) {
                for (Domain d : p.domains()) {
                    byte[] template = MobileconfigRenderer.perUserTemplate(p, d);
                    assertGolden("mobileconfig/" + sample.getKey() + "/" + d.name() + ".template.plist", template);
                    byte[] addressless = MobileconfigRenderer.addressless(p, d);
                    assertGolden("mobileconfig/" + sample.getKey() + "/" + d.name() + ".mobileconfig", addressless);
                    parse(fill(new String(template, StandardCharsets.UTF_8), d.name(), "u@" + d.name(), "U"));
                    parse(new String(addressless, StandardCharsets.UTF_8));
                }
            }
        }
    }
}
