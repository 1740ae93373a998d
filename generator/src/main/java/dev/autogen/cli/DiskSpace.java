package dev.autogen.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Warns before a render when OUT's file system lacks the inodes or the space the render may need, instead of
 * failing with "No space left on device" after minutes. A version has, per domain, five directories of its own
 * (directories cannot be hard-linked, so every new version needs them again) and up to five files with content of
 * their own (its public autoconfig, profile, setup page, PACC document and DNS snippet): about 10 inodes and 10
 * blocks (40 KiB with ext4's 4 KiB blocks; measured before the setup page and PACC document: 7.5–8 inodes and
 * 31–33 KiB per domain at 10k and 100k domains, both shapes of render-bench.sh).
 *
 * <p>A compact site (docs/site-format.md) has no file per domain: its cost is its distinct documents, about
 * {@link #FILES_PER_DOCUMENT_SET} content-addressed files per distinct set of settings (autoconfig, Outlook and
 * MobileSync answers, two profiles, setup page, PACC document), plus the index lines (domains.tsv and pacc.tsv,
 * about {@link #INDEX_BYTES_PER_DOMAIN} bytes per domain).
 */
final class DiskSpace {
    static final int INODES_PER_DOMAIN = 10;
    static final int BLOCKS_PER_DOMAIN = 10;
    static final int FILES_PER_DOCUMENT_SET = 8;
    /** Blocks of one document set: the setup page (~15 KB) takes four of 4 KiB, the others one each. */
    static final int BLOCKS_PER_DOCUMENT_SET = 12;
    static final int INDEX_BYTES_PER_DOMAIN = 700;

    private DiskSpace() {}

    /** The warnings for rendering {@code domains} into {@code out} (empty when it fits, or cannot be told). */
    static List<String> warnings(Path out, int domains) {
        long[] free = statfs(out);
        return free == null ? List.of() : warnings(out, domains, free[0], free[1], free[2], free[3]);
    }

    /** The warnings for rendering {@code site} into {@code out}, in its layout. */
    static List<String> warnings(Path out, dev.autogen.model.Site site) {
        if (site.layout() == dev.autogen.model.Layout.TREE) {
            return warnings(out, site.domains().size());
        }
        long[] free = statfs(out);
        return free == null ? List.of()
                : compactWarnings(out, site.domains().size(), documentSets(site), free[0], free[1], free[2], free[3]);
    }

    /**
     * The distinct sets of settings a compact site's documents are rendered from: what the per-domain documents
     * depend on besides the domain name (the provider, its servers, DAV, OAuth2, ActiveSync, directory, and an
     * Autodiscover host other than {@code autodiscover.<domain>}). An estimate: documents of different sets may
     * still be equal, which only makes the estimate high.
     */
    static long documentSets(dev.autogen.model.Site site) {
        record Key(Object provider, Object servers, Object dav, Object oauth2, Object activeSync, Object directory,
                   String autodiscoverHost) {}
        java.util.Set<Key> keys = new java.util.HashSet<>();
        for (dev.autogen.model.Provider p : site.providers()) {
            Object provider = new Object(); // by identity: a provider's equals walks all its domains
            for (dev.autogen.model.Domain d : p.domains()) {
                keys.add(new Key(provider, d.servers(), d.davServers(), d.oauth2(), d.activeSyncUrl(), d.directory(),
                        d.autodiscoverHost().equals("autodiscover." + d.name()) ? "" : d.autodiscoverHost()));
            }
        }
        return keys.size();
    }

    static List<String> compactWarnings(Path out, int domains, long sets, long freeInodes, long totalInodes,
                                        long freeBlocks, long blockSize) {
        List<String> warnings = new ArrayList<>();
        long inodes = sets * FILES_PER_DOCUMENT_SET + 100;
        long bytes = sets * BLOCKS_PER_DOCUMENT_SET * blockSize + (long) domains * INDEX_BYTES_PER_DOMAIN
                + (16L << 20);
        if (totalInodes > 0 && freeInodes < inodes) {
            warnings.add(String.format(Locale.ROOT, "the file system of %s has %,d free inodes; a compact render "
                    + "of %,d distinct document sets may need up to %,d: it may fail with 'No space left on device' "
                    + "(df -i shows inodes; old versions and leftovers of failed renders use them too)",
                    out, freeInodes, sets, inodes));
        }
        long freeBytes = freeBlocks * blockSize;
        if (freeBytes < bytes) {
            warnings.add(String.format(Locale.ROOT, "the file system of %s has %s free; a compact render of %,d "
                    + "domains (%,d distinct document sets) may need up to %s", out, size(freeBytes), domains, sets,
                    size(bytes)));
        }
        return warnings;
    }

    private static long[] statfs(Path out) {
        Path dir = out.toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir)) {
            dir = dir.getParent();
        }
        return dir == null ? null : statfsDir(dir);
    }

    static List<String> warnings(Path out, int domains, long freeInodes, long totalInodes, long freeBlocks,
                                 long blockSize) {
        List<String> warnings = new ArrayList<>();
        long inodes = (long) domains * INODES_PER_DOMAIN + 100;
        long bytes = (long) domains * BLOCKS_PER_DOMAIN * blockSize + (16L << 20);
        // btrfs and some others report no inode limit (0 in total).
        if (totalInodes > 0 && freeInodes < inodes) {
            warnings.add(String.format(Locale.ROOT, "the file system of %s has %,d free inodes; a render of %,d "
                    + "domains may need up to %,d (%d per domain): it may fail with 'No space left on device' "
                    + "(df -i shows inodes; old versions and leftovers of failed renders use them too)",
                    out, freeInodes, domains, inodes, INODES_PER_DOMAIN));
        }
        long freeBytes = freeBlocks * blockSize;
        if (freeBytes < bytes) {
            warnings.add(String.format(Locale.ROOT, "the file system of %s has %s free; a render of %,d domains may "
                    + "need up to %s (%d blocks of %d bytes per domain)", out, size(freeBytes), domains, size(bytes),
                    BLOCKS_PER_DOMAIN, blockSize));
        }
        return warnings;
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }

    /**
     * Free inodes, total inodes, blocks free to unprivileged users and the block size, from coreutils'
     * {@code stat -f} (the JDK tells space but not inodes); null when it cannot be run.
     */
    private static long[] statfsDir(Path dir) {
        try {
            Process p = new ProcessBuilder("stat", "-f", "-c", "%d %c %a %S", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            String[] f = text.split(" ");
            if (f.length != 4) {
                return null;
            }
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
        } catch (IOException | NumberFormatException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
