package dev.autogen.responder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * ASCII keys to int values in one open-addressing table, the keys' bytes in one array: no object per key, which is
 * what a million domains need (a HashMap entry, its String and byte array cost ~100 bytes before any value). Keys are
 * looked up by String (requests) or by a byte range (the loader's line buffer). Not thread-safe while adding; read-only
 * afterwards.
 */
final class NameTable {
    private byte[] keys = new byte[1 << 12]; // each key: 2 bytes length, then its bytes; offset 0 is never a key
    private int used = 1;
    /**
     * The key's mixed hash (high half) and its offset in keys (low half); 0: empty. With the hash beside the offset a
     * probe past another key, and growing the table, never reads that key's bytes: at a million keys those reads were
     * cache misses, and most of the time a site took to load.
     */
    private long[] slots;
    private int[] values;
    private int size;

    NameTable(int expected) {
        int capacity = 16;
        while (capacity < expected * 2) capacity <<= 1; // at most half full: short probe sequences
        slots = new long[capacity];
        values = new int[capacity];
    }

    int size() { return size; }

    /** The value of {@code key}, or -1 (also for a key with a character outside ASCII). */
    int get(String key) {
        // hash(), a character at a time: the same value as for the key's bytes.
        long h = 0, word = 0;
        int n = key.length();
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c > 0x7f) return -1;
            word |= (long) c << ((i & 7) << 3);
            if ((i & 7) == 7) {
                h = (h ^ word) * K;
                word = 0;
            }
        }
        int mixed = mix(finish(h, word, n)), mask = slots.length - 1;
        for (int i = mixed & mask; slots[i] != 0; i = (i + 1) & mask) {
            int off = (int) slots[i];
            if ((int) (slots[i] >>> 32) == mixed && length(off) == key.length() && matches(off + 2, key)) return values[i];
        }
        return -1;
    }

    /** The slot of the key {@code b[from, to)}, or -1; see {@link #value(int)}. */
    int slot(byte[] b, int from, int to) {
        return slot(b, from, to, mix(hash(b, from, to)));
    }

    private int slot(byte[] b, int from, int to, int mixed) {
        int mask = slots.length - 1;
        for (int i = mixed & mask; slots[i] != 0; i = (i + 1) & mask) {
            int off = (int) slots[i];
            if ((int) (slots[i] >>> 32) == mixed && length(off) == to - from
                    && Arrays.equals(keys, off + 2, off + 2 + to - from, b, from, to)) return i;
        }
        return -1;
    }

    int value(int slot) { return values[slot]; }

    void value(int slot, int value) { values[slot] = value; }

    /** Adds {@code b[from, to)} (at most 65,535 bytes) with {@code value}; false when the key is already there. */
    boolean add(byte[] b, int from, int to, int value) {
        int mixed = mix(hash(b, from, to));
        if (slot(b, from, to, mixed) >= 0) return false;
        int n = to - from;
        if (n > 0xffff) throw new IllegalArgumentException("key longer than 65535 bytes");
        if (used + 2 + n > keys.length) keys = Arrays.copyOf(keys, Math.max(keys.length * 2, used + 2 + n));
        int off = used;
        keys[off] = (byte) (n >> 8);
        keys[off + 1] = (byte) n;
        System.arraycopy(b, from, keys, off + 2, n);
        used += 2 + n;
        if (++size * 2 > slots.length) grow();
        insert((long) mixed << 32 | off, value);
        return true;
    }

    /** Drops the spare capacity of the key array once loading is done. */
    void trim() { keys = Arrays.copyOf(keys, used); }

    private void grow() {
        long[] oldSlots = slots;
        int[] oldValues = values;
        slots = new long[oldSlots.length * 2];
        values = new int[oldSlots.length * 2];
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != 0) insert(oldSlots[i], oldValues[i]);
        }
    }

    /** {@code slot}: the mixed hash and the key's offset, as {@link #slots} holds them. */
    private void insert(long slot, int value) {
        int mask = slots.length - 1;
        int i = (int) (slot >>> 32) & mask;
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = slot;
        values[i] = value;
    }

    private int length(int off) { return (keys[off] & 0xff) << 8 | keys[off + 1] & 0xff; }

    private boolean matches(int at, String key) {
        for (int i = 0; i < key.length(); i++) if (keys[at + i] != key.charAt(i)) return false;
        return true;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long K = 0x9e3779b97f4a7c15L;

    /**
     * Eight bytes at a time (little-endian words, then the rest as one word and the length): the loader hashes every
     * line of domains.tsv without its domain, ~450 bytes, and a byte at a time that was a tenth of a big site's load.
     * {@link #get(String)} computes the same value from an ASCII String's characters.
     */
    private static int hash(byte[] b, int from, int to) {
        long h = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) h = (h ^ (long) LONGS.get(b, i)) * K;
        long word = 0;
        for (int shift = 0; i < to; i++, shift += 8) word |= (b[i] & 0xffL) << shift;
        return finish(h, word, to - from);
    }

    private static int finish(long h, long word, int length) {
        h = (h ^ word ^ length) * K;
        return (int) (h ^ h >>> 32);
    }

    /** Spreads the hash's bits (murmur3's finaliser): names like d1.example, d2.example differ in few bits. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ h >>> 16;
    }
}
