package dev.autogen.responder;

import dev.autogen.text.Escape;
import java.util.Arrays;

/**
 * A growable byte array for one response: ByteArrayOutputStream without its per-call locking. Escaped values are
 * encoded straight into it as UTF-8 ({@link Escape.Sink}), without a temporary string or byte array.
 */
final class Bytes implements Escape.Sink {

    private byte[] buf;
    private int size;

    Bytes(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    void write(byte[] b) {
        if (size + b.length > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.length));
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** {@code n} bytes of {@code src} from {@code at}: an absolute bulk get, so many threads may copy from one buffer. */
    void write(java.nio.ByteBuffer src, int at, int n) {
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        src.get(at, buf, size, n);
        size += n;
    }

    /** UTF-8 of {@code s[from, to)}; {@link Escape} hands over surrogates only in pairs. */
    @Override
    public void append(CharSequence s, int from, int to) {
        int max = size + (to - from) * 3;
        if (max > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, max));
        byte[] b = buf;
        int n = size;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[n++] = (byte) c;
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[n++] = (byte) (0xF0 | cp >> 18);
                b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            } else {
                if (Character.isSurrogate(c)) c = Escape.REPLACEMENT; // never from Escape; no ill-formed UTF-8 anyway
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        size = n;
    }

    byte[] toByteArray() { return Arrays.copyOf(buf, size); }
}
