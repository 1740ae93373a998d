package dev.autogen.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** IDNA2008 with the UTS #46 non-transitional mapping, and how IDNA2003 differs. */
class DomainsTest {

    static String ascii(String name) throws Exception {
        return Domains.toAscii(name);
    }

    static String error(String name) {
        return assertThrows(Domains.InvalidDomainException.class, () -> Domains.toAscii(name)).getMessage();
    }

    @Test
    void sharpSIsKeptNotMappedToSs() throws Exception {
        assertEquals("xn--strae-oqa.example", ascii("straße.example"));
        assertEquals("xn--fa-hia.de", ascii("faß.de"));
        assertEquals("xn--strae-oqa.example", ascii("STRAẞE.example")); // capital sharp s maps to ß
        assertEquals("strasse.example", Domains.idna2003("straße.example"));
        assertEquals("strasse.example", Domains.idna2003("xn--strae-oqa.example"));
        assertTrue(Domains.differsUnderIdna2003("straße.example"));
        assertTrue(Domains.differsUnderIdna2003("xn--strae-oqa.example"));
        assertFalse(Domains.differsUnderIdna2003("bücher.example"));
        assertFalse(Domains.differsUnderIdna2003("example.com"));
    }

    @Test
    void finalSigmaIsKept() throws Exception {
        assertEquals("xn--nxasmm1c.com", ascii("βόλος.com"));
        assertEquals("xn--nxasmq6b.com", Domains.idna2003("βόλος.com"));
        assertEquals("xn--nxasmq6b.com", ascii("βόλοσ.com"));
        assertTrue(Domains.differsUnderIdna2003("βόλος.com"));
    }

    @Test
    void zeroWidthJoinersOnlyWhereRfc5892AllowsThem() throws Exception {
        // After a virama (Devanagari KA, VIRAMA, ZWJ, SSA): kept, so a different name than without it.
        String withZwj = ascii("\u0915\u094D\u200D\u0937.example");
        assertNotEquals(ascii("\u0915\u094D\u0937.example"), withZwj);
        assertTrue(Domains.differsUnderIdna2003("\u0915\u094D\u200D\u0937.example")); // IDNA2003 drops the ZWJ
        // Between two Latin letters: not allowed (IDNA2003 silently removed it: "ab.example").
        assertTrue(error("a\u200Db.example").contains("zero-width joiner"), error("a\u200Db.example"));
        assertEquals("ab.example", Domains.idna2003("a\u200Db.example"));
        assertTrue(error("a\u200Cb.example").contains("zero-width joiner or non-joiner"));
    }

    @Test
    void symbolsValidUnderIdna2003AreRejected() {
        assertTrue(Domains.idna2003("\u2665mail.example").startsWith("xn--mail-"), "IDNA2003 accepts it");
        String m = error("\u2665mail.example");
        assertTrue(m.contains("U+2665 BLACK HEART SUIT") && m.contains("IDNA2008"), m);
        assertTrue(error("\u2603.example").contains("U+2603")); // snowman
        assertTrue(error("a\u00B7b.example").contains("middle dot"), error("a\u00B7b.example")); // CONTEXTO
        assertEquals("xn--ll-0ea.example", assertDoesNotThrow("l\u00B7l.example"));     // Catalan l·l is fine
        assertTrue(error("under_score.example").contains("'_'"), error("under_score.example"));
        assertTrue(error("with space.example").contains("SPACE"), error("with space.example"));
    }

    static String assertDoesNotThrow(String name) {
        try {
            return Domains.toAscii(name);
        } catch (Domains.InvalidDomainException e) {
            throw new AssertionError(name + ": " + e.getMessage());
        }
    }

    @Test
    void bidiRulesOfRfc5893() throws Exception {
        assertTrue(ascii("\u05E9\u05DC\u05D5\u05DD.example").startsWith("xn--"));      // Hebrew label, Latin TLD
        assertTrue(ascii("\u0645\u062B\u0627\u0644.example").startsWith("xn--"));      // Arabic
        String mixed = error("\u05E9\u05DC\u05D5\u05DDabc.example");                   // RTL and LTR in one label
        assertTrue(mixed.contains("right-to-left"), mixed);
        assertTrue(error("0a.\u05E9\u05DC\u05D5\u05DD.example").contains("RFC 5893"));  // LTR label starting with a digit
    }

    @Test
    void unicodeAndALabelFormsAreTheSameName() throws Exception {
        assertEquals(ascii("Straße.Example"), ascii("xn--strae-oqa.example"));
        assertEquals("xn--strae-oqa.example", ascii("XN--STRAE-OQA.EXAMPLE"));
        assertEquals("xn--bcher-kva.example", ascii("Bücher.example."));
        assertEquals("straße.example", Domains.toUnicode("xn--strae-oqa.example"));
    }

    @Test
    void brokenALabelsAndHyphens() {
        assertTrue(error("xn--a.example").contains("xn--"), error("xn--a.example"));
        assertTrue(error("ab--c.example").contains("third and fourth"));
        assertTrue(error("-a.example").contains("starts with '-'"));
        assertTrue(error("a..example").contains("empty label"));
        assertTrue(error("a".repeat(64) + ".example").contains("63"));
        assertEquals("is empty", error("."));
    }

    @Test
    void asciiFastPath() {
        String s = "mail.example.com";
        assertSame(s, Domains.toAsciiOrNull(s));
        assertEquals("mail.example.com", Domains.toAsciiOrNull("Mail.EXAMPLE.com"));
        assertNull(Domains.asciiFastPath("xn--strae-oqa.example")); // A-labels are checked by ICU
        assertEquals("xn--strae-oqa.example", Domains.toAsciiOrNull("xn--strae-oqa.example"));
        assertNull(Domains.toAsciiOrNull("exa_mple..com"));
        assertNull(Domains.toAsciiOrNull("\u2665.example"));
        assertEquals("example.com", Domains.toAsciiOrNull("Example.com.")); // the root label is no part of the name
    }

    @Test
    void rfc5892DerivedProperty() {
        assertTrue(Domains.idna2008Allowed('a'));
        assertTrue(Domains.idna2008Allowed(0x00DF));  // ß: exception, PVALID
        assertTrue(Domains.idna2008Allowed(0x3007));
        assertTrue(Domains.idna2008Allowed(0x00FC));  // ü
        assertTrue(Domains.idna2008Allowed(0x0301));  // combining acute: Mn
        assertFalse(Domains.idna2008Allowed('A'));    // unstable under case folding
        assertFalse(Domains.idna2008Allowed('_'));
        assertFalse(Domains.idna2008Allowed(0x0640)); // Arabic tatweel: exception, DISALLOWED
        assertFalse(Domains.idna2008Allowed(0x2665));
        assertFalse(Domains.idna2008Allowed(0x1100)); // old Hangul jamo
        assertFalse(Domains.idna2008Allowed(0x00A0)); // no-break space
        assertFalse(Domains.idna2008Allowed(0xFFFE));
    }
}
