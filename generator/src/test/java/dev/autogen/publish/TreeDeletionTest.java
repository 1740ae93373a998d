package dev.autogen.publish;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeDeletionTest {
    @TempDir
    Path tmp;

    /** A version-like tree: per domain a directory with subdirectories, files, a hard link; big flat directories. */
    private Path tree(String name, int domains) throws Exception {
        Path root = tmp.resolve(name);
        Path docs = Files.createDirectories(root.resolve("private/docs"));
        for (int d = 0; d < domains; d++) {
            Path mail = Files.createDirectories(root.resolve("public/d" + d + ".example/.well-known/autoconfig/mail"));
            Path doc = Files.writeString(docs.resolve(d + ".xml"), "<x/>");
            Files.createLink(mail.resolve("config-v1.1.xml"), doc);
            Files.writeString(root.resolve("public/d" + d + ".example/index.html"), "<p>");
        }
        Files.writeString(root.resolve("manifest.sha256"), "");
        return root;
    }

    @Test
    void deletesEverythingWithSeveralThreadsAndCountsIt() throws Exception {
        Path root = tree("v", 1500);
        // per domain: 4 directories, 2 files, 1 hard link (its own entry); plus root, public, private, docs, manifest
        long deleted = TreeDeletion.delete(root, 4);
        assertFalse(Files.exists(root));
        assertEquals(1500 * 7 + 5, deleted);
    }

    @Test
    void doesNotFollowSymbolicLinks() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep");
        Path outsideDir = Files.createDirectories(tmp.resolve("outside-dir"));
        Files.writeString(outsideDir.resolve("f"), "keep");
        Path root = tree("v", 10);
        Files.createSymbolicLink(root.resolve("public/d1.example/link"), outside);
        Files.createSymbolicLink(root.resolve("public/dirlink"), outsideDir);
        Files.createSymbolicLink(root.resolve("public/d2.example/.well-known/dirlink"), outsideDir);
        TreeDeletion.delete(root, 3);
        assertFalse(Files.exists(root));
        assertTrue(Files.exists(outside));
        assertTrue(Files.exists(outsideDir.resolve("f")));
    }

    @Test
    void twoDeletersOfTheSameTreeBothSucceed() throws Exception {
        Path root = tree("v", 2000);
        CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> {
            try {
                return TreeDeletion.delete(root, 2);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long mine = TreeDeletion.delete(root, 3);
        long theirs = other.join();
        assertFalse(Files.exists(root));
        assertEquals(2000 * 7 + 5, mine + theirs);
    }
}
