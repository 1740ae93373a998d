package dev.autogen.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskSpaceTest {
    private static final Path OUT = Path.of("/srv/autogen/site");

    @Test
    void warnsWhenInodesOrSpaceAreShort() {
        // 1M domains need ~10M inodes and ~38 GiB with 4 KiB blocks.
        List<String> both = DiskSpace.warnings(OUT, 1_000_000, 5_000_000, 16_777_216, 1_000_000, 4096);
        assertEquals(2, both.size(), both.toString());
        assertTrue(both.get(0).contains("has 5,000,000 free inodes; a render of 1,000,000 domains may need up to "
                + "10,000,100"), both.get(0));
        assertTrue(both.get(1).contains("has 3.8 GiB free; a render of 1,000,000 domains may need up to 38.2 GiB"),
                both.get(1));
        assertEquals(List.of(), DiskSpace.warnings(OUT, 1_000_000, 11_000_000, 16_777_216, 11_000_000, 4096));
        // no inode limit (btrfs reports 0 inodes in all)
        assertEquals(List.of(), DiskSpace.warnings(OUT, 1_000_000, 0, 0, 11_000_000, 4096));
    }

    /** Compact: the estimate follows the distinct document sets, not the domains. */
    @Test
    void compactSitesNeedInodesPerDocumentSet() {
        // 1M domains of 100k document sets: ~800k inodes, ~4.6 GiB + 0.65 GiB of index lines.
        assertEquals(List.of(), DiskSpace.compactWarnings(OUT, 1_000_000, 100_000, 1_000_000, 16_777_216,
                2_000_000, 4096));
        List<String> both = DiskSpace.compactWarnings(OUT, 1_000_000, 100_000, 500_000, 16_777_216, 1_000_000, 4096);
        assertEquals(2, both.size(), both.toString());
        assertTrue(both.get(0).contains("has 500,000 free inodes; a compact render of 100,000 distinct document sets "
                + "may need up to 800,100"), both.get(0));
        assertTrue(both.get(1).contains("a compact render of 1,000,000 domains (100,000 distinct document sets) may "
                + "need up to 5.2 GiB"), both.get(1));
        // One provider's million domains: a few files.
        assertEquals(List.of(), DiskSpace.compactWarnings(OUT, 1_000_000, 1, 1_000, 16_777_216, 200_000, 4096));
    }

    @Test
    void readsTheRealFileSystemQuietlyForASmallSite() {
        assertEquals(List.of(), DiskSpace.warnings(Path.of(System.getProperty("java.io.tmpdir"), "not-yet", "out"), 1));
    }
}
