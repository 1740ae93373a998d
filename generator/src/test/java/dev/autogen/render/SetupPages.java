package dev.autogen.render;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import dev.autogen.qr.QrSvg;
import nu.validator.htmlparser.common.XmlViolationPolicy;
import nu.validator.htmlparser.dom.HtmlDocumentBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Checks shared by the setup-page tests: a strict HTML parse, the URLs a page refers to, QR decoding. */
final class SetupPages {
    private SetupPages() {}

    /**
     * Parses with validator.nu's HTML5 parser and fails on any parse error or warning (a missing doctype, a stray end
     * tag, a bad character reference, a duplicate attribute ...): the page must be exactly what a browser reads.
     */
    static Document parseStrict(byte[] html) throws Exception {
        List<String> problems = new ArrayList<>();
        HtmlDocumentBuilder builder = new HtmlDocumentBuilder(XmlViolationPolicy.FATAL);
        builder.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                problems.add("warning " + e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
            }

            @Override
            public void error(SAXParseException e) {
                problems.add("error " + e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                problems.add("fatal " + e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
            }
        });
        InputSource in = new InputSource(new ByteArrayInputStream(html));
        in.setEncoding("UTF-8");
        Document doc = builder.parse(in);
        if (!problems.isEmpty()) {
            throw new AssertionError("HTML parse problems:\n" + String.join("\n", problems));
        }
        return doc;
    }

    static Document parseStrict(String html) throws Exception {
        return parseStrict(html.getBytes(StandardCharsets.UTF_8));
    }

    static List<Element> elements(Document doc, String localName) {
        List<Element> out = new ArrayList<>();
        NodeList all = doc.getElementsByTagNameNS("*", localName);
        for (int i = 0; i < all.getLength(); i++) {
            out.add((Element) all.item(i));
        }
        return out;
    }

    static List<Element> allElements(Document doc) {
        return elements(doc, "*");
    }

    /** Every URL-valued attribute that points to another server: anything but fragments and paths. */
    static TreeSet<String> externalUrls(Document doc) {
        TreeSet<String> urls = new TreeSet<>();
        for (Element e : allElements(doc)) {
            for (String attribute : List.of("href", "src", "action", "srcset", "data", "poster", "formaction",
                    "xlink:href", "background", "cite")) {
                String v = e.getAttribute(attribute);
                if (!v.isEmpty() && !v.startsWith("#") && !(v.startsWith("/") && !v.startsWith("//"))) {
                    urls.add(v);
                }
            }
        }
        return urls;
    }

    /** The text of the whole document, whitespace collapsed. */
    static String text(Node node) {
        return node.getTextContent().replaceAll("\\s+", " ");
    }

    /**
     * Draws the page's QR path ({@link QrSvg}'s grammar: {@code M x y.5}, {@code h n}, {@code m dx 0}) into a bitmap
     * at {@code scale} pixels per module: checks the markup we write, independent of any browser.
     */
    static BufferedImage rasterise(int size, String path, int scale) {
        BufferedImage image = new BufferedImage(size * scale, size * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size * scale, size * scale);
        g.setColor(Color.BLACK);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([Mmh])(\\d+)(?: (\\d+)(\\.5)?)?").matcher(path);
        int x = 0;
        int y = 0;
        int consumed = 0;
        while (m.find()) {
            if (m.start() != consumed) {
                throw new AssertionError("unexpected path data at " + consumed + ": " + path);
            }
            consumed = m.end();
            int a = Integer.parseInt(m.group(2));
            switch (m.group(1)) {
                case "M" -> {
                    if (m.group(4) == null) {
                        throw new AssertionError("rows are drawn through the middle of their modules: " + m.group());
                    }
                    x = a;
                    y = Integer.parseInt(m.group(3));
                }
                case "m" -> {
                    if (!"0".equals(m.group(3))) {
                        throw new AssertionError("moves stay in their row: " + m.group());
                    }
                    x += a;
                }
                default -> {
                    g.fillRect(x * scale, y * scale, a * scale, scale);
                    x += a;
                }
            }
        }
        if (consumed != path.length()) {
            throw new AssertionError("unexpected path data at " + consumed + ": " + path);
        }
        g.dispose();
        return image;
    }

    /** The text of the one QR code in {@code image}, decoded with ZXing. */
    static String decodeQr(BufferedImage image) throws NotFoundException {
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        hints.put(DecodeHintType.CHARACTER_SET, "UTF-8");
        return new MultiFormatReader().decode(
                new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))), hints).getText();
    }
}
