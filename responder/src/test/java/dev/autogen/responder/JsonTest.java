package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autogen.text.Escape;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The answers Jackson writes escape exactly as the shared escaper does for the slots of JSON documents. */
class JsonTest {

    private static String written(String value) {
        String json = new String(Json.object(g -> g.writeStringField("v", value)), StandardCharsets.UTF_8);
        assertEquals("{\"v\":\"", json.substring(0, 6));
        assertEquals("\"}\n", json.substring(json.length() - 3));
        return json.substring(6, json.length() - 3);
    }

    /** Equal, or a failure naming the first difference (not 65 000 characters). */
    private static void same(String expected, String actual) {
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) i++;
        if (i < expected.length() || i < actual.length()) {
            throw new AssertionError("differ at " + i + ": expected ..." + excerpt(expected, i) + " but was ..." + excerpt(actual, i));
        }
    }

    private static String excerpt(String s, int i) {
        StringBuilder b = new StringBuilder();
        s.substring(Math.max(0, i - 4), Math.min(s.length(), i + 8)).chars().forEach(c -> b.append(String.format("U+%04X ", c)));
        return b.toString();
    }

    @Test
    void everyBmpCharacterAndAPairEscapeAsEscapeJsonDoes() {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            if (!Character.isSurrogate((char) c)) all.append((char) c);
        }
        all.append("\uD83D\uDE00");
        same(Escape.json(all.toString()), written(all.toString()));
    }

    @Test
    void loneSurrogatesFromARequestBecomeReplacementCharacters() {
        String hostile = "a\uD800b\uDC00c\uD83D\uDE00";
        assertEquals("a\uFFFDb\uFFFDc\uD83D\uDE00", Json.scalars(hostile));
        same(Escape.json(hostile), written(Json.scalars(hostile)));
    }
}
