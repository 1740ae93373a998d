package dev.autogen.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Every BMP code point (in runs of 256, so surrogates come lone), lone surrogates at the edges, and surrogate pairs,
 * through each escaper and back through a real parser of that context: what the context can carry comes back
 * unchanged, everything else as U+FFFD, and nothing fails to parse.
 */
class EscapeTest {

    /** Every value the tests escape: 256 runs of 256 BMP code points, then the surrogate edge cases. */
    static List<String> values() {
        List<String> out = new ArrayList<>();
        for (int start = 0; start < 0x10000; start += 256) {
            StringBuilder sb = new StringBuilder();
            for (int c = start; c < start + 256; c++) sb.append((char) c);
            out.add(sb.toString());
        }
        out.add("\uD800");                      // lone high surrogate at the end
        out.add("\uDC00x");                     // lone low surrogate at the start
        out.add("x\uDBFF\uDBFF\uDFFFy");        // a lone high surrogate followed by a pair
        out.add("\uDFFF\uD800");                // reversed pair: two lone surrogates
        out.add("\uD83D\uDE00 \uD800\uDC00 \uDBFF\uDFFF"); // U+1F600, U+10000, U+10FFFF
        out.add("\u0001 cn \uFFFE\uFFFF end");
        out.add("&amp; <![CDATA[ ]]> \r\n \t \"'");
        return out;
    }

    /** The value as an XML (or plist) parser must read it back: illegal characters as U+FFFD, pairs intact. */
    static String xmlExpected(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else sb.append(Escape.xmlChar(c) && !Character.isSurrogate(c) ? c : '\uFFFD');
        }
        return sb.toString();
    }

    /** As a JSON parser must read it back: every scalar value, lone surrogates as U+FFFD. */
    static String jsonExpected(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
        }
        return sb.toString();
    }

    /** No DTDs, no external entities: the parser a careful client uses. */
    static DocumentBuilder hardenedXmlParser() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void xmlTextAndAttributesParseAndRoundTrip() throws Exception {
        DocumentBuilder parser = hardenedXmlParser();
        for (String v : values()) {
            String e = Escape.xml(v);
            Element root = parser.parse(new ByteArrayInputStream(utf8(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r a=\"" + e + "\" b='" + e + "'>" + e + "</r>"))).getDocumentElement();
            String want = xmlExpected(v);
            assertEquals(want, root.getTextContent(), () -> "text, run starting U+" + Integer.toHexString(v.charAt(0)));
            assertEquals(want, root.getAttribute("a"), () -> "attribute, run starting U+" + Integer.toHexString(v.charAt(0)));
            assertEquals(want, root.getAttribute("b"));
        }
    }

    @Test
    void plistStringsParseWithDdPlistAndRoundTrip() throws Exception {
        for (String v : values()) {
            String doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                    + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\"><string>"
                    + Escape.plist(v) + "</string></plist>";
            NSString parsed = (NSString) PropertyListParser.parse(utf8(doc));
            assertEquals(xmlExpected(v), parsed.getContent(), () -> "run starting U+" + Integer.toHexString(v.charAt(0)));
        }
    }

    @Test
    void jsonStringsParseWithJacksonAndRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String v : values()) {
            String e = Escape.json(v);
            assertEquals(jsonExpected(v), json.readTree(utf8("{\"v\":\"" + e + "\"}")).get("v").textValue(),
                    () -> "run starting U+" + Integer.toHexString(v.charAt(0)));
            for (char c : e.toCharArray()) {
                // Nothing that a browser could sniff as markup or a script parser treat as a line end.
                assertEquals(-1, "<>&\u2028\u2029".indexOf(c), "raw " + (int) c);
            }
        }
    }

    @Test
    void xmlCleanReplacesOnlyWhatXmlCannotCarry() {
        for (String v : values()) assertEquals(xmlExpected(v), Escape.xmlClean(v));
        String fine = "Alice <Admin> & \"Co\" \uD83D\uDE00";
        assertSame(fine, Escape.xmlClean(fine));
    }

    @Test
    void commonValuesAndTheSinkVariant() {
        assertEquals("&amp;&lt;&gt;&quot;&apos;plain", Escape.xml("&<>\"'plain"));
        assertEquals("a\uFFFDb\uFFFDc&#13;&#10;", Escape.xml("a\u0001b\uFFFEc\r\n"));
        String plain = "jane@example.com";
        assertSame(plain, Escape.xml(plain));
        assertEquals("\\\"\\\\\\n\\u0001\\u003c\\u003e\\u0026\\u2028é\uFFFD", Escape.json("\"\\\n\u0001<>&\u2028é\uDC00"));
        StringBuilder sb = new StringBuilder("x");
        Escape.xml("a&b", sb::append);
        assertEquals("xa&amp;b", sb.toString());
    }
}
