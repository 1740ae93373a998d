package dev.autogen.publish;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a deployment depends on: versions owned by the site's owner whoever renders, old versions deleted outside the
 * publish lock (a render started meanwhile never fails), and whether the web-server config changed.
 */
class PublisherDeployTest {
    @TempDir
    Path tmp;

    private static final List<String> DOMAINS = PublisherTest.DOMAINS;

    private static List<String> entries(Path out, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }

    @Test
    void olderVersionsAreRetiredUnderTheLockAndDeletedAfterIt() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of()));
        publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of("a.example", "<two/>")));
        PublishResult three = publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of("a.example", "<three/>")));
        assertEquals(2, entries(out, "v-").size(), "the new version and the previous one");
        assertEquals(1, entries(out, ".old-").size(), "the first version waits for removeRetired");

        // The lock is free although the old version is not deleted yet: the next render goes ahead.
        PublishResult four = publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of("a.example", "<four/>")));
        assertTrue(four.switched());
        assertEquals(three.versionId(), four.previousId());
        assertEquals(2, entries(out, ".old-").size());

        Publisher.Removal removal = publisher.removeRetired();
        assertEquals(2, removal.versions());
        assertEquals(List.of(), entries(out, ".old-"));
        assertEquals(java.util.Set.of("v-" + three.versionId(), "v-" + four.versionId()),
                java.util.Set.copyOf(entries(out, "v-")));
        assertEquals(0, publisher.removeRetired().versions());
    }

    /** A revert publishes a version with the name of one waiting for deletion: the deletion must not take it. */
    @Test
    void aRevertDuringTheDeletionKeepsItsVersion() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        PublishResult one = publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of()));
        publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of("a.example", "<two/>")));
        publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of("a.example", "<three/>"))); // retires v-one
        PublishResult back = publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of())); // v-one again
        assertEquals(one.versionId(), back.versionId());
        publisher.removeRetired();
        assertEquals("<config domain='a.example'/>",
                Files.readString(out.resolve("current/public/a.example/mail/config-v1.1.xml")));
        assertTrue(Files.exists(out.resolve("current/manifest.sha256")));
    }

    /** Two renders one after the other, the first still deleting a big old version: neither fails. */
    @Test
    void aRenderStartedWhileTheFirstIsStillDeletingSucceeds() throws Exception {
        Path out = tmp.resolve("site");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            many.add("d" + i + ".example");
        }
        Publisher first = new Publisher(out);
        first.publish(PublisherTest.fakeSite(many, Map.of()));
        first.publish(PublisherTest.fakeSite(many, Map.of("d1.example", "<two/>")));
        first.publish(PublisherTest.fakeSite(many.subList(0, 10), Map.of())); // retires the first: ~2.4k files
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch started = new CountDownLatch(1);
            Future<Publisher.Removal> deleting = pool.submit(() -> {
                started.countDown();
                return first.removeRetired();
            });
            started.await();
            Publisher second = new Publisher(out);
            PublishResult r = second.publish(PublisherTest.fakeSite(many.subList(0, 5), Map.of())); // retires one more
            assertTrue(r.switched());
            Future<Publisher.Removal> alsoDeleting = pool.submit(second::removeRetired); // the same trees at once
            deleting.get();
            alsoDeleting.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), entries(out, ".old-"));
        assertEquals(2, entries(out, "v-").size());
    }

    @Test
    void webConfigChangeIsReported() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        PublishResult first = publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of()));
        assertTrue(first.webConfigChanged(), "a first publish brings the config");
        assertNull(first.previousId());
        PublishResult docOnly = publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of("a.example", "<x/>")));
        assertFalse(docOnly.webConfigChanged(), "a changed document needs no reload");
        assertEquals(first.versionId(), docOnly.previousId());
        PublishResult config = publisher.publish(sink -> {
            PublisherTest.fakeSite(DOMAINS, Map.of("a.example", "<x/>")).produce(sink);
            sink.put("conf/apache/autogen.conf", "# new\n".getBytes(StandardCharsets.UTF_8));
        });
        assertTrue(config.webConfigChanged());
    }

    /** root rendering into a site owned by someone else (autogen): every new file is given to that user. */
    @Test
    void rootsRenderBelongsToTheSitesOwner() throws Exception {
        assumeTrue(Ownership.effectiveUid() == 0, "SKIPPED: only root can render into another user's site");
        int nobody = 65534;
        Path parent = Files.createDirectory(tmp.resolve("lib"));
        Files.setAttribute(parent, "unix:uid", nobody);
        Files.setAttribute(parent, "unix:gid", nobody);
        Path out = parent.resolve("site"); // created by the publish: inherits the parent's owner
        Publisher publisher = new Publisher(out);
        publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of()));
        publisher.publish(PublisherTest.fakeSite(DOMAINS, Map.of("a.example", "<x/>")));
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                if (uid != nobody || gid != nobody) {
                    wrong.add(out.relativize(p) + " " + uid + ":" + gid);
                }
            }
        }
        assertEquals(List.of(), wrong, "files not owned by the site's owner");
        assertTrue(Files.isSymbolicLink(out.resolve("current")));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("current/private"))));
    }
}
