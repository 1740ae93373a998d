package dev.autogen.publish;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.autogen.text.IoErrors;

/**
 * Publishes rendered sites into an output directory atomically and incrementally (docs/site-format.md, "Layout").
 *
 * <p>A new version is staged in {@code OUT/.tmp-<random>} beside the current one, made durable, renamed to
 * {@code OUT/v-<id>}, and then {@code OUT/current} is switched to it by renaming a fresh symlink over it, which is
 * atomic: a reader sees either the old version or the new one, complete. Until that rename nothing a reader can see
 * has changed, so any failure (or a crash) leaves the current site as it was; leftovers are removed by the next run.
 *
 * <p>Versions older than the previous one are only renamed to {@code OUT/.old-<random>} while the publish lock is
 * held (cheap), and deleted by {@link #removeRetired()} after it is released: deleting 20k domains' files took
 * most of a minute on a busy disk, and a render started meanwhile must not find the lock taken.
 *
 * <p>Every new file belongs to the owner of OUT ({@link Ownership}): root's renders are given to that user, other
 * users are refused before anything is written.
 */
public final class Publisher {
    public static final String CURRENT = "current";
    /**
     * Beside the manifest in a version, not listed in it (it is not part of the site): the digest of the inputs that
     * rendered the version, so that a render with the same inputs can stop early (see {@link #unchangedSince}).
     */
    public static final String INPUTS = "inputs.sha256";
    private static final String TMP_PREFIX = ".tmp-";
    private static final String OLD_PREFIX = ".old-";
    private static final String LOCK = ".lock";
    private static final Pattern VERSION_DIR = Pattern.compile("v-[0-9a-f]{16}");

    /**
     * A failed render deletes its partial version at once only when it wrote fewer files than this; a bigger one
     * (a million domains: millions of entries, deleted at about 2,000 a second) is left for the next render, so
     * that the failure is reported at once.
     */
    static final int DELETE_FAILED_STAGE_LIMIT = 10_000;
    /** How long a render waits at its end for the removal of earlier renders' leftovers (it goes on next time). */
    private static final long STALE_REMOVAL_WAIT_MILLIS = 10_000;

    private final Path out;
    private final int deleteFailedStageLimit;

    public Publisher(Path out) {
        this(out, DELETE_FAILED_STAGE_LIMIT);
    }

    Publisher(Path out, int deleteFailedStageLimit) {
        this.out = out.toAbsolutePath().normalize();
        this.deleteFailedStageLimit = deleteFailedStageLimit;
    }

    public Path out() {
        return out;
    }

    /**
     * Runs {@code producer} into a new version and makes it current, unless it equals the current version.
     *
     * @throws PublishException when OUT cannot be used or a file cannot be written; the current site is untouched
     * @throws Exception        whatever the producer throws; the current site is untouched
     */
    public PublishResult publish(SiteProducer producer) throws Exception {
        return publish(producer, null);
    }

    /**
     * Whether the current version was rendered from inputs with {@code inputDigest} and its manifest is intact (its
     * hash still gives the version's name): then rendering again would give the same version. Reads no file but
     * the manifest and {@value #INPUTS}, writes nothing.
     *
     * @return the version id, or null; and why, in words for {@code render -v}
     */
    public Unchanged unchangedSince(String inputDigest) throws IOException {
        if (!Files.isSymbolicLink(out.resolve(CURRENT))) {
            return new Unchanged(null, "there is no current version");
        }
        Path dir = currentVersionDir();
        String name = dir == null ? "" : dir.getFileName().toString();
        if (!VERSION_DIR.matcher(name).matches()) {
            return new Unchanged(null, "current does not point at a version directory");
        }
        String stored;
        try {
            stored = Files.readString(dir.resolve(INPUTS), java.nio.charset.StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return new Unchanged(null, name + " has no digest of its inputs");
        }
        if (!stored.equals(inputDigest)) {
            return new Unchanged(null, "the inputs differ from those " + name + " was rendered from");
        }
        String sha = Manifest.sha256(dir.resolve(Manifest.FILE_NAME));
        if (sha == null || !sha.startsWith(name.substring(2))) {
            return new Unchanged(null, name + "'s manifest is missing or damaged");
        }
        return new Unchanged(name.substring(2), "the inputs (site description, templates, options, this autogen "
                + "build) are those " + name + " was rendered from, and its manifest is intact");
    }

    /** The answer of {@link #unchangedSince}: {@code versionId} is null when a render is needed. */
    public record Unchanged(String versionId, String reason) {}

    /**
     * As {@link #publish(SiteProducer)}, storing {@code inputDigest} (if not null) with the version for
     * {@link #unchangedSince}. When the render equals the current version, its stored digest is replaced (one small
     * file, written atomically) so that the next render with these inputs stops early.
     */
    public PublishResult publish(SiteProducer producer, String inputDigest) throws Exception {
        if (Files.isDirectory(out)) {
            Ownership.check(out); // first: another user's site is often unreadable too, and that is not the point
        }
        checkIsSiteOrEmpty();
        Ownership ownership = createOut();
        FileChannel lockChannel;
        try {
            lockChannel = FileChannel.open(out.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new PublishException("cannot write " + IoErrors.describe(e), e);
        }
        try (lockChannel; FileLock lock = tryLock(lockChannel)) {
            ownership.adopt(out.resolve(LOCK), false);
            Thread staleRemoval = removeStaleInBackground();
            try {
                return publishLocked(producer, ownership, inputDigest);
            } finally {
                joinQuietly(staleRemoval);
            }
        } catch (PublishException e) {
            throw e;
        } catch (IOException e) {
            throw new PublishException(IoErrors.describe(e), e);
        }
    }

    /** Creates OUT when missing and decides who the new version belongs to. */
    private Ownership createOut() throws PublishException {
        Path parent = out.getParent();
        boolean created = !Files.exists(out, LinkOption.NOFOLLOW_LINKS);
        try {
            Files.createDirectories(out);
            if (created && parent != null && Ownership.effectiveUid() == 0) {
                // root creating a site in /var/lib/autogen gives it to autogen, the owner of the parent
                Ownership.check(parent).adopt(out, false);
            }
        } catch (IOException e) {
            throw new PublishException("cannot create " + out + ": " + IoErrors.describe(e), e);
        }
        return Ownership.check(out);
    }

    /** How many retired versions {@link #removeRetired()} deleted, and how long it took. */
    public record Removal(int versions, long nanos) {}

    /**
     * Deletes the versions the last publishes retired ({@code OUT/.old-*}), without the publish lock: another render
     * may run meanwhile, and two processes deleting the same tree at once is harmless. Call it after
     * {@link #publish}; a failure here leaves only disk space in use (the next render tries again).
     */
    public Removal removeRetired() throws PublishException {
        long start = System.nanoTime();
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(out, OLD_PREFIX + "*")) {
            for (Path entry : entries) {
                TreeDeletion.delete(entry, TreeDeletion.threads());
                removed++;
            }
        } catch (NoSuchFileException e) {
            return new Removal(removed, System.nanoTime() - start);
        } catch (IOException | UncheckedIOException e) {
            throw new PublishException("cannot remove old versions: " + IoErrors.describe(e), e);
        }
        return new Removal(removed, System.nanoTime() - start);
    }

    private FileLock tryLock(FileChannel channel) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new PublishException("another autogen render is publishing to " + out + " right now");
        }
        return lock;
    }

    private PublishResult publishLocked(SiteProducer producer, Ownership ownership, String inputDigest)
            throws Exception {
        Path previousDir = currentVersionDir();
        Manifest.Read previousManifest = previousDir == null ? null : Manifest.read(previousDir.resolve(Manifest.FILE_NAME));
        Map<String, String> previousHashes = previousManifest == null ? Map.of() : previousManifest.hashes();

        Path stagePath = out.resolve(TMP_PREFIX + randomHex());
        LazyStage stage = new LazyStage(stagePath, ownership);
        StagingSink sink = new StagingSink(stage, previousDir, previousHashes);
        long started = System.nanoTime();
        boolean failed = true;
        try {
            try {
                producer.produce(sink);
            } catch (Exception | Error e) {
                if (sink.failure() != null) {
                    throw new PublishException("cannot write the site: " + IoErrors.describe(sink.failure()),
                            sink.failure());
                }
                throw e;
            }
            if (sink.failure() != null) { // a producer that swallowed the sink's exception
                throw new PublishException("cannot write the site: " + IoErrors.describe(sink.failure()),
                        sink.failure());
            }
            long produced = System.nanoTime();
            sink.finishPacks(); // timed with the linking: both put the documents and unchanged files in place
            Map<String, String> hashes = sink.hashes();
            // The manifest is formatted twice, first only for its hash: an unchanged render must not write it, and
            // at a million domains it is too big to keep in memory (about 540 MB).
            Map.Entry<String, String>[] manifest = Manifest.sorted(hashes);
            String id = Manifest.write(manifest, OutputStream.nullOutputStream()).substring(0, 16);
            Counts counts = Counts.of(previousHashes, hashes);
            if (previousManifest != null && id.equals(previousManifest.versionId())) {
                deleteTree(stagePath); // only exists if the producer wrote something twice; normally absent
                if (inputDigest != null) {
                    storeInputs(previousDir, inputDigest, ownership);
                }
                failed = false;
                return new PublishResult(id, previousDir, false, 0, 0, 0, counts.unchanged,
                        new PublishResult.Phases(produced - started, 0, 0, 0));
            }
            // Writing back what the render wrote starts now, beside the linking; the flush below then only waits for
            // the rest (at 100k domains it took 2 s on its own).
            Process earlyFlush = Durability.startFlush(stage.get());
            sink.linkPending();
            long linked = System.nanoTime();
            Path stageDir = stage.get();
            try (OutputStream file = Files.newOutputStream(stageDir.resolve(Manifest.FILE_NAME),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                Manifest.write(manifest, file);
            }
            if (inputDigest != null) {
                storeInputs(stageDir, inputDigest, ownership);
            }
            Files.setPosixFilePermissions(stageDir.resolve(Manifest.FILE_NAME), StagingSink.PUBLIC_FILE);
            ownership.adopt(stageDir.resolve(Manifest.FILE_NAME), false);
            Durability.await(earlyFlush);
            Durability.sync(stageDir);
            long flushed = System.nanoTime();

            Path versionDir = out.resolve("v-" + id);
            if (Files.exists(versionDir, LinkOption.NOFOLLOW_LINKS)) {
                retire(versionDir); // an older version with the same content, or left by a crash; not current
            }
            Files.move(stageDir, versionDir, StandardCopyOption.ATOMIC_MOVE);
            Durability.syncDirectory(out);
            switchCurrent(versionDir.getFileName().toString(), ownership);
            failed = false;
            retireOldVersions(versionDir, previousDir);
            long switched = System.nanoTime();
            return new PublishResult(id, versionDir, true, counts.added, counts.changed, counts.removed,
                    counts.unchanged, new PublishResult.Phases(produced - started, linked - produced, flushed - linked,
                    switched - flushed), previousId(previousDir), webConfigChanged(previousHashes, hashes));
        } catch (UncheckedIOException e) {
            throw new PublishException("cannot write the site: " + IoErrors.describe(e), e.getCause());
        } catch (IOException e) {
            if (e instanceof PublishException) {
                throw e;
            }
            throw new PublishException("cannot write the site: " + IoErrors.describe(e), e);
        } finally {
            if (!failed || sink.writtenFiles() < deleteFailedStageLimit) {
                deleteQuietly(stagePath);
            } // else: the next render removes it, in the background (removeStaleInBackground)
        }
    }

    /** Writes {@value #INPUTS} into {@code versionDir} (0600: only autogen reads it), atomically; unless equal. */
    private static void storeInputs(Path versionDir, String inputDigest, Ownership ownership) throws IOException {
        Path file = versionDir.resolve(INPUTS);
        try {
            if (Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII).strip().equals(inputDigest)) {
                return;
            }
        } catch (NoSuchFileException e) {
            // written below
        }
        Path tmp = versionDir.resolve(TMP_PREFIX + INPUTS + "-" + randomHex());
        Files.writeString(tmp, inputDigest + "\n", java.nio.charset.StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(tmp, StagingSink.PRIVATE_FILE);
        ownership.adopt(tmp, false);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String previousId(Path previousDir) {
        if (previousDir == null) {
            return null;
        }
        String name = previousDir.getFileName().toString();
        return name.startsWith("v-") ? name.substring(2) : name;
    }

    /** Whether any file a web server reads was added, changed or removed. */
    private static boolean webConfigChanged(Map<String, String> before, Map<String, String> after) {
        return !webConfig(before).equals(webConfig(after));
    }

    private static Map<String, String> webConfig(Map<String, String> hashes) {
        Map<String, String> result = new java.util.TreeMap<>();
        hashes.forEach((path, hash) -> {
            if (PublishResult.WEB_CONFIG_DIRS.stream().anyMatch(path::startsWith)) {
                result.put(path, hash);
            }
        });
        return result;
    }

    private record Counts(int added, int changed, int removed, int unchanged) {
        static Counts of(Map<String, String> before, Map<String, String> after) {
            int added = 0;
            int changed = 0;
            int unchanged = 0;
            for (Map.Entry<String, String> e : after.entrySet()) {
                String old = before.get(e.getKey());
                if (old == null) {
                    added++;
                } else if (old.equals(e.getValue())) {
                    unchanged++;
                } else {
                    changed++;
                }
            }
            return new Counts(added, changed, before.size() - changed - unchanged, unchanged);
        }
    }

    /** Creates the staging directory on first use, 0755 like any version directory. */
    private static final class LazyStage implements StagingSink.StageDir {
        private final Path path;
        private final Ownership ownership;
        private volatile boolean created;
        private boolean umaskStrips;

        LazyStage(Path path, Ownership ownership) {
            this.path = path;
            this.ownership = ownership;
        }

        @Override
        public void adopt(Path created) throws IOException {
            ownership.adopt(created, false);
        }

        @Override
        public Path get() throws IOException {
            if (!created) {
                synchronized (this) {
                    if (!created) {
                        Files.createDirectory(path, PosixFilePermissions.asFileAttribute(StagingSink.PUBLIC_DIR));
                        // The umask may have removed bits (077 gives 0700): then modes are set explicitly.
                        umaskStrips = !Files.getPosixFilePermissions(path).equals(StagingSink.PUBLIC_DIR);
                        Files.setPosixFilePermissions(path, StagingSink.PUBLIC_DIR);
                        ownership.adopt(path, false);
                        created = true;
                    }
                }
            }
            return path;
        }

        @Override
        public boolean chmodNeeded() {
            return umaskStrips;
        }
    }

    /** The directory {@code current} points at, or null when there is no current version. */
    private Path currentVersionDir() throws IOException {
        Path current = out.resolve(CURRENT);
        if (!Files.isSymbolicLink(current)) {
            if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new PublishException(current + " is not a symlink: not a site written by autogen");
            }
            return null;
        }
        Path target = out.resolve(Files.readSymbolicLink(current)).normalize();
        return Files.isDirectory(target) ? target : null;
    }

    private void switchCurrent(String versionName, Ownership ownership) throws IOException {
        Path link = out.resolve(TMP_PREFIX + "current-" + randomHex());
        Files.createSymbolicLink(link, Path.of(versionName)); // relative, so OUT can be moved or mounted elsewhere
        try {
            ownership.adopt(link, true);
            Files.move(link, out.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(link);
            throw e;
        }
        Durability.syncDirectory(out);
    }

    /**
     * Keeps the new version and the one that was current before it (readers may still be in it); renames the others
     * out of the way for {@link #removeRetired()}. A rename is needed, not a list of names to delete later: the next
     * render may publish a version with one of those names (a revert) before they are deleted.
     */
    private void retireOldVersions(Path keep, Path previous) throws IOException {
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(out)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (VERSION_DIR.matcher(name).matches() && !entry.equals(keep) && !entry.equals(previous)) {
                    old.add(entry);
                }
            }
        }
        for (Path entry : old) {
            retire(entry);
        }
    }

    private void retire(Path versionDir) throws IOException {
        Files.move(versionDir, out.resolve(OLD_PREFIX + randomHex()), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Removes what earlier renders left ({@code .tmp-*}: a crash, or a failed render's partial version) beside this
     * render instead of before it: a million-domain leftover takes long to delete. The subtrees are deleted in
     * parallel. The thread is a daemon: what is left when the process ends is removed by the next render.
     */
    private Thread removeStaleInBackground() throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(out, TMP_PREFIX + "*")) {
            entries.forEach(stale::add);
        }
        if (stale.isEmpty()) {
            return null;
        }
        Thread thread = new Thread(() -> stale.forEach(Publisher::deleteInParallel), "autogen-remove-stale");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Deletes a tree with a few threads ({@link TreeDeletion}); quietly. */
    private static void deleteInParallel(Path root) {
        try {
            TreeDeletion.delete(root, TreeDeletion.threads());
        } catch (IOException | RuntimeException e) {
            // the next render tries again
        }
    }

    private static void joinQuietly(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(STALE_REMOVAL_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Refuses to publish into a directory that holds something else: we would delete parts of it later. */
    private void checkIsSiteOrEmpty() throws PublishException {
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new PublishException(out + " exists and is not a directory");
        }
        if (Files.exists(out.resolve(CURRENT), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> entries = Files.list(out)) {
            List<String> foreign = entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(LOCK) && !n.startsWith(TMP_PREFIX) && !n.startsWith(OLD_PREFIX))
                    .sorted().limit(3).toList();
            if (!foreign.isEmpty()) {
                throw new PublishException(out + " is not empty and not an autogen site (no 'current'; contains "
                        + String.join(", ", foreign) + "); choose an empty or new directory");
            }
        } catch (IOException e) {
            throw new PublishException("cannot list " + out + ": " + IoErrors.describe(e), e);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String randomHex() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Deletes a tree. Another process may delete the same tree at the same time (two renders removing the same
     * retired version): what it deleted first is no error, and a pass cut short by it is simply started again (each
     * pass finds less; only deletions happen in a retired tree).
     */
    static void deleteTree(Path root) throws IOException {
        TreeDeletion.deleteSequentially(root, new java.util.concurrent.atomic.AtomicLong());
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteTree(path);
        } catch (IOException ignored) {
            // the next run removes stale .tmp-* entries
        }
    }

    /** Flushing to disk before the switch, so a power loss cannot make {@code current} point at a hollow version. */
    static final class Durability {
        private Durability() {}

        /**
         * Flushes everything written under {@code dir}. The JDK has no syncfs(2), and one fsync per file costs about
         * 0.4 ms here (a 100k-domain site would spend minutes in it); coreutils' {@code sync -f} flushes the whole
         * file system in one call. Without it, every file and directory is fsync'ed one by one.
         */
        static void sync(Path dir) throws IOException {
            if (syncFileSystem(dir)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    force(p);
                }
            }
        }

        static void syncDirectory(Path dir) throws IOException {
            force(dir);
        }

        private static void force(Path p) throws IOException {
            try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
                channel.force(true);
            } catch (IOException e) {
                if (!Files.isDirectory(p)) {
                    throw e; // some systems cannot open directories for fsync; files must succeed
                }
            }
        }

        private static boolean syncFileSystem(Path dir) {
            return await(startFlush(dir));
        }

        /** Starts {@code sync -f DIR} in the background; null when it cannot be started. */
        static Process startFlush(Path dir) {
            try {
                return new ProcessBuilder("sync", "-f", dir.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                return null;
            }
        }

        /** Waits for a flush from {@link #startFlush}; true when it ran and succeeded. */
        static boolean await(Process process) {
            if (process == null) {
                return false;
            }
            try {
                return process.waitFor(10, TimeUnit.MINUTES) && process.exitValue() == 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
