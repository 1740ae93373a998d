package dev.autogen.publish;

import dev.autogen.render.FileSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link FileSink} a render streams into. New content is written into the staging directory at once. Content
 * that the previous version already has is only remembered and hard-linked in {@link #linkPending()}, after the
 * render, so that a render equal to the current version touches nothing on disk. Content seen before in this version
 * is hard-linked at once when that file is complete, else (another thread is still writing it) also afterwards:
 * linking during the render keeps that file-system work beside the rendering, on all threads, instead of after it.
 *
 * <p>Documents ({@code private/docs/<sha256>.<ext>}, {@link #isContentAddressed}) are not files: they go to the
 * {@link DocPacker}, and {@link #finishPacks()} writes (or links) at most 256 packs after the render.
 *
 * <p>Hard links share one inode and so one mode: content is only shared between files of the same visibility
 * (public or private), so a public file never becomes 0600 and a private one never 0644.
 */
final class StagingSink implements FileSink {
    static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> PUBLIC_DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final List<String> TOP_LEVEL = List.of("public/", "private/", "conf/");

    /** Creates the staging directory lazily: a render that writes nothing must not touch OUT at all. */
    interface StageDir {
        Path get() throws IOException;

        /** Valid after {@link #get()}: the umask strips bits from 0644/0755, so modes must be set explicitly. */
        boolean chmodNeeded();

        /** Gives a file or directory just created in the stage to the site's owner (see {@code Ownership}). */
        default void adopt(Path created) throws IOException {}
    }

    /** A file to hard-link: {@code source} is relative to the previous version or, if not, to the stage. */
    private record Link(String path, String source, boolean fromPrevious) {}

    /** A file of the stage with new content; {@code complete} once all its bytes are written. */
    private static final class Written {
        final String path;
        final String hash;
        volatile boolean complete;

        Written(String path, String hash) {
            this.path = path;
            this.hash = hash;
        }
    }

    private final StageDir stageDir;
    private final Path previousDir;
    private final Map<String, String> previousHashes;
    /**
     * Per visibility (0 public, 1 private), digest → a path of the previous version with that content; built on
     * first use. Keyed by the digest strings of {@link #previousHashes} themselves: no string per file is made.
     */
    private volatile List<Map<String, String>> previousByContent;

    /** path → digest ({@link Manifest#digest}); the path strings are shared with {@link #written}. */
    private final ConcurrentHashMap<String, String> hashes;
    /**
     * Per visibility (0 public, 1 private), digest → the file (relative to the stage) written with that content.
     * Keyed by the digest strings that {@link #hashes} holds anyway.
     */
    private final List<ConcurrentHashMap<String, Written>> written =
            List.of(new ConcurrentHashMap<>(1 << 16), new ConcurrentHashMap<>(1 << 12));
    private final ConcurrentLinkedQueue<Link> pendingLinks = new ConcurrentLinkedQueue<>();
    /**
     * Directories (relative to the stage) recently created: one mkdir per directory, not one per file. Bounded (a
     * domain has five directories of its own, used only while it is rendered and linked): forgetting one only costs
     * a mkdir that finds it exists.
     */
    private final Set<String> createdDirs = ConcurrentHashMap.newKeySet();
    static final int CREATED_DIRS_LIMIT = 1 << 14;
    private final int createdDirsLimit;
    private final AtomicInteger writtenFiles = new AtomicInteger();
    private final DocPacker packer;
    private volatile IOException failure;

    /**
     * @param previousDir    the current version's directory, or null when there is none
     * @param previousHashes its manifest (path → digest)
     */
    StagingSink(StageDir stageDir, Path previousDir, Map<String, String> previousHashes) {
        this(stageDir, previousDir, previousHashes, CREATED_DIRS_LIMIT);
    }

    StagingSink(StageDir stageDir, Path previousDir, Map<String, String> previousHashes, int createdDirsLimit) {
        this.createdDirsLimit = createdDirsLimit;
        this.stageDir = stageDir;
        this.previousDir = previousDir;
        this.previousHashes = previousHashes;
        // Sized for the previous version, or for a medium site: growing a big concurrent map is costly.
        this.hashes = new ConcurrentHashMap<>(Math.max(1 << 16, previousHashes.size() * 4 / 3 + 16));
        this.packer = new DocPacker(stageDir, previousDir, previousHashes);
    }

    /** Writes the document packs of every document put (or links the previous version's); after the producer. */
    void finishPacks() throws IOException {
        try {
            packer.finish(this);
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /** Takes {@code relativePath} unchanged from the previous version (linked later, if the version is published). */
    void unchanged(String relativePath) {
        hashes.put(relativePath, previousHashes.get(relativePath));
        pendingLinks.add(new Link(relativePath, relativePath, true));
    }

    /** Where a streamed file's bytes go. */
    interface Output {
        /** Writes {@code bytes[0, length)}. */
        void accept(byte[] bytes, int length) throws IOException;
    }

    /** Writes a file (new content) from {@code content}, hashing it on the way: for files too big to hold. */
    void putStreamed(String relativePath, IoConsumer<Output> content) throws IOException {
        boolean secret = isPrivate(relativePath);
        ensureDir(parentOf(relativePath), secret);
        Path target = stageDir.get().resolve(relativePath);
        Set<PosixFilePermission> mode = secret ? PRIVATE_FILE : PUBLIC_FILE;
        java.security.MessageDigest digest = Manifest.newSha256();
        try (FileChannel channel = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(mode));
             java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 20)) {
            content.accept((bytes, length) -> {
                digest.update(bytes, 0, length);
                out.write(bytes, 0, length);
            });
        }
        if (stageDir.chmodNeeded()) {
            Files.setPosixFilePermissions(target, mode);
        }
        stageDir.adopt(target);
        hashes.put(relativePath, new String(digest.digest(), java.nio.charset.StandardCharsets.ISO_8859_1));
        writtenFiles.incrementAndGet();
    }

    interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }

    @Override
    public void put(String relativePath, byte[] content) {
        put(relativePath, List.of(content));
    }

    @Override
    public void put(String relativePath, List<byte[]> content) {
        if (failure != null) {
            throw new UncheckedIOException("an earlier write failed", failure);
        }
        checkPath(relativePath);
        if (isContentAddressed(relativePath)) {
            packer.put(relativePath, content); // no file per document: the packs, written by finishPacks()
            return;
        }
        String hash = Manifest.digest(content);
        // The digest kept per file is one already held where there is one (the previous manifest's for an unchanged
        // file, the first writer's for shared content): at millions of files, 72 bytes a file fewer.
        String previous = previousDir == null ? null : previousHashes.get(relativePath);
        boolean unchanged = hash.equals(previous);
        int visibility = isPrivate(relativePath) ? 1 : 0;
        Written shared = unchanged ? null : written.get(visibility).get(hash);
        String kept = unchanged ? previous : shared != null ? shared.hash : hash;
        String earlier = hashes.putIfAbsent(relativePath, kept);
        if (earlier != null) {
            if (earlier.equals(hash)) {
                return; // content-addressed documents arrive once per domain that uses them
            }
            throw new IllegalStateException("two different contents rendered for " + relativePath);
        }
        if (unchanged) {
            pendingLinks.add(new Link(relativePath, relativePath, true)); // the common case: unchanged
            return;
        }
        if (previousDir != null) {
            String previousPath = previousByContent().get(visibility).get(hash); // moved, or shared with another path
            if (previousPath != null) {
                pendingLinks.add(new Link(relativePath, previousPath, true));
                return;
            }
        }
        Written mine = new Written(relativePath, hash);
        Written source = written.get(visibility).putIfAbsent(hash, mine);
        if (source != null && !source.complete) {
            pendingLinks.add(new Link(relativePath, source.path, false));
            return;
        }
        try {
            Path stage = stageDir.get();
            if (source != null) {
                ensureDir(parentOf(relativePath), isPrivate(relativePath));
                link(stage.resolve(relativePath), stage.resolve(source.path));
                return;
            }
            write(relativePath, stage.resolve(relativePath), content);
            mine.complete = true;
            writtenFiles.incrementAndGet();
        } catch (IOException e) {
            fail(e);
            throw new UncheckedIOException(relativePath + ": " + e.getMessage(), e);
        }
    }

    /** A content-addressed document of the previous version: {@link #reuse} links it (render memo). */
    @Override
    public boolean reusable(String relativePath) {
        return previousDir != null && isContentAddressed(relativePath) && packer.inPrevious(relativePath);
    }

    @Override
    public void reuse(String relativePath) {
        if (!reusable(relativePath)) {
            throw new IllegalStateException("the previous version has no " + relativePath);
        }
        packer.reuse(relativePath);
    }

    private List<Map<String, String>> previousByContent() {
        List<Map<String, String>> maps = previousByContent;
        if (maps == null) {
            synchronized (this) {
                maps = previousByContent;
                if (maps == null) {
                    Map<String, String> open = new HashMap<>(previousHashes.size() * 4 / 3 + 16);
                    Map<String, String> secret = new HashMap<>();
                    previousHashes.forEach((path, hash) -> (isPrivate(path) ? secret : open).putIfAbsent(hash, path));
                    previousByContent = maps = List.of(open, secret);
                }
            }
        }
        return maps;
    }

    /** path → digest of every file put so far. */
    Map<String, String> hashes() {
        return hashes;
    }

    /** How many files were written with new content (not links). */
    int writtenFiles() {
        return writtenFiles.get();
    }

    /** The first write failure, if any; puts after it fail at once. */
    IOException failure() {
        return failure;
    }

    /** Creates every deferred hard link. Called once, after the producer returned. */
    void linkPending() throws IOException {
        List<Link> links = new ArrayList<>(pendingLinks);
        Path stage = stageDir.get();
        try {
            links.parallelStream().forEach(link -> {
                Path target = stage.resolve(link.path());
                Path source = (link.fromPrevious() ? previousDir : stage).resolve(link.source());
                try {
                    ensureDir(parentOf(link.path()), isPrivate(link.path()));
                    link(target, source);
                } catch (IOException e) {
                    throw new UncheckedIOException(link.path() + ": " + e.getMessage(), e);
                }
            });
        } catch (UncheckedIOException e) {
            throw fail(e.getCause());
        }
    }

    /**
     * Hard-links {@code target} to {@code source}, or copies it when the file system refuses another link (ext4
     * allows 65,000 per inode: content shared by more paths, or by many versions, gets a second inode).
     */
    private static void link(Path target, Path source) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (FileSystemException e) {
            if (e instanceof FileAlreadyExistsException || e instanceof NoSuchFileException
                    || e.getReason() == null || !e.getReason().contains("Too many links")) {
                throw e;
            }
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES); // the owner too, when root copies
        }
    }

    private IOException fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return failure;
    }

    private void write(String relativePath, Path target, List<byte[]> content) throws IOException {
        boolean secret = isPrivate(relativePath);
        ensureDir(parentOf(relativePath), secret);
        Set<PosixFilePermission> mode = secret ? PRIVATE_FILE : PUBLIC_FILE;
        FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(mode);
        try (FileChannel channel = FileChannel.open(target,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attribute)) {
            for (byte[] part : content) {
                ByteBuffer buffer = ByteBuffer.wrap(part);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
        if (stageDir.chmodNeeded()) {
            Files.setPosixFilePermissions(target, mode);
        }
        stageDir.adopt(target);
    }

    /** Creates {@code dir} and its missing parents inside the stage, with the mode of its visibility. */
    private void ensureDir(String dir, boolean secret) throws IOException {
        if (dir.isEmpty() || createdDirs.contains(dir)) {
            return;
        }
        ensureDir(parentOf(dir), secret);
        Path path = stageDir.get().resolve(dir);
        Set<PosixFilePermission> mode = secret ? PRIVATE_DIR : PUBLIC_DIR;
        try {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(mode));
            if (stageDir.chmodNeeded()) {
                Files.setPosixFilePermissions(path, mode);
            }
            stageDir.adopt(path);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(path)) {
                throw e;
            }
        }
        if (createdDirs.size() >= createdDirsLimit) {
            createdDirs.clear();
        }
        createdDirs.add(dir);
    }

    /** {@code a/b/c} → {@code a/b}; {@code a} → the empty string (the stage itself). */
    private static String parentOf(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        return slash < 0 ? "" : relativePath.substring(0, slash);
    }

    static boolean isPrivate(String relativePath) {
        return relativePath.startsWith("private/");
    }

    /** {@code private/docs/<64 hex digits>.<ext>}: a document named by the SHA-256 of its bytes (site-format.md). */
    static boolean isContentAddressed(String relativePath) {
        int name = DOCS.length();
        if (!relativePath.startsWith(DOCS) || relativePath.length() < name + 66
                || relativePath.charAt(name + 64) != '.') {
            return false;
        }
        for (int i = name; i < name + 64; i++) {
            char c = relativePath.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return relativePath.indexOf('/', name) < 0;
    }

    private static final String DOCS = "private/docs/";

    /** Renderer bugs must not write outside the version or produce a manifest sha256sum cannot read. */
    static void checkPath(String path) {
        if (TOP_LEVEL.stream().noneMatch(path::startsWith)) {
            throw new IllegalArgumentException("rendered path outside public/, private/, conf/: " + path);
        }
        int segmentStart = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                int length = i - segmentStart;
                if (length == 0 || length <= 2 && path.startsWith(length == 1 ? "." : "..", segmentStart)) {
                    throw new IllegalArgumentException("rendered path with an empty, . or .. segment: " + path);
                }
                segmentStart = i + 1;
            }
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new IllegalArgumentException("rendered path with a control character or backslash: " + path);
            }
        }
    }
}
