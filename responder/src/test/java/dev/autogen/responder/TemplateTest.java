package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Slot splitting and per-context escaping. */
class TemplateTest {

    static String render(String doc, Template.Context c, Template.Fill f) {
        Bytes out = new Bytes(16);
        Template.parse(doc, c).render(f, out);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    static final Template.Fill USER = new Template.Fill("a<b@x.org", "a<b", "x.org", "x.org", null, null, "12:00:00.000", "ff");
    static final Template.Fill NOBODY = new Template.Fill(null, null, null, "x.org", null, null, null, null);

    @Test
    void fillsEverySlotKind() {
        String doc = "<a>{{address}}|{{login:u-%EMAILLOCALPART%@%EMAILDOMAIN%/%EMAILADDRESS%}}|{{name}}|{{domain}}|{{time}}|{{requestid}}</a>";
        assertEquals("<a>a&lt;b@x.org|u-a&lt;b@x.org/a&lt;b@x.org|a&lt;b@x.org|x.org|12:00:00.000|ff</a>", render(doc, Template.Context.XML, USER));
        assertEquals("<a>%EMAILADDRESS%|u-%EMAILLOCALPART%@%EMAILDOMAIN%/%EMAILADDRESS%|%EMAILADDRESS%|x.org||</a>", render(doc, Template.Context.XML, NOBODY));
    }

    @Test
    void ldapUidReplacesTheLoginTemplateAndNameWins() {
        Template.Fill f = new Template.Fill("a@x.org", "a", "x.org", "x.org", "u&1", "N\"ame", null, null);
        assertEquals("u&amp;1 N&quot;ame", render("{{login:%EMAILADDRESS%}} {{name}}", Template.Context.XML, f));
        assertEquals("{\"u\":\"u\\u00261\",\"n\":\"N\\\"ame\"}", render("{\"u\":\"{{login:%EMAILADDRESS%}}\",\"n\":\"{{name}}\"}", Template.Context.JSON, f));
    }

    @Test
    void uuidIsTheDocumentedNameBasedUuid() {
        assertEquals(java.util.UUID.nameUUIDFromBytes("mail\nx.org\na<b@x.org".getBytes(StandardCharsets.UTF_8)).toString(),
                render("{{uuid:mail}}", Template.Context.XML, USER));
    }

    @Test
    void escaping() {
        assertEquals("&amp;&lt;&gt;&quot;&apos;plain", Template.escapeXml("&<>\"'plain"));
        assertEquals("\\\"\\\\\\n\\u0001\\u003c\\u003e\\u0026\\u2028é",
                new String(Json.stringContent("\"\\\n\u0001<>&\u2028é"), StandardCharsets.UTF_8));
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
}
