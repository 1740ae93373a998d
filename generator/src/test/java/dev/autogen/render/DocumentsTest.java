package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.autogen.render.Xml.count;
import static dev.autogen.render.Xml.string;
import static dev.autogen.render.Xml.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** The structure of the autoconfig and Autodiscover documents, read back with a hardened parser. */
class DocumentsTest {
    private final SiteRenderer renderer = new SiteRenderer(GoldenDocumentsTest.SETTINGS);

    private static Provider provider(Site site) {
        return site.providers().get(0);
    }

    private Document autoconfig(Site site, int domain) {
        Provider provider = provider(site);
        return Xml.parse(renderer.autoconfig(provider, provider.domains().get(domain)).doc().bytes());
    }

    @Test
    void autoconfigHasDeclarationAndNoBom() {
        byte[] bytes = renderer.autoconfig(provider(TestSites.minimal()), TestSites.minimal().domains().get(0))
                .doc().bytes();
        assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<clientConfig version=\"1.1\">"));
    }

    @Test
    void autoconfigListsProviderDomainsAndServersInPriorityOrder() {
        Document doc = autoconfig(TestSites.full(), 0);
        assertEquals("1.1", string(doc, "/clientConfig/@version"));
        assertEquals("example.com", string(doc, "/clientConfig/emailProvider/@id"));
        assertEquals(List.of("example.com", "example.net"), strings(doc, "/clientConfig/emailProvider/domain"));
        assertEquals("Example Mail Service", string(doc, "//emailProvider/displayName"));
        assertEquals("Example", string(doc, "//emailProvider/displayShortName"));
        assertEquals(List.of("imap", "imap", "pop3"), strings(doc, "//emailProvider/incomingServer/@type"));
        assertEquals(List.of("993", "143", "995"), strings(doc, "//emailProvider/incomingServer/port"));
        assertEquals(List.of("SSL", "STARTTLS", "SSL"), strings(doc, "//emailProvider/incomingServer/socketType"));
        assertEquals(List.of("OAuth2", "password-cleartext"),
                strings(doc, "//emailProvider/incomingServer[1]/authentication"));
        assertEquals("{{login:%EMAILLOCALPART%}}", string(doc, "//emailProvider/incomingServer[1]/username"));
        assertEquals(List.of("465", "587"), strings(doc, "//emailProvider/outgoingServer[@type='smtp']/port"));
        assertEquals("https://help.example.com/mail?a=1&b=2", string(doc, "//emailProvider/documentation/@url"));
        assertEquals("Mail setup", string(doc, "//emailProvider/documentation/descr"));
    }

    @Test
    void autoconfigAnnouncesOAuth2InBothPlaces() {
        Document doc = autoconfig(TestSites.full(), 0);
        for (String base : List.of("/clientConfig/oAuth2", "/clientConfig/emailProvider/oAuth2")) {
            assertEquals("auth.example.com", string(doc, base + "/issuer"));
            assertEquals("imap smtp", string(doc, base + "/scope"));
            assertEquals("https://auth.example.com/authorize", string(doc, base + "/authURL"));
            assertEquals("https://auth.example.com/token", string(doc, base + "/tokenURL"));
        }
        assertEquals(0, count(autoconfig(TestSites.minimal(), 0), "//oAuth2"));
    }

    @Test
    void autoconfigAnnouncesDavInBothForms() {
        Document doc = autoconfig(TestSites.full(), 0);
        // 1.1 form at the root
        assertEquals("https://dav.example.com:8443/card/", string(doc, "/clientConfig/addressBook[@type='carddav']/serverURL"));
        assertEquals("http-basic", string(doc, "/clientConfig/addressBook/authentication"));
        assertEquals("{{login:%EMAILADDRESS%}}", string(doc, "/clientConfig/addressBook/username"));
        assertEquals("https://dav.example.com/cal/", string(doc, "/clientConfig/calendar[@type='caldav']/serverURL"));
        assertEquals("http-basic", string(doc, "/clientConfig/calendar/authentication"));
        // current draft form inside emailProvider
        String card = "/clientConfig/emailProvider/addressbook[@type='carddav']";
        assertEquals("https://dav.example.com:8443/card/", string(doc, card + "/url"));
        assertEquals("http", string(doc, card + "/authentication/@system"));
        assertEquals("Basic", string(doc, card + "/authentication"));
        assertEquals("{{login:%EMAILADDRESS%}}", string(doc, card + "/username"));
        String cal = "/clientConfig/emailProvider/calendar[@type='caldav']";
        assertEquals("https://dav.example.com/cal/", string(doc, cal + "/url"));
        assertEquals("Basic", string(doc, cal + "/authentication"));
        assertEquals(0, count(autoconfig(TestSites.minimal(), 0), "//calendar | //addressBook | //addressbook"));
    }

    @Test
    void plainServersAreSaidToBePlain() {
        Document doc = autoconfig(TestSites.legacy(), 0);
        assertEquals("plain", string(doc, "//incomingServer[@type='pop3']/socketType"));
        assertEquals("NTLM", string(doc, "//incomingServer[@type='pop3']/authentication"));
        assertEquals(List.of("client-IP-address", "none"), strings(doc, "//outgoingServer[3]/authentication"));
    }

    @Test
    void publicAutoconfigHasPlaceholdersInsteadOfSlots() {
        Site site = TestSites.full();
        byte[] bytes = renderer.publicAutoconfig(provider(site), site.domains().get(0));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertFalse(text.contains("{{"), text);
        assertEquals("%EMAILLOCALPART%", string(Xml.parse(bytes), "//incomingServer[1]/username"));
    }

    @Test
    void largeProvidersListOnlyTheDomainTheDocumentIsFor() {
        Site site = TestSites.large(SiteRenderer.MAX_LISTED_DOMAINS + 1);
        Provider provider = provider(site);
        SiteRenderer.Autoconfig first = renderer.autoconfig(provider, provider.domains().get(0));
        SiteRenderer.Autoconfig second = renderer.autoconfig(provider, provider.domains().get(7));
        assertSame(first, second, "identical documents are rendered once");
        assertEquals(List.of("{{domain}}"), strings(Xml.parse(first.doc().bytes()), "//emailProvider/domain"));
        assertEquals(List.of("d7.example"), strings(Xml.parse(renderer.publicAutoconfig(provider,
                provider.domains().get(7))), "//emailProvider/domain"));

        Site small = TestSites.large(SiteRenderer.MAX_LISTED_DOMAINS);
        assertEquals(SiteRenderer.MAX_LISTED_DOMAINS, strings(Xml.parse(renderer.publicAutoconfig(provider(small),
                small.domains().get(3))), "//emailProvider/domain").size());
    }

    @TestFactory
    List<DynamicTest> k9AcceptsEveryPublicAutoconfig() {
        List<DynamicTest> tests = new ArrayList<>();
        TestSites.all().forEach((name, site) -> {
            for (Provider provider : site.providers()) {
                for (Domain domain : provider.domains()) {
                    tests.add(dynamicTest(name + "/" + domain.name(), () ->
                            assertEquals(K9Rules.expectedFor(domain),
                                    K9Rules.violations(renderer.publicAutoconfig(provider, domain)))));
                }
            }
        });
        return tests;
    }

    @Test
    void k9ExpectationsAreNotVacuous() {
        assertEquals(List.of(), K9Rules.expectedFor(TestSites.full().domains().get(0)));
        Domain pop3Only = TestSites.domain("pop.example", List.of(TestSites.server(
                dev.autogen.model.MailServer.Protocol.POP3, "pop.example", 995, dev.autogen.model.MailServer.Security.SSL,
                10, dev.autogen.model.MailServer.Authentication.PASSWORD_CLEARTEXT)));
        Provider provider = new Provider("pop.example", "Pop", "Pop", java.util.Optional.empty(), List.of(pop3Only));
        assertEquals(List.of("no first imap incomingServer", "no first smtp outgoingServer"),
                K9Rules.violations(renderer.publicAutoconfig(provider, pop3Only)));
        assertEquals(K9Rules.expectedFor(pop3Only), K9Rules.violations(renderer.publicAutoconfig(provider, pop3Only)));
    }

    @Test
    void outlookMapsSecurityAndAuthenticationAsClientsMdSays() {
        Site site = TestSites.legacy();
        Document doc = Xml.parse(renderer.outlook(site.domains().get(0)).bytes());
        String account = "/a:Autodiscover/o:Response/o:Account";
        assertEquals("email", string(doc, account + "/o:AccountType"));
        assertEquals("settings", string(doc, account + "/o:Action"));
        assertEquals(List.of("IMAP", "POP3", "SMTP", "SMTP", "SMTP"), strings(doc, account + "/o:Protocol/o:Type"));
        assertEquals(List.of("993", "110", "587", "25", "25"), strings(doc, account + "/o:Protocol/o:Port"));
        assertEquals(List.of("on", "off", "on", "off", "off"), strings(doc, account + "/o:Protocol/o:SSL"));
        assertEquals(List.of("SSL", "None", "TLS", "None", "None"), strings(doc, account + "/o:Protocol/o:Encryption"));
        assertEquals(List.of("off", "on", "off", "off", "off"), strings(doc, account + "/o:Protocol/o:SPA"));
        assertEquals(List.of("on", "on", "on", "off", "off"), strings(doc, account + "/o:Protocol/o:AuthRequired"));
        assertEquals(List.of("on", "off", "off"), strings(doc, account + "/o:Protocol/o:UsePOPAuth"));
        assertEquals(List.of("off", "on", "off"), strings(doc, account + "/o:Protocol/o:SMTPLast"));
        assertEquals(0, count(doc, account + "/o:Protocol[o:Type!='SMTP']/o:SMTPLast"));
        assertEquals("{{name}}", string(doc, "//o:User/o:DisplayName"));
        assertEquals("{{address}}", string(doc, "//o:User/o:AutoDiscoverSMTPAddress"));
        assertEquals("{{login:%EMAILADDRESS%}}", string(doc, account + "/o:Protocol[1]/o:LoginName"));
        assertEquals("off", string(doc, account + "/o:Protocol[1]/o:DomainRequired"));
    }

    @TestFactory
    List<DynamicTest> outlookNeverSaysTlsForImplicitTlsNorSslOffWithTls() {
        List<DynamicTest> tests = new ArrayList<>();
        TestSites.all().forEach((name, site) -> tests.add(dynamicTest(name, () -> {
            for (Domain domain : site.domains()) {
                Document doc = Xml.parse(renderer.outlook(domain).bytes());
                int protocols = count(doc, "//o:Protocol");
                assertTrue(protocols > 0);
                assertEquals(protocols, count(doc, "//o:Protocol[o:SSL and o:SPA and o:Encryption and o:AuthRequired]"));
                assertEquals(0, count(doc, "//o:Protocol[o:Encryption='TLS' and (o:Port='993' or o:Port='995' "
                        + "or o:Port='465')]"));
                assertEquals(0, count(doc, "//o:Protocol[o:SSL='off' and o:Encryption!='None']"));
                assertEquals(0, count(doc, "//o:Protocol[o:SSL='on' and o:Encryption='None']"));
            }
        })));
        return tests;
    }

    @Test
    void oauth2OnlyServerIsDescribedByItsPasswordFallback() {
        Document doc = Xml.parse(renderer.outlook(TestSites.full().domains().get(0)).bytes());
        assertEquals("off", string(doc, "//o:Protocol[1]/o:SPA"));
        assertEquals("on", string(doc, "//o:Protocol[1]/o:AuthRequired"));
        assertEquals(List.of("IMAP", "IMAP", "POP3", "SMTP", "SMTP"), strings(doc, "//o:Protocol/o:Type"));
    }

    @Test
    void mobileSyncAnnouncesTheActiveSyncUrl() {
        Site site = TestSites.full();
        Document doc = Xml.parse(renderer.mobileSync(site.domains().get(0)).orElseThrow().bytes());
        String response = "/a:Autodiscover/m:Response";
        assertEquals("en:us", string(doc, response + "/m:Culture"));
        assertEquals("{{name}}", string(doc, response + "/m:User/m:DisplayName"));
        assertEquals("{{address}}", string(doc, response + "/m:User/m:EMailAddress"));
        String server = response + "/m:Action/m:Settings/m:Server";
        assertEquals("MobileSync", string(doc, server + "/m:Type"));
        assertEquals("https://eas.example.com/Microsoft-Server-ActiveSync", string(doc, server + "/m:Url"));
        assertEquals("https://eas.example.com/Microsoft-Server-ActiveSync", string(doc, server + "/m:Name"));
        assertTrue(renderer.mobileSync(site.domains().get(1)).isEmpty(), "no ActiveSync URL, no document");
    }

    @Test
    void errorDocumentsCarrySlotsForTimeAndId() {
        for (int code : new int[] {600, 601}) {
            Document doc = Xml.parse(renderer.autodiscoverError(code));
            String error = "/a:Autodiscover/a:Response/a:Error";
            assertEquals(Integer.toString(code), string(doc, error + "/a:ErrorCode"));
            assertEquals("{{time}}", string(doc, error + "/@Time"));
            assertEquals("{{requestid}}", string(doc, error + "/@Id"));
            assertEquals(1, count(doc, error + "/a:DebugData"));
        }
        assertEquals("Invalid Request", string(Xml.parse(renderer.autodiscoverError(600)), "//a:Message"));
        assertEquals("Provider not available", string(Xml.parse(renderer.autodiscoverError(601)), "//a:Message"));
        assertThrows(IllegalArgumentException.class, () -> renderer.autodiscoverError(500));
    }

    @Test
    void specialCharactersRenderAsValidXml() {
        Site site = TestSites.escaping();
        Provider provider = provider(site);
        Domain domain = site.domains().get(0);
        Document doc = Xml.parse(renderer.publicAutoconfig(provider, domain));
        assertEquals("Ham & Eggs <\"Best\"> 'Co'", string(doc, "//emailProvider/displayName"));
        assertEquals("H&E <'\">", string(doc, "//emailProvider/displayShortName"));
        assertEquals("%EMAILLOCALPART%&<\"'>", string(doc, "//incomingServer/username"));
        assertEquals("Tom & \"Jerry's\"", string(doc, "//documentation/descr"));
        assertEquals("https://ham-n-eggs.example/?q=1&r=<2>", string(doc, "//documentation/@url"));
        assertEquals("scope \"'", string(doc, "/clientConfig/oAuth2/scope"));
        assertEquals("https://dav.ham-n-eggs.example/card?a=1&b=%3C", string(doc, "//addressBook/serverURL"));
        // The slot's template is escaped for XML, so the responder can splice values around it.
        String privateText = new String(renderer.autoconfig(provider, domain).doc().bytes(), StandardCharsets.UTF_8);
        assertTrue(privateText.contains("{{login:%EMAILLOCALPART%&amp;&lt;&quot;&apos;&gt;}}"), privateText);
        assertEquals("https://eas.ham-n-eggs.example/eas?a=1&b=2",
                string(Xml.parse(renderer.mobileSync(domain).orElseThrow().bytes()), "//m:Url"));
        assertEquals("%EMAILLOCALPART%&<\"'>",
                string(Xml.parse(renderer.outlook(domain).bytes()), "//o:Protocol[1]/o:LoginName")
                        .replace("{{login:", "").replace("}}", ""));
    }

    @Test
    void valuesThatLookLikeSlotsAreRefused() {
        Site site = TestSites.minimal();
        Provider provider = provider(site);
        Provider evil = new Provider(provider.id(), "{{name}}", "x", provider.documentation(), provider.domains());
        assertThrows(IllegalArgumentException.class, () -> renderer.autoconfig(evil, evil.domains().get(0)));
    }

    @Test
    void anAdminTemplateDirectoryOverridesBuiltInTemplatesByName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("autodiscover-error.ftlx"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error code=\"${code}\">${message}</Error>\n");
        SiteRenderer custom = new SiteRenderer(new RenderSettings(java.util.Optional.of(dir), "/srv", "http://x"));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error code=\"600\">Invalid Request</Error>\n",
                new String(custom.autodiscoverError(600), StandardCharsets.UTF_8));
        Site site = TestSites.minimal();
        assertArrayEquals(renderer.autoconfig(provider(site), site.domains().get(0)).doc().bytes(),
                custom.autoconfig(provider(site), site.domains().get(0)).doc().bytes(), "others stay built-in");
    }

    @Test
    void documentsAreCachedPerDistinctInputAndContentAddressed() {
        Site site = TestSites.full();
        Provider provider = provider(site);
        SiteRenderer.Autoconfig com = renderer.autoconfig(provider, site.domains().get(0));
        SiteRenderer.Autoconfig net = renderer.autoconfig(provider, site.domains().get(1));
        assertSame(com, net, "same provider, same servers: one document");
        assertEquals("docs/" + SiteRenderer.sha256Hex(com.doc().bytes()) + ".xml", com.doc().path());
        assertTrue(com.doc().path().matches("docs/[0-9a-f]{64}\\.xml"));
        assertSame(renderer.outlook(site.domains().get(0)), renderer.outlook(site.domains().get(1)));
        assertNotEquals(com.doc().path(), renderer.outlook(site.domains().get(0)).path());
    }
}
