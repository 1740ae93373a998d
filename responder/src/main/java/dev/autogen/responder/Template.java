package dev.autogen.responder;

import dev.autogen.qr.QrSvg;
import dev.autogen.qr.SetupPageSlots;
import dev.autogen.pack.DocEncoding;
import dev.autogen.pack.DocEncoding.Placeholder;
import dev.autogen.text.Escape;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A document in {@link DocEncoding} (literal runs and slots, split by the generator): {@code doc[at, end)}, usually in
 * a mapped document pack, else (error documents, tests) in a heap buffer. Rendering is a loop of bulk copies and a few
 * escaped writes with absolute reads only, so any number of threads render from one buffer; the loader checked the
 * encoding, so nothing here can fail on it.
 */
final class Template {
    private final ByteBuffer doc;
    private final int at, end;

    Template(ByteBuffer doc, int at, int end) {
        this.doc = doc;
        this.at = at;
        this.end = end;
    }

    /** The values one request fills in. {@code address == null} means "no address": placeholders stay. */
    record Fill(String address, String localPart, String addressDomain, String domain, String ldapUid, String name,
                String time, String requestId) {}

    /** Encodes a text document (an error document, a test's); throws IllegalArgumentException for a malformed slot. */
    static Template parse(String text, DocEncoding.Context context) {
        byte[] b = DocEncoding.encode(text, context);
        return new Template(ByteBuffer.wrap(b), 0, b.length);
    }

    /** The literal bytes: what an answer needs at least. */
    int literalLength() {
        return DocEncoding.literalBytes(doc, at);
    }

    /** Writes the document with every slot filled and escaped. */
    void render(Fill fill, Bytes out) {
        QrSvg qr = null; // a setup page's: drawn once, when the page shows it
        int p = at + DocEncoding.HEADER;
        while (p < end) {
            int op = doc.get(p++);
            if (op == DocEncoding.LITERAL) {
                int n = doc.getInt(p);
                out.write(doc, p + 4, n);
                p += 4 + n;
                continue;
            }
            switch (DocEncoding.Slot.of(op)) {
                case ADDRESS -> writeValueOrPlaceholder(fill.address(), out);
                case LOGIN -> p = login(p, fill, out);
                case NAME -> writeValueOrPlaceholder(fill.name() != null ? fill.name() : fill.address(), out);
                case DOMAIN -> escape(fill.domain(), out);
                case UUID -> {
                    escape(uuid(DocEncoding.label(doc, p), fill.domain(), fill.address() == null ? "" : fill.address()), out);
                    p += 2 + (doc.getShort(p) & 0xffff);
                }
                case TIME -> escape(fill.time(), out);
                case REQUESTID -> escape(fill.requestId(), out);
                case DOMAIN_UNICODE -> escape(SetupPageSlots.display(fill.domain()), out);
                case QR_SIZE, QR_PATH -> {
                    if (qr == null) qr = QrSvg.of(SetupPageSlots.profileUrl(fill.domain()));
                    escape(op == DocEncoding.Slot.QR_SIZE.code ? Integer.toString(qr.size()) : qr.path(), out);
                }
            }
        }
    }

    /** {@code {{login:TEMPLATE}}} at {@code p} (its part count): the LDAP uid, else the template filled. */
    private int login(int p, Fill fill, Bytes out) {
        int parts = doc.getShort(p) & 0xffff;
        p += 2;
        for (int i = 0; i < parts; i++) {
            int part = doc.get(p++);
            if (part == DocEncoding.LITERAL) {
                int n = doc.getInt(p);
                if (fill.ldapUid() == null) out.write(doc, p + 4, n);
                p += 4 + n;
            } else if (fill.ldapUid() != null) {
                continue;
            } else if (fill.address() == null) {
                out.write(Placeholder.of(part).literal);
            } else {
                escape(switch (Placeholder.of(part)) {
                    case EMAILADDRESS -> fill.address();
                    case EMAILLOCALPART -> fill.localPart();
                    case EMAILDOMAIN -> fill.addressDomain();
                }, out);
            }
        }
        if (fill.ldapUid() != null) escape(fill.ldapUid(), out);
        return p;
    }

    static String uuid(String label, String domain, String address) {
        return UUID.nameUUIDFromBytes((label + "\n" + domain + "\n" + address).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The value escaped, or {@code %EMAILADDRESS%} (precomputed bytes) when the request has no address. */
    private static void writeValueOrPlaceholder(String value, Bytes out) {
        if (value == null) out.write(Placeholder.EMAILADDRESS.literal);
        else escape(value, out);
    }

    /**
     * Escapes straight into the response buffer: no string or byte array per value (see {@link Escape}). XML escaping
     * in every context that has slots (XML documents and setup pages; JSON documents have none).
     */
    private static void escape(String value, Bytes out) {
        if (value == null) return; // e.g. {{time}} outside an error document
        Escape.xml(value, out);
    }
}
