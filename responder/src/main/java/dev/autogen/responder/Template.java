package dev.autogen.responder;

import dev.autogen.qr.QrSvg;
import dev.autogen.qr.SetupPageSlots;
import dev.autogen.text.Escape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;

/**
 * A pre-rendered document split once, at load time, into literal byte chunks and slots (docs/site-format.md).
 * Rendering is a loop of array copies and a few escaped writes: no parsing on the request path.
 */
final class Template {

    /**
     * Escaping context, chosen by the document's file extension. HTML: a setup page (.html), whose only slots are
     * {@link SetupPageSlots}' (escaped with the XML escaper, as there); any other {@code {{} in it is text.
     */
    enum Context { XML, JSON, HTML }

    enum Kind { ADDRESS, LOGIN, NAME, DOMAIN, UUID, TIME, REQUESTID, DOMAIN_UNICODE, QR_SIZE, QR_PATH }

    /** The setup page's slots, as {@link SetupPageSlots} finds them. */
    private static final Map<String, Kind> PAGE_SLOTS = Map.of(SetupPageSlots.DOMAIN, Kind.DOMAIN,
            SetupPageSlots.DOMAIN_UNICODE, Kind.DOMAIN_UNICODE, SetupPageSlots.QR_SIZE, Kind.QR_SIZE,
            SetupPageSlots.QR_PATH, Kind.QR_PATH);

    /** Address parts that may appear inside a {@code {{login:TEMPLATE}}}. */
    enum Placeholder {
        EMAILADDRESS, EMAILLOCALPART, EMAILDOMAIN;

        /** {@code %NAME%}: the text in a template, and what is written when the request has no address. */
        final String text = "%" + name() + "%";
        final byte[] literal = bytes(text);
    }

    /** @param login for LOGIN: byte[] literals and {@link Placeholder}s; for UUID: the label as a one-element array */
    record Slot(Kind kind, Object[] login, String label) {}

    /** The values one request fills in. {@code address == null} means "no address": placeholders stay. */
    record Fill(String address, String localPart, String addressDomain, String domain, String ldapUid, String name,
                String time, String requestId) {}

    final Context context;
    private final Object[] parts; // byte[] or Slot
    final int literalLength;

    private Template(Context context, Object[] parts) {
        this.context = context;
        this.parts = parts;
        int n = 0;
        for (Object p : parts) if (p instanceof byte[] b) n += b.length;
        this.literalLength = n;
    }

    /** Splits a document; throws IllegalArgumentException naming the problem when a slot is malformed. */
    static Template parse(String text, Context context) {
        return parse(text, context, new HashMap<>());
    }

    /** A literal chunk as a map key: equal bytes, equal key (so identical chunks are stored once). */
    record Chunk(byte[] bytes) {
        @Override public boolean equals(Object o) { return o instanceof Chunk c && Arrays.equals(bytes, c.bytes); }
        @Override public int hashCode() { return Arrays.hashCode(bytes); }
    }

    private static byte[] shared(Map<Chunk, Chunk> chunks, String text) {
        Chunk c = new Chunk(bytes(text));
        return chunks.computeIfAbsent(c, k -> k).bytes;
    }

    /**
     * Adds literal text a line at a time: the documents of different providers differ in a few lines (host names,
     * display names), so with a million domains over 100,000 providers most lines are stored once for all (this
     * halved the heap that 600,000 documents took); a response is then a few dozen array copies instead of a few.
     */
    private static void literal(List<Object> parts, Map<Chunk, Chunk> chunks, String text) {
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl + 1;
            parts.add(shared(chunks, text.substring(from, to)));
            from = to;
        }
    }

    /**
     * As {@link #parse(String, Context)}, sharing identical literal chunks through {@code chunks} (one map per
     * site load): documents rendered per domain differ in a few places only, so most of their bytes are shared.
     */
    static Template parse(String text, Context context, Map<Chunk, Chunk> chunks) {
        List<Object> parts = new ArrayList<>();
        if (context == Context.HTML) return page(text, chunks, parts);
        int pos = 0;
        while (true) {
            int open = text.indexOf("{{", pos);
            if (open < 0) break;
            int close = text.indexOf("}}", open + 2);
            if (close < 0) throw new IllegalArgumentException("unclosed slot at character " + open);
            if (open > pos) literal(parts, chunks, text.substring(pos, open));
            parts.add(slot(text.substring(open + 2, close)));
            pos = close + 2;
        }
        if (text.indexOf("}}", pos) >= 0) throw new IllegalArgumentException("stray '}}' in document");
        if (pos < text.length()) literal(parts, chunks, text.substring(pos));
        return new Template(context, parts.toArray());
    }

    /** A setup page: {@link SetupPageSlots#compile}'s scan (a {@code {{} that starts no known slot is text). */
    private static Template page(String text, Map<Chunk, Chunk> chunks, List<Object> parts) {
        int literal = 0;
        for (int open = text.indexOf("{{"); open >= 0; open = text.indexOf("{{", open + 2)) {
            for (Map.Entry<String, Kind> slot : PAGE_SLOTS.entrySet()) {
                if (!text.startsWith(slot.getKey(), open)) continue;
                if (open > literal) literal(parts, chunks, text.substring(literal, open));
                parts.add(new Slot(slot.getValue(), null, null));
                literal = open + slot.getKey().length();
                open = literal - 2;
                break;
            }
        }
        if (literal < text.length()) literal(parts, chunks, text.substring(literal));
        return new Template(Context.HTML, parts.toArray());
    }

    private static Slot slot(String body) {
        int colon = body.indexOf(':');
        String name = colon < 0 ? body : body.substring(0, colon);
        String arg = colon < 0 ? null : body.substring(colon + 1);
        Kind kind = switch (name) {
            case "address" -> Kind.ADDRESS;
            case "login" -> Kind.LOGIN;
            case "name" -> Kind.NAME;
            case "domain" -> Kind.DOMAIN;
            case "uuid" -> Kind.UUID;
            case "time" -> Kind.TIME;
            case "requestid" -> Kind.REQUESTID;
            default -> throw new IllegalArgumentException("unknown slot {{" + body + "}}");
        };
        boolean wantsArg = kind == Kind.LOGIN || kind == Kind.UUID;
        if (wantsArg != (arg != null)) throw new IllegalArgumentException("slot {{" + body + "}}: "
                + (wantsArg ? "needs an argument" : "takes no argument"));
        if (kind == Kind.LOGIN) return new Slot(kind, splitLogin(arg), null);
        return new Slot(kind, null, arg);
    }

    private static Object[] splitLogin(String template) {
        List<Object> out = new ArrayList<>();
        int pos = 0;
        while (pos < template.length()) {
            int next = -1;
            Placeholder found = null;
            for (Placeholder p : Placeholder.values()) {
                int i = template.indexOf(p.text, pos);
                if (i >= 0 && (next < 0 || i < next)) { next = i; found = p; }
            }
            if (found == null) { out.add(bytes(template.substring(pos))); break; }
            if (next > pos) out.add(bytes(template.substring(pos, next)));
            out.add(found);
            pos = next + found.text.length();
        }
        return out.toArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the document with every slot filled and escaped for this template's context. */
    void render(Fill fill, Bytes out) {
        QrSvg qr = null; // a setup page's: drawn once, when the page shows it
        for (Object part : parts) {
            if (part instanceof byte[] b) { out.write(b); continue; }
            Slot s = (Slot) part;
            switch (s.kind) {
                case ADDRESS -> writeValueOrPlaceholder(fill.address(), out);
                case LOGIN -> {
                    if (fill.ldapUid() != null) escape(fill.ldapUid(), out);
                    else for (Object p : s.login) {
                        if (p instanceof byte[] b) out.write(b);
                        else if (fill.address() == null) out.write(((Placeholder) p).literal);
                        else escape(switch ((Placeholder) p) {
                            case EMAILADDRESS -> fill.address();
                            case EMAILLOCALPART -> fill.localPart();
                            case EMAILDOMAIN -> fill.addressDomain();
                        }, out);
                    }
                }
                case NAME -> writeValueOrPlaceholder(fill.name() != null ? fill.name() : fill.address(), out);
                case DOMAIN -> escape(fill.domain(), out);
                case UUID -> escape(uuid(s.label, fill.domain(), fill.address() == null ? "" : fill.address()), out);
                case TIME -> escape(fill.time(), out);
                case REQUESTID -> escape(fill.requestId(), out);
                case DOMAIN_UNICODE -> escape(SetupPageSlots.display(fill.domain()), out);
                case QR_SIZE, QR_PATH -> {
                    if (qr == null) qr = QrSvg.of(SetupPageSlots.profileUrl(fill.domain()));
                    escape(s.kind == Kind.QR_SIZE ? Integer.toString(qr.size()) : qr.path(), out);
                }
            }
        }
    }

    static String uuid(String label, String domain, String address) {
        return UUID.nameUUIDFromBytes((label + "\n" + domain + "\n" + address).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The value escaped, or {@code %EMAILADDRESS%} (precomputed bytes) when the request has no address. */
    private void writeValueOrPlaceholder(String value, Bytes out) {
        if (value == null) out.write(Placeholder.EMAILADDRESS.literal);
        else escape(value, out);
    }

    /** Escapes straight into the response buffer: no string or byte array per value (see {@link Escape}). */
    private void escape(String value, Bytes out) {
        if (value == null) return; // e.g. {{time}} outside an error document
        if (context == Context.JSON) Escape.json(value, out); else Escape.xml(value, out);
    }
}
