package dev.autogen.responder;

import java.util.Arrays;

/** A growable byte array for one response: ByteArrayOutputStream without its per-call locking. */
final class Bytes {

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

    byte[] array() { return buf; }

    int size() { return size; }

    byte[] toByteArray() { return Arrays.copyOf(buf, size); }
}
