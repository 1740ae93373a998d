package dev.autogen.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/autogen.schema.json and docs/yaml-reference.md describe exactly the keys the loader accepts. */
class SchemaTest {
    private static final Path DOCS = Path.of("..", "docs");

    /** Loader key list ↔ schema object (root or a $defs entry). */
    private static final Map<String, List<String>> OBJECTS = Map.ofEntries(
            Map.entry("", Keys.TOP),
            Map.entry("web", Keys.WEB),
            Map.entry("pacc", Keys.PACC),
            Map.entry("logo", Keys.LOGO),
            Map.entry("provider", Keys.PROVIDER),
            Map.entry("domain", Keys.DOMAIN),
            Map.entry("documentation", Keys.DOCUMENTATION),
            Map.entry("server", Keys.SERVER),
            Map.entry("dav", Keys.DAV),
            Map.entry("oauth2", Keys.OAUTH2),
            Map.entry("directory", Keys.DIRECTORY),
            Map.entry("signing", Keys.SIGNING));

    @Test
    @SuppressWarnings("unchecked")
    void schemaPropertiesAreExactlyTheLoadersKeys() throws Exception {
        Map<String, Object> schema = (Map<String, Object>) new JsonReader(
                Files.readString(DOCS.resolve("autogen.schema.json"), StandardCharsets.UTF_8)).read();
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema"));
        Map<String, Object> defs = (Map<String, Object>) schema.get("$defs");
        for (Map.Entry<String, List<String>> e : OBJECTS.entrySet()) {
            Map<String, Object> object = e.getKey().isEmpty() ? schema : (Map<String, Object>) defs.get(e.getKey());
            assertEquals("object", object.get("type"), e.getKey());
            assertEquals(Boolean.FALSE, object.get("additionalProperties"), e.getKey() + " must be closed");
            Set<String> properties = new TreeSet<>(((Map<String, Object>) object.get("properties")).keySet());
            assertEquals(new TreeSet<>(e.getValue()), properties, "keys of " + (e.getKey().isEmpty() ? "the top level"
                    : e.getKey()));
        }
        // Every closed object with properties in the schema is one the loader knows (none forgotten above).
        List<String> closed = new ArrayList<>();
        for (Map.Entry<String, Object> d : defs.entrySet()) {
            if (d.getValue() instanceof Map<?, ?> m && m.containsKey("properties")) {
                closed.add(d.getKey());
            }
        }
        assertEquals(new TreeSet<>(closed), new TreeSet<>(OBJECTS.keySet().stream().filter(k -> !k.isEmpty()).toList()));
    }

    @Test
    void referenceDocumentsEveryKey() throws Exception {
        String doc = Files.readString(DOCS.resolve("yaml-reference.md"), StandardCharsets.UTF_8);
        for (List<String> keys : OBJECTS.values()) {
            for (String key : keys) {
                assertTrue(doc.contains("| `" + key + "` |"), "docs/yaml-reference.md has no table row for " + key);
            }
        }
    }

    @Test
    void jsonReaderRejectsGarbage() {
        for (String bad : List.of("{", "{\"a\" 1}", "[1,]", "\"unterminated", "{} x", "tru")) {
            assertFalse(parses(bad), bad);
        }
        assertTrue(parses("{\"a\": [1, -2.5e3, true, false, null, \"\\u00e9\\n\"]}"));
    }

    private static boolean parses(String json) {
        try {
            new JsonReader(json).read();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Just enough JSON (RFC 8259) to read the schema: objects, arrays, strings, numbers, literals. */
    static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s;
        }

        Object read() {
            Object v = value();
            space();
            if (i != s.length()) {
                throw fail("trailing text");
            }
            return v;
        }

        private Object value() {
            space();
            if (i >= s.length()) {
                throw fail("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                space();
                if (peek('}')) {
                    return m;
                }
                do {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    m.put(key, value());
                    space();
                } while (peek(','));
                expect('}');
                return m;
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                space();
                if (peek(']')) {
                    return l;
                }
                do {
                    l.add(value());
                    space();
                } while (peek(','));
                expect(']');
                return l;
            }
            if (c == '"') {
                return string();
            }
            for (String literal : List.of("true", "false", "null")) {
                if (s.startsWith(literal, i)) {
                    i += literal.length();
                    return literal.equals("null") ? null : Boolean.valueOf(literal);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            try {
                return Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw fail("unexpected character");
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw fail("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw fail("expected '" + c + "'");
            }
        }

        private IllegalArgumentException fail(String what) {
            return new IllegalArgumentException(what + " at offset " + i);
        }
    }
}
