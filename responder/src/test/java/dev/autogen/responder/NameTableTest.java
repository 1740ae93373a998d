package dev.autogen.responder;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loader's byte-keyed table: every key found by String and by byte range, through many doublings. */
class NameTableTest {
    private static boolean add(NameTable t, String key, int value) {
        byte[] line = ("x\t" + key + "\ty").getBytes(StandardCharsets.US_ASCII); // a key inside a longer buffer
        return t.add(line, 2, 2 + key.length(), value);
    }

    private static int slot(NameTable t, String key) {
        byte[] b = ("..." + key).getBytes(StandardCharsets.US_ASCII);
        return t.slot(b, 3, b.length);
    }

    @Test
    void everyKeyThroughManyDoublings() {
        NameTable t = new NameTable(4);
        int n = 200_000;
        for (int i = 0; i < n; i++) assertTrue(add(t, "d" + i + ".example", i));
        assertEquals(n, t.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, t.get("d" + i + ".example"));
            assertEquals(i, t.value(slot(t, "d" + i + ".example")));
        }
        assertEquals(-1, t.get("d" + n + ".example"));
        assertEquals(-1, slot(t, "d" + n + ".example"));
        assertEquals(-1, t.get("d1.exämple"));
        assertFalse(add(t, "d7.example", 99), "a key already there");
        assertEquals(7, t.get("d7.example"));
        t.trim();
        assertEquals(123, t.get("d123.example"));
    }

    @Test
    void keysWithTheSameHashStayApart() {
        // "Aa" and "BB" have the same String.hashCode, so the same stored hash: the bytes decide.
        NameTable t = new NameTable(16);
        assertTrue(add(t, "Aa.example", 1));
        assertTrue(add(t, "BB.example", 2));
        assertTrue(add(t, "AaAa.example", 3));
        assertTrue(add(t, "BBBB.example", 4));
        assertTrue(add(t, "AaBB.example", 5));
        assertEquals(1, t.get("Aa.example"));
        assertEquals(2, t.get("BB.example"));
        assertEquals(3, t.get("AaAa.example"));
        assertEquals(4, t.get("BBBB.example"));
        assertEquals(5, t.value(slot(t, "AaBB.example")));
        assertEquals(-1, t.get("BBAa.example"));
        // Keys of whole eight-byte words, and none: hashed by words from bytes and by characters from Strings.
        for (String key : new String[] {"", "abcdefgh", "abcdefgh.example", "abcdefgh.example.exampled"}) {
            assertTrue(add(t, key, key.length() + 100));
            assertEquals(key.length() + 100, t.get(key));
            assertEquals(key.length() + 100, t.value(slot(t, key)));
        }
        int s = slot(t, "BB.example");
        t.value(s, 42);
        assertEquals(42, t.get("BB.example"));
        assertEquals(1, t.get("Aa.example"));
    }
}
