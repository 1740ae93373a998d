package dev.autogen.pack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A document pack, {@code private/docs/<xx>.pack} (docs/site-format.md, "Document packs"): the site's documents whose
 * names ({@code docs/<sha256-hex>.<ext>}) start with the two hex digits {@code xx}, each in {@link DocEncoding}.
 *
 * <p>Layout, big-endian: the 4 bytes {@code AGPK}, a 4-byte version ({@value #VERSION}), a 4-byte count N, then N index
 * records in {@link #ORDER} (by kind, then name; no duplicates): a 1-byte name length, the name (ASCII), the document's 4-byte
 * offset from the start of the file and its 4-byte length. The documents follow, in index order and without gaps: the
 * first starts where the index ends and the last ends at the end of the file. Written by the generator in that order, so
 * equal names give equal bytes; mapped by the responder.
 */
public final class DocPack {
    private DocPack() {}

    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'A', 'G', 'P', 'K'};
    private static final int FIXED = 12;
    /** The longest name: {@code docs/} + 64 hex digits + {@code .plist}. */
    private static final int MAX_NAME = 5 + 64 + 6;

    /** Thrown for a pack that does not follow the format; the message says what is wrong (the caller names the file). */
    public static final class CorruptPackException extends Exception {
        public CorruptPackException(String message) { super(message); }
    }

    /** {@code xx} of {@code docs/<xx…>.<ext>}: the pack a document belongs in. */
    public static String shardOf(String name) {
        return name.substring(5, 7);
    }

    /** {@code private/docs/<xx>.pack} relative to the version directory's {@code private/}. */
    public static String fileName(String shard) {
        return "docs/" + shard + ".pack";
    }

    /** True for {@code docs/<64 lower-case hex digits>.<xml|plist|json|html>}. */
    public static boolean validName(String name) {
        if (name.length() < 71 || name.length() > MAX_NAME || !name.startsWith("docs/") || name.charAt(69) != '.') return false;
        for (int i = 5; i < 69; i++) {
            char c = name.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return DocEncoding.Context.ofName(name) != null && name.indexOf('.', 70) < 0;
    }

    /**
     * The header and index of a pack holding documents of these lengths under these names (in {@link #ORDER}); the documents
     * are then written in the same order.
     *
     * @throws IllegalArgumentException when the pack would be larger than a mapping can be (2 GiB)
     */
    public static byte[] header(List<String> names, int[] lengths) {
        long size = FIXED;
        for (String n : names) size += 1 + n.length() + 8;
        int indexEnd = (int) Math.min(size, Integer.MAX_VALUE);
        for (int l : lengths) size += l;
        if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("a document pack would be larger than 2 GiB");
        ByteBuffer b = ByteBuffer.allocate(indexEnd);
        b.put(MAGIC).putInt(VERSION).putInt(names.size());
        int offset = indexEnd;
        for (int i = 0; i < names.size(); i++) {
            byte[] name = names.get(i).getBytes(StandardCharsets.US_ASCII);
            b.put((byte) name.length).put(name).putInt(offset).putInt(lengths[i]);
            offset += lengths[i];
        }
        return b.array();
    }

    /**
     * The order of a pack's documents: by kind (XML, then plist, JSON, HTML), then by name (byte order). Kinds together:
     * the responder maps a pack, and the kernel brings in the cached pages around each page an answer touches; with the
     * often-asked XML documents (autoconfig, Autodiscover) side by side, those neighbours are more XML documents, not
     * the setup pages (half of a pack's bytes) that few people open. At a million domains and 10 000 random domains'
     * autoconfig answers, sorted by name alone the mapped part of the RSS was 62 % of the packs.
     */
    public static final java.util.Comparator<String> ORDER =
            java.util.Comparator.comparingInt(DocPack::kindRank).thenComparing(java.util.Comparator.naturalOrder());

    private static int kindRank(String name) {
        if (name.endsWith(".xml")) return 0;
        if (name.endsWith(".plist")) return 1;
        if (name.endsWith(".json")) return 2;
        return name.endsWith(".html") ? 3 : 4;
    }

    /** Where the hex digits after the shard's begin in a name: {@code docs/xx…}. */
    private static final int HASH_AT = 7;

    /** A pack's index: names (ASCII, in one array), offsets and lengths, in pack order ({@link #ORDER}). */
    public static final class Index {
        private final byte[] names;
        private final int[] nameStart; // n + 1 entries
        private final int[] offset;
        private final int[] length;

        /**
         * Entry + 1 by a hash of the name, open addressing (0: empty). Names are SHA-256 hex, so eight of their hex
         * digits are a uniform 32-bit hash as they are. A million-document site asks for every name once at load (and
         * the render memo asks the previous version's packs): a binary search there was a quarter of the load time.
         */
        private final int[] table;

        private Index(byte[] names, int[] nameStart, int[] offset, int[] length) {
            this.names = names;
            this.nameStart = nameStart;
            this.offset = offset;
            this.length = length;
            int capacity = 2;
            while (capacity < offset.length * 2) capacity <<= 1;
            table = new int[capacity];
            for (int i = 0; i < offset.length; i++) {
                int slot = hashAt(i) & (capacity - 1);
                while (table[slot] != 0) slot = (slot + 1) & (capacity - 1);
                table[slot] = i + 1;
            }
        }

        /** The name's hex digits 7 to 14 (after "docs/" and the shard's two) as a number; any number when not hex. */
        private static int hash(String name) {
            if (name.length() < HASH_AT + 8) return 0;
            int h = 0;
            for (int k = HASH_AT; k < HASH_AT + 8; k++) h = h << 4 | Character.digit(name.charAt(k), 16) & 0xf;
            return h ^ h >>> 16;
        }

        private int hashAt(int i) {
            int h = 0;
            for (int k = nameStart[i] + HASH_AT; k < nameStart[i] + HASH_AT + 8; k++) h = h << 4 | Character.digit(names[k], 16) & 0xf;
            return h ^ h >>> 16;
        }

        public int size() { return offset.length; }

        public String name(int i) {
            return new String(names, nameStart[i], nameStart[i + 1] - nameStart[i], StandardCharsets.US_ASCII);
        }

        public int offset(int i) { return offset[i]; }

        public int length(int i) { return length[i]; }

        /** The position of {@code name} in the index, or -1. */
        public int find(String name) {
            int mask = table.length - 1; // a name that is not hex there probes somewhere and matches nothing
            for (int slot = hash(name) & mask; table[slot] != 0; slot = (slot + 1) & mask) {
                if (compare(table[slot] - 1, name) == 0) return table[slot] - 1;
            }
            return -1;
        }

        private int compare(int i, String name) {
            int from = nameStart[i], n = nameStart[i + 1] - from;
            for (int k = 0; k < Math.min(n, name.length()); k++) {
                int d = (names[from + k] & 0xff) - name.charAt(k);
                if (d != 0) return d;
            }
            return n - name.length();
        }

        /** Equal names in the same order ({@link #ORDER}; names are content hashes: then the packs are equal byte for byte). */
        public boolean sameNames(List<String> sorted) {
            if (sorted.size() != size()) return false;
            for (int i = 0; i < sorted.size(); i++) if (compare(i, sorted.get(i)) != 0) return false;
            return true;
        }
    }

    /**
     * Reads and checks the header and index of the pack of shard {@code xx} (one sequential read): magic, version,
     * names valid, in the shard, in {@link #ORDER}, and the documents' ranges end to end from the index's end to the file's.
     */
    public static Index readIndex(FileChannel ch, String shard) throws IOException, CorruptPackException {
        long size = ch.size();
        if (size > Integer.MAX_VALUE) throw new CorruptPackException("larger than 2 GiB");
        ByteBuffer fixed = read(ch, 0, FIXED, size);
        for (int i = 0; i < 4; i++) if (fixed.get(i) != MAGIC[i]) throw new CorruptPackException("not a document pack (bad magic)");
        int version = fixed.getInt(4), n = fixed.getInt(8);
        if (version != VERSION) throw new CorruptPackException("pack version " + version + ", this autogen reads " + VERSION);
        if (n < 0 || (long) n * (1 + 71 + 8) > size - FIXED) throw new CorruptPackException("count " + n + " does not fit in the file");
        ByteBuffer b = read(ch, FIXED, (int) Math.min(size - FIXED, (long) n * (1 + MAX_NAME + 8)), size);
        byte[] names = new byte[n * MAX_NAME];
        int[] nameStart = new int[n + 1], offset = new int[n], length = new int[n];
        int p = 0, used = 0;
        String previous = null;
        for (int i = 0; i < n; i++) {
            if (b.limit() - p < 1) throw new CorruptPackException("index truncated at entry " + (i + 1));
            int len = b.get(p) & 0xff;
            if (b.limit() - p - 1 < len + 8) throw new CorruptPackException("index truncated at entry " + (i + 1));
            byte[] name = new byte[len];
            b.get(p + 1, name);
            String s = new String(name, StandardCharsets.ISO_8859_1);
            if (!validName(s) || !shardOf(s).equals(shard)) throw new CorruptPackException("index entry " + (i + 1) + ": '" + printable(s) + "' is not a docs/" + shard + "….<ext> name");
            if (previous != null && ORDER.compare(previous, s) >= 0) throw new CorruptPackException("index entry " + (i + 1) + ": " + s + " out of order");
            System.arraycopy(name, 0, names, used, len);
            used += len;
            nameStart[i + 1] = used;
            offset[i] = b.getInt(p + 1 + len);
            length[i] = b.getInt(p + 5 + len);
            p += 1 + len + 8;
            previous = s;
        }
        long expected = FIXED + p;
        for (int i = 0; i < n; i++) {
            if (offset[i] != expected || length[i] < 0) throw new CorruptPackException("index entry " + (i + 1) + " (" + previousName(names, nameStart, i) + "): offset " + offset[i] + " length " + length[i] + ", expected offset " + expected);
            expected += length[i];
        }
        if (expected != size) throw new CorruptPackException(expected > size ? "truncated: the index needs " + expected + " bytes, the file has " + size : "bytes after the last document");
        return new Index(java.util.Arrays.copyOf(names, used), nameStart, offset, length);
    }

    private static String previousName(byte[] names, int[] start, int i) {
        return new String(names, start[i], start[i + 1] - start[i], StandardCharsets.US_ASCII);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c >= 0x20 && c < 0x7f ? c : '?');
        return b.toString();
    }

    /**
     * Checks every document's encoding ({@link DocEncoding#check}, against the context its name gives) with one
     * sequential read of the file through a buffer: the pages are not mapped, so a check costs no resident memory.
     */
    public static void checkDocuments(FileChannel ch, Index index) throws IOException, CorruptPackException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long bufStart = 0; // file position of buf's byte 0
        buf.limit(0);
        for (int i = 0; i < index.size(); i++) {
            long from = index.offset(i), to = from + index.length(i);
            if (to - bufStart > buf.limit()) {
                if (to - from > buf.capacity()) {
                    buf = ByteBuffer.allocateDirect((int) (to - from));
                }
                buf.clear();
                bufStart = from;
                while (buf.position() < buf.capacity() && bufStart + buf.position() < ch.size()) {
                    if (ch.read(buf, bufStart + buf.position()) < 0) break;
                }
                buf.flip();
                if (to - bufStart > buf.limit()) throw new CorruptPackException("truncated in " + index.name(i));
            }
            String wrong = DocEncoding.check(buf, (int) (from - bufStart), (int) (to - bufStart),
                    DocEncoding.Context.ofName(index.name(i)));
            if (wrong != null) throw new CorruptPackException(index.name(i) + ": " + wrong);
        }
    }

    /**
     * The text of document {@code name} ({@code docs/<sha256>.<ext>}) as rendered, slots as {@code {{…}}}, read from
     * its pack under {@code privateDir}; null when the pack does not hold it. For tests and tools: one document, the
     * pack checked and read each time.
     */
    public static String text(java.nio.file.Path privateDir, String name) throws IOException {
        String shard = shardOf(name);
        try (FileChannel ch = FileChannel.open(privateDir.resolve(fileName(shard)), java.nio.file.StandardOpenOption.READ)) {
            Index index = readIndex(ch, shard);
            checkDocuments(ch, index);
            int i = index.find(name);
            if (i < 0) return null;
            ByteBuffer doc = read(ch, index.offset(i), index.length(i), ch.size());
            return DocEncoding.text(doc, 0, doc.limit());
        } catch (CorruptPackException e) {
            throw new IOException(privateDir.resolve(fileName(shard)) + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int n, long size) throws IOException, CorruptPackException {
        if (at + n > size) throw new CorruptPackException("truncated: " + size + " bytes");
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) throw new CorruptPackException("truncated: " + size + " bytes");
        }
        return b.flip();
    }
}
