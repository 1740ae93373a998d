package dev.autogen.render;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The K-9 rules must reject what K-9 rejects, or the tests that use them prove nothing. */
class K9RulesTest {
    private static final String GOOD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1">
              <emailProvider id="example.com">
                <domain>example.com</domain>
                <displayName>Example</displayName>
                <incomingServer type="imap">
                  <hostname>imap.example.com</hostname>
                  <port>993</port>
                  <socketType>SSL</socketType>
                  <username>%EMAILADDRESS%</username>
                  <authentication>password-cleartext</authentication>
                </incomingServer>
                <outgoingServer type="smtp">
                  <hostname>smtp.example.com</hostname>
                  <port>587</port>
                  <socketType>STARTTLS</socketType>
                  <username>%EMAILLOCALPART%</username>
                  <authentication>OAuth2</authentication>
                </outgoingServer>
              </emailProvider>
            </clientConfig>
            """;

    private static List<String> check(String doc) {
        return K9Rules.violations(doc.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsAGoodDocument() {
        assertEquals(List.of(), check(GOOD));
    }

    @Test
    void rejectsSocketTypePlain() {
        assertViolation(GOOD.replace("<socketType>SSL</socketType>", "<socketType>plain</socketType>"), "socketType");
    }

    @Test
    void rejectsWhatK9Rejects() {
        assertViolation("\uFEFF" + GOOD, "byte-order mark");
        assertViolation(GOOD.replace("id=\"example.com\"", "id=\"automx2-example\u0020com\""), "id");
        assertViolation(GOOD.replace("id=\"example.com\"", "id=\"%EMAILDOMAIN%\""), "id");
        assertViolation(GOOD.replace("<domain>example.com</domain>", "<domain>not a host</domain>"), "domain");
        assertViolation(GOOD.replace("<port>993</port>", "<port> 993</port>"), "port");
        assertViolation(GOOD.replace("<port>993</port>", "<port>99999</port>"), "port");
        assertViolation(GOOD.replace("<socketType>STARTTLS</socketType>", "<socketType>starttls</socketType>"),
                "socketType");
        assertViolation(GOOD.replace("<authentication>password-cleartext</authentication>",
                "<authentication>plain</authentication>"), "authentication");
        assertViolation(GOOD.replace("<username>%EMAILADDRESS%</username>", ""), "username");
        assertViolation(GOOD.replace("type=\"imap\"", "type=\"pop3\""), "imap");
        assertViolation(GOOD.replace("<displayName>Example</displayName>",
                "<displayName> Example</displayName>"), "padding");
        assertViolation(GOOD.replace("<displayName>Example</displayName>",
                "<displayName>%EMAILADDRESS%</displayName>"), "placeholder");
        assertViolation(GOOD.replace("<username>%EMAILADDRESS%</username>",
                "<username>{{login:%EMAILADDRESS%}}</username>"), "slot");
    }

    private static void assertViolation(String doc, String expectedFragment) {
        List<String> problems = check(doc);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expectedFragment)),
                "expected a violation mentioning '" + expectedFragment + "', got " + problems);
    }
}
