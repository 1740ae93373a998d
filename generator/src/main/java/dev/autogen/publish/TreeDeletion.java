package dev.autogen.publish;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletes a version's tree (millions of entries at a million domains) with a few threads, in bounded memory.
 *
 * <p>One thread walks the first two levels ({@code public/<domain>}, {@code private/docs/<file>},
 * {@code conf/dns/<file>}) and hands each second-level directory, and the second-level files in batches, to the
 * workers; when they queue up, the walker deletes the next job itself. So nothing holds a list of the tree's
 * entries (a list of every directory, as one sequential pass keeps, is half a gigabyte at five million
 * directories), and a directory of a million subdirectories is no problem. Deleting is nearly all kernel work: one
 * thread managed about 1,700 entries a second on a busy VM disk; several threads overlap the waits. The threads are
 * few (see {@link #threads}) so that a render running meanwhile keeps its share of the machine.
 */
final class TreeDeletion {
    private static final int FILE_BATCH = 512;

    private TreeDeletion() {}

    /**
     * How many threads delete: {@code AUTOGEN_DELETE_THREADS} when set, else 4 (the work waits on the disk far more
     * than it computes, so more threads than cores still help, and four leave a render beside it its cores).
     */
    static int threads() {
        String set = System.getenv("AUTOGEN_DELETE_THREADS");
        if (set != null) {
            try {
                return Math.max(1, Integer.parseInt(set.strip()));
            } catch (NumberFormatException e) {
                // the default below
            }
        }
        return 4;
    }

    /**
     * Deletes {@code root} and everything under it; returns the number of entries deleted. Another process deleting
     * the same tree at the same time is no error (two renders removing the same retired version).
     */
    static long delete(Path root, int threads) throws IOException {
        AtomicLong deleted = new AtomicLong();
        if (threads > 1 && Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(threads * 4), r -> {
                        Thread t = new Thread(r, "autogen-delete");
                        t.setDaemon(true);
                        return t;
                    }, new ThreadPoolExecutor.CallerRunsPolicy());
            try {
                for (Path child : list(root)) {
                    if (!Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    List<Path> files = new ArrayList<>(FILE_BATCH);
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(child)) {
                        for (Path entry : entries) {
                            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                                pool.execute(() -> deleteQuietly(entry, deleted));
                            } else {
                                files.add(entry);
                                if (files.size() == FILE_BATCH) {
                                    List<Path> batch = files;
                                    pool.execute(() -> deleteFiles(batch, deleted));
                                    files = new ArrayList<>(FILE_BATCH);
                                }
                            }
                        }
                    } catch (NoSuchFileException e) {
                        // deleted meanwhile by another process
                    }
                    List<Path> rest = files;
                    pool.execute(() -> deleteFiles(rest, deleted));
                }
            } finally {
                pool.shutdown();
                try {
                    while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                        // a huge tree on a slow disk: keep waiting
                    }
                } catch (InterruptedException e) {
                    pool.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            }
        }
        // What is left: the first levels, and anything a worker could not delete (its error surfaces here).
        deleteSequentially(root, deleted);
        return deleted.get();
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(children::add);
        } catch (NoSuchFileException e) {
            // deleted meanwhile
        }
        return children;
    }

    private static void deleteFiles(List<Path> files, AtomicLong deleted) {
        for (Path file : files) {
            try {
                if (Files.deleteIfExists(file)) {
                    deleted.incrementAndGet();
                }
            } catch (IOException e) {
                // left for the final sequential pass, which reports it
            }
        }
    }

    private static void deleteQuietly(Path path, AtomicLong deleted) {
        try {
            deleteSequentially(path, deleted);
        } catch (IOException | RuntimeException e) {
            // left for the final sequential pass, which reports it
        }
    }

    /**
     * One thread: each pass that another process cut short (it deleted something first) is started again; each
     * pass finds less, since only deletions happen in a tree being deleted.
     */
    static void deleteSequentially(Path root, AtomicLong deleted) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteOnce(root, deleted);
                return;
            } catch (NoSuchFileException | DirectoryNotEmptyException e) {
                if (attempt >= 1000) {
                    throw e;
                }
            }
        }
    }

    /** Depth first, each directory right after its entries: no list of the tree is kept. */
    private static void deleteOnce(Path root, AtomicLong deleted) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() { // does not follow symlinks
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted by another process
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                delete(dir);
                return FileVisitResult.CONTINUE;
            }

            private void delete(Path path) throws IOException {
                if (Files.deleteIfExists(path)) {
                    deleted.incrementAndGet();
                }
            }
        });
    }
}
