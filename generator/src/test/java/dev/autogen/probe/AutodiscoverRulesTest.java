package dev.autogen.probe;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.autogen.probe.Documents.AUTODISCOVER;
import static dev.autogen.probe.Documents.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutodiscoverRulesTest {

    private static ClientVerdict outlook(String document) {
        return AutodiscoverRules.outlook("test", bytes(document));
    }

    private static void assertProblem(ClientVerdict verdict, String fragment) {
        assertFalse(verdict.ok(), () -> "Outlook should reject: " + fragment);
        assertTrue(verdict.problems().stream().anyMatch(p -> p.contains(fragment)),
                () -> "no problem mentioning \"" + fragment + "\" in " + verdict.problems());
    }

    @Test
    void goodDocumentGivesImplicitTlsImapAndStartTlsSubmission() {
        ClientVerdict v = outlook(AUTODISCOVER);
        assertTrue(v.ok(), v.problems()::toString);
        assertEquals(List.of(
                new ServerSetting("incoming", "IMAP", "imap.example.com", 993, "SSL", "password", "alice@example.com"),
                new ServerSetting("outgoing", "SMTP", "smtp.example.com", 587, "STARTTLS", "password", "alice@example.com")),
                v.servers());
    }

    @Test
    void absentSslOrSpaDefaultsToOnAndIsFlagged() {
        assertProblem(outlook(AUTODISCOVER.replaceFirst("<SSL>on</SSL>", "")), "<SSL> is absent");
        ClientVerdict noSpa = outlook(AUTODISCOVER.replaceFirst("<SPA>off</SPA>", ""));
        assertProblem(noSpa, "<SPA> is absent");
    }

    @Test
    void startTlsOnAnImplicitTlsPortBreaksOutlook() {
        assertProblem(outlook(AUTODISCOVER.replace("<Encryption>SSL</Encryption>", "<Encryption>TLS</Encryption>")),
                "implicit-TLS port 993");
    }

    @Test
    void automx2StyleSslOffWithEncryptionTlsMeansCleartextForThunderbird() {
        String automx2 = AUTODISCOVER.replace("<SSL>on</SSL><Encryption>TLS</Encryption>", "<SSL>off</SSL><Encryption>TLS</Encryption>");
        assertProblem(outlook(automx2), "Thunderbird obeys SSL off");
    }

    @Test
    void errorResponsesRedirectsAndWrongSchemasAreReported() {
        String error = """
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
                  <Response><Error Time="10:00:00.000" Id="1"><ErrorCode>600</ErrorCode><Message>Invalid Request</Message>
                  <DebugData/></Error></Response></Autodiscover>""";
        assertProblem(outlook(error), "Autodiscover error 600: Invalid Request");

        String redirect = AUTODISCOVER.replace("<Action>settings</Action>",
                "<Action>redirectAddr</Action><RedirectAddr>bob@example.net</RedirectAddr>");
        assertProblem(outlook(redirect), "does not follow redirects");

        assertProblem(outlook(AUTODISCOVER.replace("outlook/responseschema/2006a", "mobilesync/responseschema/2006")),
                "not the Outlook response schema");

        String prefixed = AUTODISCOVER.replace("<Autodiscover xmlns=", "<a:Autodiscover xmlns:a=")
                .replace("</Autodiscover>", "</a:Autodiscover>");
        assertProblem(outlook(prefixed), "prefixed");
    }

    @Test
    void missingSmtpAndSpaOnAreReported() {
        String imapOnly = AUTODISCOVER.replaceAll("(?s)<Protocol>\\s*<Type>SMTP</Type>.*?</Protocol>", "");
        assertProblem(outlook(imapOnly), "no SMTP <Protocol>");
        ClientVerdict ntlm = outlook(AUTODISCOVER.replaceFirst("<SPA>off</SPA>", "<SPA>on</SPA>"));
        assertTrue(ntlm.ok());
        assertEquals("SPA (NTLM)", ntlm.servers().get(0).authentication());
    }

    @Test
    void doctypeIsRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Autodiscover [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>"
                + AUTODISCOVER.substring(AUTODISCOVER.indexOf("<Autodiscover")).replace("<AccountType>email", "<AccountType>&e;email");
        assertProblem(outlook(xxe), "DOCTYPE");
    }
}
