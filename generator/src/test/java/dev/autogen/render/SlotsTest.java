package dev.autogen.render;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SlotsTest {
    @Test
    void emitsSlotsAsTheContractSpellsThem() {
        assertEquals("{{login:%EMAILLOCALPART%}}", Slots.login("%EMAILLOCALPART%"));
        assertEquals("{{uuid:mail}}", Slots.uuid("mail"));
        assertEquals("{{address}}", Slots.ADDRESS);
        assertEquals("{{name}}", Slots.NAME);
        assertEquals("{{domain}}", Slots.DOMAIN);
    }

    @Test
    void publicVariantReplacesLoginAndAddressOnly() {
        String doc = "<u>{{login:%EMAILLOCALPART%&amp;x}}</u><a>{{address}}</a><n>{{name}}</n><d>{{domain}}</d>";
        assertEquals("<u>%EMAILLOCALPART%&amp;x</u><a>%EMAILADDRESS%</a><n>{{name}}</n><d>{{domain}}</d>",
                Slots.publicAutoconfig(doc));
        assertEquals("<u>%EMAILLOCALPART%&amp;x</u><a>%EMAILADDRESS%</a><n>{{name}}</n><d>example.org</d>",
                Slots.publicAutoconfig(doc, "example.org"));
    }

    @Test
    void publicVariantLeavesTextWithoutSlotsAlone() {
        assertEquals("", Slots.publicAutoconfig(""));
        assertEquals("a { b } {{ c", Slots.publicAutoconfig("a { b } {{ c"));
        assertEquals("x{{login:}}y".replace("{{login:}}", ""), Slots.publicAutoconfig("x{{login:}}y"));
    }

    @Test
    void uuidIsTheContractFunction() {
        UUID expected = UUID.nameUUIDFromBytes("mail\nexample.com\nuser@example.com".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, Slots.uuid("mail", "example.com", "user@example.com"));
        assertEquals(3, expected.version());
        assertNotEquals(expected, Slots.uuid("mail", "example.com", "other@example.com"));
        assertNotEquals(expected, Slots.uuid("caldav", "example.com", "user@example.com"));
    }

    @Test
    void refusesValuesThatWouldBecomeSlots() {
        assertThrows(IllegalArgumentException.class, () -> Slots.login("a{{b"));
        assertThrows(IllegalArgumentException.class, () -> Slots.login("a}}b"));
        assertThrows(IllegalArgumentException.class, () -> Slots.login("ab}"));
        assertThrows(IllegalArgumentException.class, () -> Slots.requireLiteral("{{name}}", "provider name"));
        assertEquals("a{b}c", Slots.requireLiteral("a{b}c", "x"));
        assertThrows(IllegalArgumentException.class, () -> Slots.requireLiteral("a\u0001b", "x"));
        assertThrows(IllegalArgumentException.class, () -> Slots.login("a\u0000"));
        assertEquals("two\nlines", Slots.requireLiteral("two\nlines", "x"));
    }
}
