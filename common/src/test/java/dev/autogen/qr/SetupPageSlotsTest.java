package dev.autogen.qr;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SetupPageSlotsTest {
    private static final String TEMPLATE = "<title>Email for {{domain:unicode}}</title>\n"
            + "<a href=\"/mobileconfig/{{domain}}.mobileconfig\">you@{{domain}}</a>\n"
            + "<svg viewBox=\"0 0 {{qr:size}} {{qr:size}}\"><path d=\"{{qr:path}}\"/></svg>\n"
            + "{{unknown}} {{ {{domain";

    @Test
    void fillsEverySlotAndLeavesTheRestAlone() {
        QrSvg qr = QrSvg.of("https://autoconfig.example.com/mobileconfig/example.com.mobileconfig");
        String expected = "<title>Email for example.com</title>\n"
                + "<a href=\"/mobileconfig/example.com.mobileconfig\">you@example.com</a>\n"
                + "<svg viewBox=\"0 0 " + qr.size() + " " + qr.size() + "\"><path d=\"" + qr.path() + "\"/></svg>\n"
                + "{{unknown}} {{ {{domain";
        assertEquals(expected, SetupPageSlots.fill(TEMPLATE, "example.com"));
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), SetupPageSlots.fillUtf8(TEMPLATE, "example.com"));
    }

    @Test
    void internationalDomainsAreShownInUnicode() {
        String page = SetupPageSlots.fill("{{domain:unicode}} {{domain}}", "xn--bcher-kva.example");
        assertEquals("bücher.example xn--bcher-kva.example", page);
        assertArrayEquals(page.getBytes(StandardCharsets.UTF_8),
                SetupPageSlots.compile("{{domain:unicode}} {{domain}}").fill("xn--bcher-kva.example"));
    }

    @Test
    void qrCodeIsTheProfileUrlsCode() {
        String domain = "a-rather-long-subdomain-name.of-an-even-longer-registered-domain.example";
        QrSvg qr = QrSvg.of(SetupPageSlots.profileUrl(domain));
        assertEquals(qr.size() + "|" + qr.path(), SetupPageSlots.fill("{{qr:size}}|{{qr:path}}", domain));
        assertEquals("https://autoconfig." + domain + "/mobileconfig/" + domain + ".mobileconfig",
                SetupPageSlots.profileUrl(domain));
        assertTrue(qr.path().matches("[Mmh0-9 .]+"), "path data needs no escaping");
    }

    @Test
    void templatesWithoutSlotsAreConstant() {
        assertTrue(SetupPageSlots.compile("<p>{{other}}</p>").constant());
        assertFalse(SetupPageSlots.compile(TEMPLATE).constant());
        assertEquals("", SetupPageSlots.fill("", "example.com"));
        assertEquals("example.com", SetupPageSlots.fill("{{domain}}", "example.com"));
    }

    @Test
    void qrPathIsDeterministic() {
        assertEquals(QrSvg.of("https://x.example/"), QrSvg.of("https://x.example/"));
        assertEquals(41 + 2 * QrSvg.QUIET_ZONE,
                QrSvg.of(SetupPageSlots.profileUrl("example-domain-with-a-long-name.example")).size());
    }
}
