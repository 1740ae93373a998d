package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.autogen.pack.DocEncoding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Slot splitting and per-context escaping. */
class TemplateTest {

    static String render(String doc, DocEncoding.Context c, Template.Fill f) {
        Bytes out = new Bytes(16);
        Template.parse(doc, c).render(f, out);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    static final Template.Fill USER = new Template.Fill("a<b@x.org", "a<b", "x.org", "x.org", null, null, "12:00:00.000", "ff");
    static final Template.Fill NOBODY = new Template.Fill(null, null, null, "x.org", null, null, null, null);

    @Test
    void fillsEverySlotKind() {
        String doc = "<a>{{address}}|{{login:u-%EMAILLOCALPART%@%EMAILDOMAIN%/%EMAILADDRESS%}}|{{name}}|{{domain}}|{{time}}|{{requestid}}</a>";
        assertEquals("<a>a&lt;b@x.org|u-a&lt;b@x.org/a&lt;b@x.org|a&lt;b@x.org|x.org|12:00:00.000|ff</a>", render(doc, DocEncoding.Context.XML, USER));
        assertEquals("<a>%EMAILADDRESS%|u-%EMAILLOCALPART%@%EMAILDOMAIN%/%EMAILADDRESS%|%EMAILADDRESS%|x.org||</a>", render(doc, DocEncoding.Context.XML, NOBODY));
    }

    @Test
    void ldapUidReplacesTheLoginTemplateAndNameWins() {
        Template.Fill f = new Template.Fill("a@x.org", "a", "x.org", "x.org", "u&1", "N\"ame", null, null);
        assertEquals("u&amp;1 N&quot;ame", render("{{login:%EMAILADDRESS%}} {{name}}", DocEncoding.Context.XML, f));
        // JSON documents (PACC) have no slots: served exactly as written, "}}}" and all.
        assertEquals("{\"u\":{\"n\":\"{{name}}\"}}", render("{\"u\":{\"n\":\"{{name}}\"}}", DocEncoding.Context.JSON, f));
    }

    @Test
    void uuidIsTheDocumentedNameBasedUuid() {
        assertEquals(java.util.UUID.nameUUIDFromBytes("mail\nx.org\na<b@x.org".getBytes(StandardCharsets.UTF_8)).toString(),
                render("{{uuid:mail}}", DocEncoding.Context.XML, USER));
    }

    @Test
    void escapingIntoTheBufferCleansWhatXmlCannotCarryAndEncodesUtf8() {
        Template.Fill f = new Template.Fill("a@x.org", "a", "x.org", "x.org", "u\u0001\uFFFE", "N\u00e9 \uD83D\uDE00 \uDC00<", null, null);
        assertEquals("u\uFFFD\uFFFD N\u00e9 \uD83D\uDE00 \uFFFD&lt;", render("{{login:%EMAILADDRESS%}} {{name}}", DocEncoding.Context.XML, f));
    }

    @Test
    void bytesEncodesLikeTheJdk() {
        String s = "a\u00e9\u20ac\uD83D\uDE00z";
        Bytes out = new Bytes(1);
        out.append(s, 0, s.length());
        out.append(s, 1, 3);
        assertEquals(s + s.substring(1, 3), new String(out.toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void addressParsing() {
        EmailAddress a = EmailAddress.parse("Mixed.Case@EXAMPLE.Com");
        assertEquals("Mixed.Case@example.com", a.address());
        assertEquals("example.com", a.domain());
        assertEquals("xn--bcher-kva.example", EmailAddress.parse("x@Bücher.example").domain());
        assertNull(EmailAddress.parse("x@exa_mple..com"));
        assertNull(EmailAddress.parse("x@" + "a".repeat(64) + ".com"));
        assertNull(EmailAddress.parse("x\r\n@example.com"));
    }

    /** IDNA2008: ß and ς are kept, symbols and misplaced joiners are refused; local parts may be Unicode. */
    @Test
    void addressDomainsAreIdna2008() {
        assertEquals("xn--strae-oqa.example", EmailAddress.parse("x@Straße.example").domain());
        assertEquals("xn--strae-oqa.example", EmailAddress.parse("x@XN--STRAE-OQA.example").domain());
        assertEquals("xn--nxasmm1c.example", EmailAddress.parse("x@βόλος.example").domain());
        assertNull(EmailAddress.parse("x@\u2665mail.example"));
        assertNull(EmailAddress.parse("x@a\u200Db.example"));
        assertNull(EmailAddress.parse("x@xn--a.example"));
        assertNull(EmailAddress.parse("x@ab--c.example"));
        EmailAddress u = EmailAddress.parse("j\u00f6rg.\u7528\u6237@straße.example");
        assertEquals("j\u00f6rg.\u7528\u6237@xn--strae-oqa.example", u.address());
        String plain = "mail.example.com";
        assertSame(plain, EmailAddress.asciiDomain(plain), "lower-case ASCII: no copy, no ICU");
    }

    @Test
    void setupPagesFillAsSetupPageSlotsDoes() {
        String page = "<title>{{domain:unicode}}</title>\n<a href=\"https://autoconfig.{{domain}}/\">{{domain}}</a> {{other}} {{\n"
                + "<svg viewBox=\"0 0 {{qr:size}} {{qr:size}}\"><path d=\"{{qr:path}}\"/></svg>}}\n";
        for (String domain : new String[] {"example.com", "xn--bcher-kva.example"}) {
            Template.Fill f = new Template.Fill(null, null, null, domain, null, null, null, null);
            assertEquals(new String(dev.autogen.qr.SetupPageSlots.fillUtf8(page, domain), StandardCharsets.UTF_8),
                    render(page, DocEncoding.Context.HTML, f));
        }
    }
}
