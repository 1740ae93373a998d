package dev.autogen.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the one JSON shape the probe meets: Autodiscover v2's flat object of string values, e.g.
 * {@code {"Protocol":"AutodiscoverV1","Url":"https://..."}}. Written out because the project has no JSON library
 * and this shape needs thirty lines, not a dependency. Numbers, booleans and null are kept as their text; nested
 * objects or arrays are refused.
 */
final class FlatJson {
    private final String s;
    private int pos;

    private FlatJson(String s) {
        this.s = s;
    }

    static Map<String, String> parseObject(String json) {
        FlatJson p = new FlatJson(json);
        Map<String, String> result = new LinkedHashMap<>();
        p.skip();
        p.expect('{');
        p.skip();
        if (p.peek() == '}') {
            p.pos++;
        } else {
            while (true) {
                p.skip();
                String key = p.string();
                p.skip();
                p.expect(':');
                p.skip();
                result.put(key, p.peek() == '"' ? p.string() : p.bare());
                p.skip();
                if (p.peek() != ',') {
                    break;
                }
                p.pos++;
            }
            p.expect('}');
        }
        p.skip();
        if (p.pos != p.s.length()) {
            throw new ProbeException("not JSON: trailing characters at offset " + p.pos);
        }
        return result;
    }

    private char peek() {
        if (pos >= s.length()) {
            throw new ProbeException("not JSON: unexpected end");
        }
        return s.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new ProbeException("not JSON: expected '" + c + "' at offset " + pos);
        }
        pos++;
    }

    private void skip() {
        while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private String bare() {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || "+-.".indexOf(s.charAt(pos)) >= 0)) {
            pos++;
        }
        if (start == pos) {
            throw new ProbeException("not a flat JSON object: unexpected '" + peek() + "' at offset " + pos);
        }
        return s.substring(start, pos);
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = peek();
            pos++;
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new ProbeException("not JSON: control character in a string at offset " + (pos - 1));
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = peek();
            pos++;
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw new ProbeException("not JSON: truncated \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new ProbeException("not JSON: bad \\u escape at offset " + pos);
                    }
                    pos += 4;
                }
                default -> throw new ProbeException("not JSON: bad escape \\" + e + " at offset " + (pos - 1));
            }
        }
    }
}
