package dev.autogen.publish;

import dev.autogen.pack.DocEncoding;
import dev.autogen.pack.DocPack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the documents a render puts ({@code private/docs/<sha256>.<ext>}) into the document packs
 * {@code private/docs/<xx>.pack} (docs/site-format.md): each document is encoded ({@link DocEncoding}, which refuses a
 * malformed slot) when it first arrives, and the packs are written sorted once the render is done.
 *
 * <p>Memory stays small however many documents there are: a document the previous version's pack of its shard already
 * holds (same name, so same bytes) is only remembered by name, and its bytes are copied from that pack if the shard
 * changes; a new one is encoded and appended to a spool file of its shard in the stage. A shard whose names are those
 * of the previous version's pack is that pack, byte for byte: it is hard-linked, not written, and a render with no new
 * document writes nothing at all.
 */
final class DocPacker {
    static final String SPOOL = "spool/";
    private static final String PRIVATE = "private/";
    private static final long PREVIOUS = -1;
    private static final int SPOOL_BUFFER = 1 << 16;

    private final StagingSink.StageDir stageDir;
    private final Path previousDir;
    private final Map<String, String> previousHashes;
    private final Shard[] shards = new Shard[256];
    private volatile boolean anySpooled;

    DocPacker(StagingSink.StageDir stageDir, Path previousDir, Map<String, String> previousHashes) {
        this.stageDir = stageDir;
        this.previousDir = previousDir;
        this.previousHashes = previousHashes;
        for (int i = 0; i < shards.length; i++) shards[i] = new Shard(String.format("%02x", i));
    }

    /**
     * One pack being built: the documents put so far, by their path as put ({@code private/docs/…}, a string the
     * renderer holds anyway), each the position of its record in the spool, or {@link #PREVIOUS}.
     */
    private final class Shard {
        final String id;
        final ConcurrentHashMap<String, Long> names = new ConcurrentHashMap<>();
        private volatile boolean previousRead;
        private DocPack.Index previous;
        private FileChannel spool;
        private byte[] buffer;
        private int buffered;
        private long spooled;

        Shard(String id) {
            this.id = id;
        }

        String path() {
            return "private/" + DocPack.fileName(id);
        }

        /** The previous version's pack of this shard, when it has one this autogen reads (else null: write anew). */
        DocPack.Index previous() {
            if (!previousRead) {
                synchronized (this) {
                    if (!previousRead) {
                        previous = readPrevious();
                        previousRead = true;
                    }
                }
            }
            return previous;
        }

        private DocPack.Index readPrevious() {
            if (previousDir == null || !previousHashes.containsKey(path())) return null;
            try (FileChannel ch = FileChannel.open(previousDir.resolve(path()), StandardOpenOption.READ)) {
                return DocPack.readIndex(ch, id);
            } catch (IOException | DocPack.CorruptPackException e) {
                return null; // not reusable: its documents are rendered again, and this shard written anew
            }
        }

        synchronized void spool(String path, byte[] encoded) throws IOException {
            if (names.containsKey(path)) return;
            if (spool == null) {
                // The documents are private: 0700/0600 like private/, whatever the umask.
                Path dir = stageDir.get().resolve(SPOOL);
                synchronized (DocPacker.this) {
                    if (!Files.isDirectory(dir)) {
                        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(StagingSink.PRIVATE_DIR));
                        Files.setPosixFilePermissions(dir, StagingSink.PRIVATE_DIR);
                    }
                    anySpooled = true;
                }
                spool = FileChannel.open(dir.resolve(id), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.READ), PosixFilePermissions.asFileAttribute(StagingSink.PRIVATE_FILE));
                buffer = new byte[SPOOL_BUFFER];
            }
            names.put(path, spooled);
            write(ByteBuffer.allocate(4).putInt(encoded.length).array());
            write(encoded);
        }

        private void write(byte[] b) throws IOException {
            if (buffered + b.length > buffer.length) flush();
            if (b.length > buffer.length) {
                writeFully(spool, ByteBuffer.wrap(b));
            } else {
                System.arraycopy(b, 0, buffer, buffered, b.length);
                buffered += b.length;
            }
            spooled += b.length;
        }

        private void flush() throws IOException {
            writeFully(spool, ByteBuffer.wrap(buffer, 0, buffered));
            buffered = 0;
        }

        /**
         * Writes the pack (sorted) through {@code sink}, or has the sink link the previous version's when the names
         * are the same. Called once, after the render.
         */
        void finish(StagingSink sink) throws IOException {
            if (names.isEmpty()) return;
            List<String> sorted = new ArrayList<>(names.size());
            for (String path : names.keySet()) sorted.add(path.substring(PRIVATE.length())); // docs/<sha256>.<ext>
            sorted.sort(DocPack.ORDER);
            DocPack.Index prev = previous();
            if (prev != null && prev.sameNames(sorted)) {
                sink.unchanged(path());
                return;
            }
            if (spool != null) flush();
            int[] lengths = new int[sorted.size()];
            long[] from = new long[sorted.size()];
            boolean[] old = new boolean[sorted.size()];
            ByteBuffer four = ByteBuffer.allocate(4);
            for (int i = 0; i < sorted.size(); i++) {
                long at = names.get(PRIVATE + sorted.get(i));
                old[i] = at == PREVIOUS;
                if (old[i]) {
                    int k = prev.find(sorted.get(i));
                    from[i] = prev.offset(k);
                    lengths[i] = prev.length(k);
                } else {
                    readFully(spool, four.clear(), at);
                    from[i] = at + 4;
                    lengths[i] = four.getInt(0);
                }
            }
            byte[] header = DocPack.header(sorted, lengths);
            try (FileChannel previousPack = prev == null ? null
                    : FileChannel.open(previousDir.resolve(path()), StandardOpenOption.READ)) {
                sink.putStreamed(path(), out -> {
                    out.accept(header, header.length);
                    byte[] doc = new byte[1 << 16]; // one buffer for the shard: no array per document
                    for (int i = 0; i < sorted.size(); i++) {
                        if (doc.length < lengths[i]) doc = new byte[lengths[i]];
                        readFully(old[i] ? previousPack : spool, ByteBuffer.wrap(doc, 0, lengths[i]), from[i]);
                        out.accept(doc, lengths[i]);
                    }
                });
            }
        }

        void close() throws IOException {
            if (spool != null) spool.close();
        }
    }

    private Shard shard(String relativePath) {
        // private/docs/<xx…>: the shard from the two hex digits, without a substring per call.
        return shards[Character.digit(relativePath.charAt(13), 16) << 4 | Character.digit(relativePath.charAt(14), 16)];
    }

    /** True when the previous version's pack holds the document ({@code private/docs/<sha256>.<ext>}). */
    boolean inPrevious(String relativePath) {
        DocPack.Index prev = shard(relativePath).previous();
        return prev != null && prev.find(relativePath.substring(PRIVATE.length())) >= 0;
    }

    /** Takes a document of the previous version's pack without its bytes (render memo); after {@link #inPrevious}. */
    void reuse(String relativePath) {
        shard(relativePath).names.putIfAbsent(relativePath, PREVIOUS);
    }

    /** Takes one document ({@code private/docs/<sha256>.<ext>}): remembered, encoded and spooled when new. */
    void put(String relativePath, List<byte[]> content) {
        Shard shard = shard(relativePath);
        if (shard.names.containsKey(relativePath)) return; // every domain puts its provider's documents again
        String name = relativePath.substring(PRIVATE.length());
        DocPack.Index prev = shard.previous();
        if (prev != null && prev.find(name) >= 0) {
            shard.names.putIfAbsent(relativePath, PREVIOUS);
            return;
        }
        DocEncoding.Context context = DocEncoding.Context.ofName(name);
        if (context == null) throw new IllegalArgumentException(relativePath + ": not a .xml, .plist, .json or .html document");
        byte[] encoded;
        try {
            encoded = DocEncoding.encode(bytes(content), context);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(relativePath + ": " + e.getMessage(), e);
        }
        try {
            shard.spool(relativePath, encoded);
        } catch (IOException e) {
            throw new UncheckedIOException(relativePath + ": " + e.getMessage(), e);
        }
    }

    /** Writes or links every pack, then removes the spool. */
    void finish(StagingSink sink) throws IOException {
        try {
            List.of(shards).parallelStream().forEach(s -> {
                try {
                    s.finish(sink);
                } catch (IOException e) {
                    throw new UncheckedIOException(s.path() + ": " + e.getMessage(), e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (Shard s : shards) s.close();
        }
        Path spool = anySpooled ? stageDir.get().resolve(SPOOL) : null;
        if (spool != null && Files.isDirectory(spool)) {
            try (var files = Files.list(spool)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
            }
            Files.delete(spool);
        }
    }

    private static byte[] bytes(List<byte[]> content) {
        if (content.size() == 1) return content.get(0);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        content.forEach(b::writeBytes);
        return b.toByteArray();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) throw new NoSuchFileException(ch + ": ends early");
            pos += n;
        }
    }
}
