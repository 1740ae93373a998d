package dev.autogen.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.model.OAuth2;
import dev.autogen.model.Pacc;
import dev.autogen.model.Provider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaccRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Authentication> PASSWORD = List.of(Authentication.PASSWORD_CLEARTEXT);

    static MailServer server(Protocol p, String host, int port, Security security) {
        return new MailServer(p, host, port, security, PASSWORD, "%EMAILADDRESS%", 10);
    }

    static Domain domain(List<MailServer> servers, List<DavServer> dav, Optional<OAuth2> oauth2) {
        return new Domain("example.com", servers, dav, oauth2, Optional.empty(), "autodiscover.example.com",
                Optional.empty());
    }

    static Provider provider(Domain d) {
        return new Provider("example.com", "Example \"Mail\" \\ Bücher 📫", "Ex", Optional.of(
                new Provider.Documentation("https://help.example.com/mail?x=1&y=2", "Help")), List.of(d),
                List.of(new Provider.Logo("https://example.com/logo.svg", "image/svg+xml")), Optional.empty(),
                Optional.empty());
    }

    private static final Domain FULL = domain(List.of(
            server(Protocol.IMAP, "imap-starttls.example.com", 143, Security.STARTTLS),
            server(Protocol.IMAP, "imap.example.com", 993, Security.SSL),
            server(Protocol.POP3, "pop.example.com", 995, Security.SSL),
            server(Protocol.SMTP, "smtp.example.com", 465, Security.SSL),
            server(Protocol.SMTP, "submission.example.com", 587, Security.STARTTLS)),
            List.of(new DavServer(DavServer.Type.CALDAV, URI.create("https://dav.example.com:443/cal/"), "%EMAILADDRESS%"),
                    new DavServer(DavServer.Type.CARDDAV, URI.create("https://dav.example.com/card/"), "%EMAILADDRESS%")),
            Optional.empty());

    private static byte[] render(Domain d, Pacc settings) {
        return PaccRenderer.render(provider(d), d, settings).document().orElseThrow();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void documentParsesBackWithEveryServerItCanDescribe() throws Exception {
        byte[] bytes = render(FULL, Pacc.DEFAULT);
        JsonNode doc = JSON.readTree(bytes);
        assertEquals(List.of("protocols", "authentication", "info"), fieldNames(doc));
        JsonNode protocols = doc.get("protocols");
        assertEquals(List.of("imap", "pop3", "submit", "caldav", "carddav"), fieldNames(protocols));
        // The implicit-TLS servers; the STARTTLS ones cannot be described (the draft implies 993/995/465).
        assertEquals("imap.example.com", protocols.get("imap").get("host").asText());
        assertEquals("pop.example.com", protocols.get("pop3").get("host").asText());
        assertEquals("smtp.example.com", protocols.get("submit").get("host").asText());
        assertEquals("https://dav.example.com/cal/", protocols.get("caldav").get("url").asText());
        assertEquals("https://dav.example.com/card/", protocols.get("carddav").get("url").asText());
        assertTrue(doc.get("authentication").get("password").asBoolean());
        assertFalse(doc.get("authentication").has("oauth-public"));
        JsonNode provider = doc.get("info").get("provider");
        assertEquals("Example \"Mail\" \\ Bücher 📫", provider.get("name").asText(), "escaped and read back");
        assertEquals("Ex", provider.get("shortName").asText());
        assertEquals("https://example.com/logo.svg", provider.get("logo").get(0).get("url").asText());
        assertEquals("image/svg+xml", provider.get("logo").get(0).get("content-type").asText());
        assertEquals("https://help.example.com/mail?x=1&y=2", doc.get("info").get("help").get("documentation").asText());
    }

    @Test
    void canonicalBytesCompactUtf8NoBomNoNewline() {
        byte[] bytes = render(FULL, Pacc.DEFAULT);
        assertArrayEquals(bytes, render(FULL, Pacc.DEFAULT), "same input, same bytes");
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"protocols\":{\"imap\":{\"host\":\"imap.example.com\"}"), text);
        assertFalse(text.endsWith("\n"));
        assertTrue(bytes[0] == '{', "no byte-order mark");
        assertTrue(text.contains("Bücher 📫"), "UTF-8, not \\u escapes: " + text);
        // Compact: outside strings no whitespace at all.
        String outside = text.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
        assertFalse(outside.matches("(?s).*\\s.*"), outside);
    }

    /** The TXT digest, recomputed by another implementation: OpenSSL when installed, else the JDK. */
    @Test
    void digestIsSha256OfTheExactBytes() throws Exception {
        byte[] bytes = render(FULL, Pacc.DEFAULT);
        String jdk = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals("v=UAAC1; a=sha256; d=" + jdk, PaccRenderer.digestRecord(bytes));
        Optional<Path> openssl = WebServerConfigTest.binary("/usr/bin/openssl");
        if (openssl.isEmpty()) {
            System.err.println("SKIPPED: openssl not installed; digest checked against the JDK only");
            return;
        }
        Path file = Files.createTempFile("pacc", ".json");
        try {
            Files.write(file, bytes);
            Process p = new ProcessBuilder("sh", "-c", "'" + openssl.get() + "' dgst -sha256 -binary '" + file
                    + "' | '" + openssl.get() + "' base64 -A").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(out, PaccRenderer.digest(bytes));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void revision02WritesSmtp() throws Exception {
        JsonNode doc = JSON.readTree(render(FULL, new Pacc(true, Pacc.Revision.DRAFT_02)));
        assertEquals(List.of("imap", "pop3", "smtp", "caldav", "carddav"), fieldNames(doc.get("protocols")));
    }

    @Test
    void disabledGivesNothing() {
        PaccRenderer.Result r = PaccRenderer.render(provider(FULL), FULL, new Pacc(false, Pacc.Revision.DRAFT_03));
        assertTrue(r.document().isEmpty());
        assertEquals(List.of(), r.leftOut());
    }

    @Test
    void starttlsOnlyProviderGetsNoDocumentAndSaysWhy() {
        Domain d = domain(List.of(server(Protocol.IMAP, "imap.example.com", 143, Security.STARTTLS),
                server(Protocol.SMTP, "smtp.example.com", 587, Security.STARTTLS)), List.of(), Optional.empty());
        PaccRenderer.Result r = PaccRenderer.render(provider(d), d, Pacc.DEFAULT);
        assertTrue(r.document().isEmpty());
        assertEquals(3, r.leftOut().size(), r.leftOut().toString());
        assertTrue(r.leftOut().get(0).startsWith("IMAP left out of the PACC document: imap.example.com:143 uses "
                + "STARTTLS"), r.leftOut().get(0));
        assertTrue(r.leftOut().get(1).startsWith("SMTP left out of the PACC document: smtp.example.com:587 uses "
                + "STARTTLS"), r.leftOut().get(1));
        assertTrue(r.leftOut().get(2).startsWith("no PACC document: no IMAP or POP3 server"), r.leftOut().get(2));
    }

    @Test
    void starttlsSmtpOnlyLeavesImapOutOfNothingButNoDocument() throws Exception {
        Domain d = domain(List.of(server(Protocol.IMAP, "imap.example.com", 993, Security.SSL),
                server(Protocol.SMTP, "smtp.example.com", 587, Security.STARTTLS)), List.of(), Optional.empty());
        PaccRenderer.Result r = PaccRenderer.render(provider(d), d, Pacc.DEFAULT);
        assertTrue(r.document().isEmpty());
        assertTrue(r.leftOut().get(1).startsWith("no PACC document: no SMTP server"), r.leftOut().toString());
    }

    @Test
    void otherPortsOtherLoginsAndPlainDavAreLeftOut() throws Exception {
        MailServer localPart = new MailServer(Protocol.POP3, "pop.example.com", 995, Security.SSL, PASSWORD,
                "%EMAILLOCALPART%", 10);
        Domain d = domain(List.of(server(Protocol.IMAP, "imap.example.com", 1993, Security.SSL),
                server(Protocol.IMAP, "imap2.example.com", 993, Security.SSL), localPart,
                server(Protocol.SMTP, "smtp.example.com", 465, Security.SSL)),
                List.of(new DavServer(DavServer.Type.CALDAV, URI.create("http://dav.example.com/cal/"), "%EMAILADDRESS%"),
                        new DavServer(DavServer.Type.CARDDAV, URI.create("https://dav.example.com:8443/"), "%EMAILADDRESS%")),
                Optional.empty());
        PaccRenderer.Result r = PaccRenderer.render(provider(d), d, Pacc.DEFAULT);
        JsonNode doc = JSON.readTree(r.document().orElseThrow());
        assertEquals("imap2.example.com", doc.get("protocols").get("imap").get("host").asText());
        assertEquals(List.of("imap", "submit"), fieldNames(doc.get("protocols")));
        assertEquals(3, r.leftOut().size(), r.leftOut().toString());
        assertTrue(r.leftOut().get(0).contains("pop.example.com:995 logs in as %EMAILLOCALPART%"), r.leftOut().get(0));
        assertTrue(r.leftOut().get(1).contains("http://dav.example.com/cal/ is plain http"), r.leftOut().get(1));
        assertTrue(r.leftOut().get(2).contains("uses port 8443"), r.leftOut().get(2));
    }

    @Test
    void oauthIssuerWhenEveryServerAcceptsOAuth2() throws Exception {
        List<Authentication> both = List.of(Authentication.OAUTH2, Authentication.PASSWORD_CLEARTEXT);
        Domain d = domain(List.of(
                new MailServer(Protocol.IMAP, "imap.example.com", 993, Security.SSL, both, "%EMAILADDRESS%", 1),
                new MailServer(Protocol.SMTP, "smtp.example.com", 465, Security.SSL, List.of(Authentication.OAUTH2),
                        "%EMAILADDRESS%", 1)), List.of(),
                Optional.of(new OAuth2("login.example.com", "mail", "https://login.example.com/a", "https://login.example.com/t")));
        JsonNode auth = JSON.readTree(PaccRenderer.render(provider(d), d, Pacc.DEFAULT).document().orElseThrow())
                .get("authentication");
        assertFalse(auth.get("password").asBoolean(), "SMTP takes no password: the document cannot promise one");
        assertEquals("https://login.example.com", auth.get("oauth-public").get("issuer").asText());
    }
}
