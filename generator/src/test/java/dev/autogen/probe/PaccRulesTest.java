package dev.autogen.probe;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaccRulesTest {
    private static final byte[] DOC = ("{\"protocols\":{\"imap\":{\"host\":\"imap.example.com\"},\"submit\":{\"host\":"
            + "\"smtp.example.com\"}},\"authentication\":{\"password\":true},\"info\":{\"provider\":{\"name\":\"Ex\","
            + "\"shortName\":\"Ex\"}}}").getBytes(StandardCharsets.UTF_8);
    private static final String D = PaccRules.sha256(DOC);

    private static ClientVerdict check(byte[] doc, String... txt) {
        return PaccRules.check("https://ua-auto-config.example.com/x", doc, "application/json", "*", List.of(txt),
                "DNS", "a@example.com");
    }

    @Test
    void oneMatchingRecordIsEnoughWhateverItsFormatting() {
        for (String record : List.of("v=UAAC1; a=sha256; d=" + D, "a=sha256;v=UAAC1;d=" + D + ";",
                " d=" + D + " ; x=unknown ; v=uaac1 ; a=SHA256 ")) {
            ClientVerdict v = check(DOC, "v=spf1 -all", "v=UAAC1; a=sha256; d=AAAA", record);
            assertTrue(v.ok(), record + ": " + v.problems());
            assertEquals(2, v.servers().size());
            assertEquals("incoming IMAP imap.example.com:993 SSL password user a@example.com", v.servers().get(0).describe());
            assertEquals("outgoing SMTP smtp.example.com:465 SSL password user a@example.com", v.servers().get(1).describe());
        }
    }

    @Test
    void staleOrMissingDigestFails() {
        ClientVerdict stale = check(DOC, "v=UAAC1; a=sha256; d=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assertFalse(stale.ok());
        assertTrue(stale.problems().get(0).contains("d=" + D + " matches no UAAC1 record in DNS"), stale.problems().get(0));
        ClientVerdict none = check(DOC);
        assertTrue(none.problems().get(0).startsWith("no v=UAAC1 TXT record"), none.problems().get(0));
        byte[] changed = new String(DOC, StandardCharsets.UTF_8).replace("}}}", "}} }").getBytes(StandardCharsets.UTF_8);
        assertFalse(check(changed, "v=UAAC1; a=sha256; d=" + D).ok(), "one byte more: another digest");
    }

    @Test
    void shapeContentTypeAndJsonAreChecked() {
        assertFalse(check("not json".getBytes(StandardCharsets.UTF_8), "v=UAAC1; a=sha256; d="
                + PaccRules.sha256("not json".getBytes(StandardCharsets.UTF_8))).ok());
        byte[] noSmtp = "{\"protocols\":{\"imap\":{\"host\":\"imap.example.com\"}},\"authentication\":{\"password\":true}}"
                .getBytes(StandardCharsets.UTF_8);
        ClientVerdict v = check(noSmtp, "v=UAAC1; a=sha256; d=" + PaccRules.sha256(noSmtp));
        assertTrue(v.problems().get(0).startsWith("no outgoing"), v.problems().toString());
        ClientVerdict html = PaccRules.check("x", DOC, "text/html", null, List.of("v=UAAC1; a=sha256; d=" + D), "DNS", "a@b.c");
        assertTrue(html.problems().get(0).startsWith("Content-Type is 'text/html'"), html.problems().toString());
        assertTrue(html.notes().get(0).startsWith("no Access-Control-Allow-Origin"), html.notes().toString());
    }
}
