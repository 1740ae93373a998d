package dev.autogen.pack;

import dev.autogen.qr.SetupPageSlots;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A site document split once, when it is rendered, into literal runs and slots (docs/site-format.md, "Document
 * encoding"): the form the document packs hold, so the responder renders straight from a mapped file without parsing
 * any text. The generator encodes every document it renders (and so refuses a malformed slot at render time); the
 * responder encodes its few text documents (error documents) the same way, so there is one render path.
 *
 * <p>Contexts: XML documents ({@code .xml}, {@code .plist}) have {@code {{name}}} slots, filled with XML escaping;
 * setup pages ({@code .html}) have {@link SetupPageSlots}' slots; JSON documents ({@code .json}, the PACC documents)
 * have none: they are served byte for byte as rendered (their SHA-256 is published in DNS), and compact JSON
 * naturally holds {@code }}}.
 *
 * <p>Encoding, big-endian: one byte context ({@link Context#code}), a 4-byte count of literal bytes (a size hint for
 * the answer), then operations to the end of the document: {@link #LITERAL} + 4-byte length + bytes; a slot byte
 * ({@link Slot#code}); {@link Slot#LOGIN} is followed by a 2-byte count of parts, each {@link #LITERAL} + 4-byte length
 * + bytes or a {@link Placeholder#code}; {@link Slot#UUID} by a 2-byte length and the label's UTF-8.
 */
public final class DocEncoding {
    private DocEncoding() {}

    /** The context, chosen by the file extension (.xml/.plist XML, .json JSON: no slots, .html a setup page). */
    public enum Context {
        XML(0), JSON(1), HTML(2);

        public final int code;

        Context(int code) { this.code = code; }

        /** The context of a document named {@code docs/<sha256>.<ext>}; null for another extension. */
        public static Context ofName(String name) {
            if (name.endsWith(".xml") || name.endsWith(".plist")) return XML;
            if (name.endsWith(".json")) return JSON;
            if (name.endsWith(".html")) return HTML;
            return null;
        }

        static Context of(int code) {
            return code >= 0 && code < 3 ? values()[code] : null;
        }
    }

    public static final int LITERAL = 0;
    /** Bytes before the first operation: context and literal count. */
    public static final int HEADER = 5;

    /** The slots; the code is the operation byte. Which context a slot may appear in is {@link #allowedIn}. */
    public enum Slot {
        ADDRESS(1, "address"), LOGIN(2, "login"), NAME(3, "name"), DOMAIN(4, "domain"), UUID(5, "uuid"),
        TIME(6, "time"), REQUESTID(7, "requestid"), DOMAIN_UNICODE(8, "domain:unicode"), QR_SIZE(9, "qr:size"),
        QR_PATH(10, "qr:path");

        public final int code;
        final String text;

        Slot(int code, String text) {
            this.code = code;
            this.text = text;
        }

        /** The slot of an operation byte, or null. */
        public static Slot of(int code) {
            return code >= 1 && code <= 10 ? values()[code - 1] : null;
        }

        /** Setup pages have {@link SetupPageSlots}' slots only ({@code {{domain}}} among them); others the rest. */
        boolean allowedIn(Context c) {
            return c == Context.HTML ? this == DOMAIN || code >= 8 : c == Context.XML && code <= 7;
        }
    }

    /** Address parts inside {@code {{login:TEMPLATE}}}; the code follows {@link #LITERAL} within a login. */
    public enum Placeholder {
        EMAILADDRESS(1), EMAILLOCALPART(2), EMAILDOMAIN(3);

        public final int code;
        /** {@code %NAME%}: the text in a template, and what is written when the request has no address. */
        public final String text = "%" + name() + "%";
        public final byte[] literal = text.getBytes(StandardCharsets.US_ASCII);

        Placeholder(int code) { this.code = code; }

        public static Placeholder of(int code) {
            return code >= 1 && code <= 3 ? values()[code - 1] : null;
        }
    }

    /** {@link #encode(String, Context)} of a document's UTF-8 bytes; a JSON document's bytes are kept exactly. */
    public static byte[] encode(byte[] utf8, Context context) {
        if (context != Context.JSON) {
            // An ASCII document (the usual case) has the same offsets in bytes as in characters: literal runs are then
            // copied from the input, with no string and byte array per run (a render encodes every new document).
            boolean ascii = true;
            for (byte x : utf8) ascii &= x >= 0;
            return encode(new String(utf8, StandardCharsets.UTF_8), context, ascii ? utf8 : null);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + 5 + utf8.length);
        b.put((byte) context.code).putInt(utf8.length).put((byte) LITERAL).putInt(utf8.length).put(utf8);
        return b.array();
    }

    /**
     * Splits a document: {@code {{name}}} or {@code {{name:argument}}} slots in XML documents, where any other
     * {@code {{…}}} is an error; {@link SetupPageSlots}' slots in setup pages, where any other {@code {{} is text; JSON
     * documents are one literal run.
     *
     * @throws IllegalArgumentException naming the malformed slot
     */
    public static byte[] encode(String text, Context context) {
        return context == Context.JSON ? encode(text.getBytes(StandardCharsets.UTF_8), context) : encode(text, context, null);
    }

    /** {@code ascii}: the text's bytes when it is all ASCII, else null. */
    private static byte[] encode(String text, Context context, byte[] ascii) {
        Writer w = new Writer(context, text.length(), ascii);
        if (context == Context.HTML) {
            SetupPageSlots.scan(text, new SetupPageSlots.Scan() {
                @Override
                public void literal(int from, int to) {
                    w.literal(text, from, to);
                }

                @Override
                public void slot(String slot) {
                    w.op(PAGE_SLOTS.get(slot));
                }
            });
            return w.finish();
        }
        int pos = 0;
        while (true) {
            int open = text.indexOf("{{", pos);
            if (open < 0) break;
            int close = text.indexOf("}}", open + 2);
            if (close < 0) throw new IllegalArgumentException("unclosed slot at character " + open);
            w.literal(text, pos, open);
            slot(text.substring(open + 2, close), w);
            pos = close + 2;
        }
        if (text.indexOf("}}", pos) >= 0) throw new IllegalArgumentException("stray '}}' in document");
        w.literal(text, pos, text.length());
        return w.finish();
    }

    /** {@link SetupPageSlots}' slots as operations. */
    private static final java.util.Map<String, Slot> PAGE_SLOTS = java.util.Map.of(SetupPageSlots.DOMAIN, Slot.DOMAIN,
            SetupPageSlots.DOMAIN_UNICODE, Slot.DOMAIN_UNICODE, SetupPageSlots.QR_SIZE, Slot.QR_SIZE,
            SetupPageSlots.QR_PATH, Slot.QR_PATH);

    private static void slot(String body, Writer w) {
        int colon = body.indexOf(':');
        String name = colon < 0 ? body : body.substring(0, colon);
        String arg = colon < 0 ? null : body.substring(colon + 1);
        Slot slot = null;
        for (Slot s : Slot.values()) if (s.code <= 7 && s.text.equals(name)) slot = s;
        if (slot == null) throw new IllegalArgumentException("unknown slot {{" + body + "}}");
        boolean wantsArg = slot == Slot.LOGIN || slot == Slot.UUID;
        if (wantsArg != (arg != null)) throw new IllegalArgumentException("slot {{" + body + "}}: "
                + (wantsArg ? "needs an argument" : "takes no argument"));
        w.op(slot);
        if (slot == Slot.UUID) {
            byte[] label = arg.getBytes(StandardCharsets.UTF_8);
            if (label.length > 0xffff) throw new IllegalArgumentException("slot {{uuid:…}}: label too long");
            w.u16(label.length);
            w.out.writeBytes(label);
        } else if (slot == Slot.LOGIN) {
            login(arg, w);
        }
    }

    /** A login template: literal runs and {@link Placeholder}s, after a count of parts. */
    private static void login(String template, Writer w) {
        ByteArrayOutputStream parts = new ByteArrayOutputStream();
        int count = 0, pos = 0;
        while (pos < template.length()) {
            int next = -1;
            Placeholder found = null;
            for (Placeholder p : Placeholder.values()) {
                int i = template.indexOf(p.text, pos);
                if (i >= 0 && (next < 0 || i < next)) { next = i; found = p; }
            }
            int end = found == null ? template.length() : next;
            if (end > pos) {
                byte[] b = template.substring(pos, end).getBytes(StandardCharsets.UTF_8);
                parts.write(LITERAL);
                int32(parts, b.length);
                parts.writeBytes(b);
                count++;
            }
            if (found == null) break;
            parts.write(found.code);
            count++;
            pos = next + found.text.length();
        }
        if (count > 0xffff) throw new IllegalArgumentException("slot {{login:…}}: too many parts");
        w.u16(count);
        w.out.writeBytes(parts.toByteArray());
    }

    private static void int32(ByteArrayOutputStream out, int n) {
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
    }

    private static final class Writer {
        final ByteArrayOutputStream out;
        final byte[] ascii;
        int literalBytes;

        Writer(Context context, int length, byte[] ascii) {
            this.out = new ByteArrayOutputStream(length + 64);
            this.ascii = ascii;
            out.write(context.code);
            int32(out, 0); // the literal count, set by finish()
        }

        void literal(String text, int from, int to) {
            if (to <= from) return;
            out.write(LITERAL);
            if (ascii != null) {
                int32(out, to - from);
                out.write(ascii, from, to - from);
                literalBytes += to - from;
                return;
            }
            byte[] b = text.substring(from, to).getBytes(StandardCharsets.UTF_8);
            int32(out, b.length);
            out.writeBytes(b);
            literalBytes += b.length;
        }

        void op(Slot s) { out.write(s.code); }

        void u16(int n) {
            out.write(n >>> 8);
            out.write(n & 0xff);
        }

        byte[] finish() {
            byte[] b = out.toByteArray();
            ByteBuffer.wrap(b).putInt(1, literalBytes);
            return b;
        }
    }

    /** The context byte of an encoded document at {@code at}. */
    public static Context context(ByteBuffer b, int at) {
        return Context.of(b.get(at));
    }

    /** The literal byte count an encoded document at {@code at} declares (a size hint). */
    public static int literalBytes(ByteBuffer b, int at) {
        return b.getInt(at + 1);
    }

    /**
     * Checks the document encoded in {@code b[at, end)} (absolute reads only) and returns null when it is well formed
     * for {@code expected}, else what is wrong: every operation known and allowed in the context, every length inside
     * the document. (Only the structure: literal bytes are not read, so a check costs little more than reading the file.)
     */
    public static String check(ByteBuffer b, int at, int end, Context expected) {
        if (end - at < HEADER) return "document shorter than its header";
        Context c = Context.of(b.get(at));
        if (c == null) return "unknown context " + b.get(at);
        if (c != expected) return "encoded as " + c + ", its name says " + expected;
        int p = at + HEADER;
        long literals = 0;
        while (p < end) {
            int op = b.get(p++) & 0xff;
            if (op == LITERAL) {
                if (end - p < 4) return "literal length past the end at byte " + (p - at);
                int n = b.getInt(p);
                if (n < 0 || n > end - p - 4) return "literal past the end at byte " + (p - at);
                p += 4 + n;
                literals += n;
                continue;
            }
            Slot s = Slot.of(op);
            if (s == null || !s.allowedIn(c)) return "bad operation " + op + " at byte " + (p - 1 - at);
            if (s == Slot.UUID) {
                if (end - p < 2) return "uuid label past the end";
                int n = b.getShort(p) & 0xffff;
                if (n > end - p - 2) return "uuid label past the end";
                p += 2 + n;
            } else if (s == Slot.LOGIN) {
                if (end - p < 2) return "login past the end";
                int parts = b.getShort(p) & 0xffff;
                p += 2;
                for (int i = 0; i < parts; i++) {
                    if (p >= end) return "login part past the end";
                    int part = b.get(p++);
                    if (part == LITERAL) {
                        if (end - p < 4) return "login literal past the end";
                        int n = b.getInt(p);
                        if (n < 0 || n > end - p - 4) return "login literal past the end";
                        p += 4 + n;
                    } else if (Placeholder.of(part) == null) {
                        return "bad login part " + part + " at byte " + (p - 1 - at);
                    }
                }
            }
        }
        if (literals != b.getInt(at + 1)) return "literal count " + b.getInt(at + 1) + " is not the literals' " + literals;
        return null;
    }

    /** The label of the {@link Slot#UUID} operation whose 2-byte length is at {@code p}. */
    public static String label(ByteBuffer b, int p) {
        byte[] label = new byte[b.getShort(p) & 0xffff];
        b.get(p + 2, label);
        return new String(label, StandardCharsets.UTF_8);
    }

    /**
     * The text the document was encoded from (slots written back as {@code {{…}}}): {@code text(encode(t)) == t}.
     * For tests and tools; the responder renders the encoding directly.
     */
    public static String text(ByteBuffer b, int at, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - at);
        int p = at + HEADER;
        while (p < end) {
            int op = b.get(p++) & 0xff;
            if (op == LITERAL) {
                p = copy(b, p, out);
                continue;
            }
            Slot s = Slot.of(op);
            out.writeBytes(("{{" + s.text).getBytes(StandardCharsets.UTF_8));
            if (s == Slot.UUID) {
                out.writeBytes((":" + label(b, p)).getBytes(StandardCharsets.UTF_8));
                p += 2 + (b.getShort(p) & 0xffff);
            } else if (s == Slot.LOGIN) {
                out.write(':');
                int parts = b.getShort(p) & 0xffff;
                p += 2;
                for (int i = 0; i < parts; i++) {
                    int part = b.get(p++);
                    if (part == LITERAL) p = copy(b, p, out);
                    else out.writeBytes(Placeholder.of(part).literal);
                }
            }
            out.writeBytes("}}".getBytes(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int copy(ByteBuffer b, int p, ByteArrayOutputStream out) {
        int n = b.getInt(p);
        byte[] bytes = new byte[n];
        b.get(p + 4, bytes);
        out.writeBytes(bytes);
        return p + 4 + n;
    }
}
