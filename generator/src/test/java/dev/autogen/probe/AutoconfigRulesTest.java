package dev.autogen.probe;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.autogen.probe.Documents.ADDRESS;
import static dev.autogen.probe.Documents.AUTOCONFIG;
import static dev.autogen.probe.Documents.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoconfigRulesTest {

    private static void assertProblem(ClientVerdict verdict, String fragment) {
        assertFalse(verdict.ok(), () -> verdict.client() + " should reject: " + fragment);
        assertTrue(verdict.problems().stream().anyMatch(p -> p.contains(fragment)),
                () -> "no problem mentioning \"" + fragment + "\" in " + verdict.problems());
    }

    @Test
    void goodDocumentIsAcceptedByBothWithPlaceholdersReplaced() {
        ClientVerdict k9 = AutoconfigRules.k9("test", bytes(AUTOCONFIG), ADDRESS);
        assertTrue(k9.ok(), k9.problems()::toString);
        assertEquals(List.of(
                new ServerSetting("incoming", "IMAP", "imap.example.com", 993, "SSL", "password-cleartext", ADDRESS),
                new ServerSetting("outgoing", "SMTP", "smtp.example.com", 465, "SSL", "password-cleartext", "alice")),
                k9.servers());
        ClientVerdict tb = AutoconfigRules.thunderbird("test", bytes(AUTOCONFIG), "text/xml; charset=utf-8", ADDRESS);
        assertTrue(tb.ok(), tb.problems()::toString);
        assertEquals(k9.servers(), tb.servers());
    }

    @Test
    void automx2DefaultsAreRejectedByK9ButNotByThunderbird() {
        String automx2 = AUTOCONFIG.replace("id=\"example.com\"", "id=\"automx2 1\"")
                .replace("<socketType>SSL</socketType>", "<socketType>STARTTLS</socketType>")
                .replace("password-cleartext", "plain");
        ClientVerdict k9 = AutoconfigRules.k9("test", bytes(automx2), ADDRESS);
        assertProblem(k9, "emailProvider id=\"automx2 1\" is not a valid host name");
        assertProblem(k9, "no authentication K-9 understands");
        assertTrue(k9.servers().isEmpty(), "a rejected file configures nothing");
        ClientVerdict tb = AutoconfigRules.thunderbird("test", bytes(automx2), "text/xml", ADDRESS);
        assertTrue(tb.ok(), tb.problems()::toString);
        assertEquals("plain", tb.servers().get(0).authentication());
    }

    @Test
    void plainSocketTypeRejectsTheFileForK9AndIsANoteForThunderbird() {
        String plain = AUTOCONFIG.replace("<port>993</port>\n      <socketType>SSL</socketType>",
                "<port>143</port>\n      <socketType>plain</socketType>");
        assertProblem(AutoconfigRules.k9("test", bytes(plain), ADDRESS), "socketType \"plain\"");
        ClientVerdict tb = AutoconfigRules.thunderbird("test", bytes(plain), "application/xml", ADDRESS);
        assertTrue(tb.ok());
        assertTrue(tb.notes().stream().anyMatch(n -> n.contains("cleartext")), tb.notes()::toString);
    }

    @Test
    void byteOrderMarkRejectsTheFileForK9() {
        byte[] withBom = ("\uFEFF" + AUTOCONFIG).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertProblem(AutoconfigRules.k9("test", withBom, ADDRESS), "byte-order mark");
    }

    @Test
    void paddedOrNonNumericPortRejectsTheFileForK9() {
        assertProblem(AutoconfigRules.k9("test", bytes(AUTOCONFIG.replace("<port>993</port>", "<port> 993</port>")),
                ADDRESS), "padded with whitespace");
        assertProblem(AutoconfigRules.k9("test", bytes(AUTOCONFIG.replace("<port>993</port>", "<port>99999</port>")),
                ADDRESS), "not a bare integer");
    }

    @Test
    void k9NeedsImapAndReadsOnlyTheFirstImapServer() {
        String pop = AUTOCONFIG.replace("type=\"imap\"", "type=\"pop3\"");
        assertProblem(AutoconfigRules.k9("test", bytes(pop), ADDRESS), "no incomingServer type=\"imap\"");
        // Thunderbird takes POP3.
        ClientVerdict tb = AutoconfigRules.thunderbird("test", bytes(pop), "text/xml", ADDRESS);
        assertTrue(tb.ok());
        assertEquals("POP3", tb.servers().get(0).protocol());
    }

    @Test
    void missingUsernameBecomesUndefinedInThunderbirdAndRejectsForK9() {
        String noUser = AUTOCONFIG.replace("<username>%EMAILADDRESS%</username>", "");
        assertProblem(AutoconfigRules.thunderbird("test", bytes(noUser), "text/xml", ADDRESS), "\"undefined\"");
        assertProblem(AutoconfigRules.k9("test", bytes(noUser), ADDRESS), "<username> is missing");
    }

    @Test
    void thunderbirdSkipsOAuth2OnlyServersAndFallsBackToTheNextMethod() {
        String both = AUTOCONFIG.replace("<authentication>password-cleartext</authentication>\n      <username>%EMAILADDRESS%",
                "<authentication>OAuth2</authentication>\n      <authentication>password-cleartext</authentication>\n"
                        + "      <username>%EMAILADDRESS%");
        ClientVerdict tb = AutoconfigRules.thunderbird("test", bytes(both), "text/xml", ADDRESS);
        assertTrue(tb.ok(), tb.problems()::toString);
        assertEquals("password-cleartext", tb.servers().get(0).authentication());
        ClientVerdict k9 = AutoconfigRules.k9("test", bytes(both), ADDRESS);
        assertEquals("OAuth2", k9.servers().get(0).authentication());

        String oauthOnly = AUTOCONFIG.replace("<authentication>password-cleartext</authentication>\n      <username>%EMAILADDRESS%",
                "<authentication>OAuth2</authentication>\n      <username>%EMAILADDRESS%");
        assertProblem(AutoconfigRules.thunderbird("test", bytes(oauthOnly), "text/xml", ADDRESS), "no usable incoming");
    }

    @Test
    void thunderbirdIgnoresAnswersWithTheWrongContentType() {
        assertProblem(AutoconfigRules.thunderbird("test", bytes(AUTOCONFIG), "text/html", ADDRESS), "Content-Type");
    }

    @Test
    void secondOutgoingServerKeepsItsPlaceholdersInThunderbird() {
        // The first SMTP server is unusable (bad port), so Thunderbird falls back to the second, where it does not
        // replace placeholders: the login would be the literal %EMAILADDRESS%.
        String twoSmtp = AUTOCONFIG.replace("<port>465</port>", "<port>smtps</port>").replace("</outgoingServer>", """
                </outgoingServer>
                    <outgoingServer type="smtp">
                      <hostname>smtp2.example.com</hostname><port>587</port><socketType>STARTTLS</socketType>
                      <authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username>
                    </outgoingServer>""");
        ClientVerdict tb = AutoconfigRules.thunderbird("test", bytes(twoSmtp), "text/xml", ADDRESS);
        assertEquals("smtp2.example.com", tb.servers().get(1).hostname());
        assertProblem(tb, "does not replace placeholders");
        assertTrue(tb.notes().stream().anyMatch(n -> n.contains("invalid port \"smtps\"")), tb.notes()::toString);
    }

    @Test
    void documentsWithADoctypeAreRefused() {
        String xxe = AUTOCONFIG.replace("<clientConfig version=\"1.1\">",
                "<!DOCTYPE clientConfig [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<clientConfig version=\"1.1\">")
                .replace("<displayName>Example Mail</displayName>", "<displayName>&x;</displayName>");
        assertProblem(AutoconfigRules.k9("test", bytes(xxe), ADDRESS), "DOCTYPE");
        assertProblem(AutoconfigRules.thunderbird("test", bytes(xxe), "text/xml", ADDRESS), "DOCTYPE");
    }

    @Test
    void notXmlAndWrongRootAreReported() {
        assertProblem(AutoconfigRules.k9("test", bytes("<html>oops"), ADDRESS), "not well-formed");
        assertProblem(AutoconfigRules.thunderbird("test", bytes("<html/>"), "text/xml", ADDRESS), "not <clientConfig>");
    }

    @Test
    void hostnameRule() {
        assertTrue(AutoconfigRules.isHostname("mail.example.com"));
        assertTrue(AutoconfigRules.isHostname("xn--bcher-kva.example"));
        assertFalse(AutoconfigRules.isHostname("automx2-1 "));
        assertFalse(AutoconfigRules.isHostname("%EMAILDOMAIN%"));
        assertFalse(AutoconfigRules.isHostname("-bad.example.com"));
        assertFalse(AutoconfigRules.isHostname("a..b"));
        assertFalse(AutoconfigRules.isHostname(""));
    }
}
