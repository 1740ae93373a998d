package dev.autogen.qr;

import dev.autogen.text.Domains;
import dev.autogen.text.Escape;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The setup page's slots (docs/site-format.md): the generator renders a setup page once per distinct input with the
 * domain left open, and this class fills it for one domain. Shared by the generator (tree layout:
 * {@code public/<domain>/index.html}) and the responder (compact layout: {@code GET /}), so both give the same bytes.
 *
 * <p>The slots sit in HTML text and double-quoted attribute values; every value is XML-escaped, which is valid HTML
 * and, for the values a valid domain gives, the same text FreeMarker's HTML escaping would have written. A slot this
 * class does not know (only a custom template could hold one: input values never contain {@code {{}) is left as
 * it is. Pure and thread-safe.
 */
public final class SetupPageSlots {
    private SetupPageSlots() {}

    /** The ASCII domain (lower case). */
    public static final String DOMAIN = "{{domain}}";
    /** The domain for display: Unicode when it holds an {@code xn--} label (IDNA2008), else ASCII. */
    public static final String DOMAIN_UNICODE = "{{domain:unicode}}";
    /** The QR code's side in modules, quiet zone included ({@link QrSvg#size()}), decimal. */
    public static final String QR_SIZE = "{{qr:size}}";
    /** The QR code's SVG path data ({@link QrSvg#path()}). */
    public static final String QR_PATH = "{{qr:path}}";

    /** The page's address: the domain's autoconfig host, where the web configs (or the responder) serve it. */
    public static String pageUrl(String domain) {
        return "https://autoconfig." + domain + "/";
    }

    /** The address-less Apple profile as the web configs serve it: the QR code's text. */
    public static String profileUrl(String domain) {
        return "https://autoconfig." + domain + profilePath(domain);
    }

    /** The path of {@link #profileUrl}. */
    public static String profilePath(String domain) {
        return "/mobileconfig/" + domain + ".mobileconfig";
    }

    /** The domain as users know it: an IDN in Unicode (IDNA2008), for display only (links use the ASCII form). */
    public static String display(String domain) {
        // Only A-labels can change; skipping ICU for the rest keeps plain domains cheap.
        return domain.contains("xn--") ? Domains.toUnicode(domain) : domain;
    }

    /** {@code template} with every setup-page slot filled for {@code domain} (lower-case ASCII). */
    public static String fill(String template, String domain) {
        return compile(template).fillText(domain);
    }

    /** {@link #fill}, as UTF-8. */
    public static byte[] fillUtf8(String template, String domain) {
        return compile(template).fill(domain);
    }

    /** What {@link #scan} finds in a template, in order. */
    public interface Scan {
        /** Literal text: {@code template[from, to)}, never empty. */
        void literal(int from, int to);

        /** A slot: one of {@link #DOMAIN}, {@link #DOMAIN_UNICODE}, {@link #QR_SIZE}, {@link #QR_PATH}. */
        void slot(String slot);
    }

    /**
     * Walks a template's literal text and slots: the one reading of the slot syntax, for {@link #compile} and for the
     * document packs' encoding. A {@code {{} that starts none of this class's slots is text.
     */
    public static void scan(String template, Scan out) {
        int from = 0;
        int literal = from;
        while (true) {
            int open = template.indexOf("{{", from);
            if (open < 0) {
                break;
            }
            Kind kind = Kind.at(template, open);
            if (kind == null) {
                from = open + 2; // not ours: stays literal text
                continue;
            }
            if (open > literal) {
                out.literal(literal, open);
            }
            out.slot(kind.slot);
            from = open + kind.slot.length();
            literal = from;
        }
        if (literal < template.length()) {
            out.literal(literal, template.length());
        }
    }

    /** Splits a template once into literal chunks and slots, for filling it for many domains. */
    public static Compiled compile(String template) {
        List<Object> parts = new ArrayList<>();
        scan(template, new Scan() {
            @Override
            public void literal(int from, int to) {
                parts.add(template.substring(from, to));
            }

            @Override
            public void slot(String slot) {
                parts.add(Kind.at(slot, 0));
            }
        });
        return new Compiled(parts);
    }

    private enum Kind {
        DOMAIN(SetupPageSlots.DOMAIN), DOMAIN_UNICODE(SetupPageSlots.DOMAIN_UNICODE), QR_SIZE(SetupPageSlots.QR_SIZE),
        QR_PATH(SetupPageSlots.QR_PATH);

        final String slot;

        Kind(String slot) {
            this.slot = slot;
        }

        static Kind at(String text, int open) {
            for (Kind k : values()) {
                if (text.startsWith(k.slot, open)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A template split into literal chunks (kept as UTF-8 bytes too) and slots. */
    public static final class Compiled {
        private final Object[] parts; // String or Kind
        private final byte[][] bytes; // the UTF-8 of each String part, null for slots
        private final boolean qr;
        private final int literalLength;

        private Compiled(List<Object> parts) {
            this.parts = parts.toArray();
            this.bytes = new byte[this.parts.length][];
            boolean qr = false;
            int n = 0;
            for (int i = 0; i < this.parts.length; i++) {
                if (this.parts[i] instanceof String s) {
                    bytes[i] = s.getBytes(StandardCharsets.UTF_8);
                    n += bytes[i].length;
                } else {
                    qr |= this.parts[i] == Kind.QR_SIZE || this.parts[i] == Kind.QR_PATH;
                }
            }
            this.qr = qr;
            this.literalLength = n;
        }

        /** The page of {@code domain} as UTF-8. */
        public byte[] fill(String domain) {
            Values v = new Values(domain, qr);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(literalLength + 4096);
            for (int i = 0; i < parts.length; i++) {
                if (bytes[i] != null) {
                    out.writeBytes(bytes[i]);
                } else {
                    out.writeBytes(v.of((Kind) parts[i]).getBytes(StandardCharsets.UTF_8));
                }
            }
            return out.toByteArray();
        }

        /** The page of {@code domain} as text. */
        public String fillText(String domain) {
            Values v = new Values(domain, qr);
            StringBuilder out = new StringBuilder(literalLength + 4096);
            for (Object part : parts) {
                out.append(part instanceof String s ? s : v.of((Kind) part));
            }
            return out.toString();
        }

        /** True when the template holds no slot at all (the page is the same for every domain). */
        public boolean constant() {
            for (Object part : parts) {
                if (part instanceof Kind) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The escaped values of one domain; the QR code (the costly part) only when the template shows it. */
    private static final class Values {
        private final String ascii;
        private final String domain;
        private String unicode;
        private final QrSvg qr;

        Values(String domain, boolean qr) {
            this.ascii = domain;
            this.domain = Escape.xml(domain);
            this.qr = qr ? QrSvg.of(profileUrl(domain)) : null;
        }

        String of(Kind kind) {
            return switch (kind) {
                case DOMAIN -> domain;
                case DOMAIN_UNICODE -> unicode != null ? unicode : (unicode = Escape.xml(display(ascii)));
                case QR_SIZE -> Integer.toString(qr.size());
                case QR_PATH -> Escape.xml(qr.path());
            };
        }
    }
}
