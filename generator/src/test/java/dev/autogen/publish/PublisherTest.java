package dev.autogen.publish;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublisherTest {
    @TempDir
    Path tmp;

    /** A stand-in for the renderer: a few files per domain, shared content-addressed docs, a secret. */
    static SiteProducer fakeSite(List<String> domains, Map<String, String> overrides) {
        return sink -> {
            sink.put("private/ldap/corp.properties", "bindPassword=s3cret\n".getBytes(StandardCharsets.UTF_8));
            sink.put("conf/nginx/autogen.conf", "server {}\n".getBytes(StandardCharsets.UTF_8));
            StringBuilder index = new StringBuilder("#autogen-site 1\n");
            for (String d : domains) {
                String body = overrides.getOrDefault(d, "<config domain='" + d + "'/>");
                byte[] xml = body.getBytes(StandardCharsets.UTF_8);
                sink.put("public/" + d + "/mail/config-v1.1.xml", xml);
                sink.put("public/" + d + "/.well-known/autoconfig/mail/config-v1.1.xml", xml);
                sink.put("conf/dns/" + d + ".zone", ("; " + d + "\n").getBytes(StandardCharsets.UTF_8));
                // Shared by every domain: arrives many times with the same bytes.
                byte[] shared = "<shared>{{address}}</shared>".getBytes(StandardCharsets.UTF_8);
                sink.put("private/docs/" + Manifest.sha256Hex(shared) + ".xml", shared);
                index.append(d).append("\tp\n");
            }
            sink.put("private/domains.tsv", index.toString().getBytes(StandardCharsets.UTF_8));
        };
    }

    static final List<String> DOMAINS = List.of("a.example", "b.example", "c.example");

    @Test
    void firstPublishCreatesCurrentVersionWithManifest() throws Exception {
        Path out = tmp.resolve("site");
        PublishResult result = new Publisher(out).publish(fakeSite(DOMAINS, Map.of()));

        assertTrue(result.switched());
        assertEquals(16, result.versionId().length());
        assertEquals(Path.of("v-" + result.versionId()), Files.readSymbolicLink(out.resolve("current")));
        Path version = out.resolve("current");
        byte[] manifest = Files.readAllBytes(version.resolve("manifest.sha256"));
        assertEquals(Manifest.versionId(manifest), result.versionId());
        List<String> lines = Files.readAllLines(version.resolve("manifest.sha256"));
        assertEquals(3 * 3 + 4, lines.size()); // per domain: 2 public, 1 zone; + ldap, nginx, doc, index
        List<String> paths = lines.stream().map(l -> l.substring(66)).toList();
        assertEquals(paths.stream().sorted().toList(), paths); // ASCII paths: String order is byte order
        for (String line : lines) {
            String path = line.substring(66);
            assertEquals(Manifest.sha256Hex(Files.readAllBytes(version.resolve(path))), line.substring(0, 64), path);
        }
        assertEquals(lines.size(), result.added());
        assertEquals(0, result.changed() + result.removed() + result.unchanged());
        assertSha256sumAccepts(version);
    }

    /** The manifest is what sha256sum -c reads; check with the real tool when the machine has it. */
    private static void assertSha256sumAccepts(Path version) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("sha256sum", "--quiet", "-c", "manifest.sha256").directory(version.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return; // no coreutils: the line format is checked above
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
    }

    @Test
    void sameInputGivesByteIdenticalTreesAndSameId() throws Exception {
        PublishResult one = new Publisher(tmp.resolve("one")).publish(fakeSite(DOMAINS, Map.of()));
        PublishResult two = new Publisher(tmp.resolve("two")).publish(fakeSite(DOMAINS, Map.of()));
        assertEquals(one.versionId(), two.versionId());
        assertEquals(snapshot(one.versionDir()), snapshot(two.versionDir()));
    }

    @Test
    void unchangedRenderTouchesNothing() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        PublishResult first = publisher.publish(fakeSite(DOMAINS, Map.of()));
        Map<String, FileState> before = states(out);
        FileTime outMtime = Files.getLastModifiedTime(out);

        PublishResult again = publisher.publish(fakeSite(DOMAINS, Map.of()));

        assertFalse(again.switched());
        assertEquals(first.versionId(), again.versionId());
        assertEquals(0, again.added() + again.changed() + again.removed());
        assertEquals(first.added(), again.unchanged());
        assertEquals(before, states(out)); // same paths, inodes and mtimes; no new version directory
        assertEquals(outMtime, Files.getLastModifiedTime(out)); // not even a temporary directory was created
    }

    @Test
    void oneChangedDomainGetsNewInodesOnlyForItsFiles() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        PublishResult first = publisher.publish(fakeSite(DOMAINS, Map.of()));
        Map<String, FileState> before = states(first.versionDir());

        PublishResult second = publisher.publish(fakeSite(DOMAINS, Map.of("b.example", "<changed/>")));

        assertTrue(second.switched());
        assertNotEquals(first.versionId(), second.versionId());
        assertEquals(2, second.changed());
        assertEquals(0, second.added() + second.removed());
        Map<String, FileState> after = states(second.versionDir());
        assertEquals(before.keySet(), after.keySet());
        for (String path : after.keySet()) {
            if (!after.get(path).kind().equals("file")) {
                continue; // directories are always new: a version is a new tree of hard links
            }
            boolean changed = path.startsWith("public/b.example/") || path.equals("manifest.sha256");
            if (changed) {
                assertNotEquals(before.get(path).inode(), after.get(path).inode(), path);
            } else {
                assertEquals(before.get(path), after.get(path), path);
            }
        }
        // Identical content within a version is one inode.
        assertEquals(after.get("public/b.example/mail/config-v1.1.xml").inode(),
                after.get("public/b.example/.well-known/autoconfig/mail/config-v1.1.xml").inode());
        // The previous version is kept for in-flight readers; the one before it is deleted (after the lock).
        assertTrue(Files.isDirectory(first.versionDir()));
        PublishResult third = publisher.publish(fakeSite(DOMAINS, Map.of("c.example", "<changed/>")));
        assertTrue(Files.isDirectory(second.versionDir()));
        assertFalse(Files.exists(first.versionDir()));
        assertEquals(1, publisher.removeRetired().versions());
        assertEquals(List.of(".lock", "current", second.versionDir().getFileName().toString(),
                third.versionDir().getFileName().toString()).stream().sorted().toList(), list(out));
    }

    @Test
    void removedAndAddedDomainsAreCounted() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        publisher.publish(fakeSite(DOMAINS, Map.of()));
        PublishResult result = publisher.publish(fakeSite(List.of("a.example", "b.example", "d.example"), Map.of()));
        assertEquals(3, result.added());
        assertEquals(3, result.removed());
        assertEquals(1, result.changed()); // domains.tsv
        assertFalse(Files.exists(out.resolve("current/public/c.example")));
        assertTrue(Files.exists(out.resolve("current/public/d.example/mail/config-v1.1.xml")));
    }

    @Test
    void revertingToAnEarlierVersionWorks() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        PublishResult a = publisher.publish(fakeSite(DOMAINS, Map.of()));
        publisher.publish(fakeSite(DOMAINS, Map.of("a.example", "<x/>")));
        PublishResult back = publisher.publish(fakeSite(DOMAINS, Map.of()));
        assertTrue(back.switched());
        assertEquals(a.versionId(), back.versionId());
        assertEquals(Path.of("v-" + a.versionId()), Files.readSymbolicLink(out.resolve("current")));
        assertEquals("<config domain='a.example'/>",
                Files.readString(out.resolve("current/public/a.example/mail/config-v1.1.xml")));
    }

    @Test
    void producerFailingHalfWayLeavesSiteUntouched() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        publisher.publish(fakeSite(DOMAINS, Map.of()));
        Map<String, FileState> before = states(out);
        Path currentTarget = Files.readSymbolicLink(out.resolve("current"));

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> publisher.publish(sink -> {
            sink.put("public/new.example/mail/config-v1.1.xml", "<new/>".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("template broke");
        }));

        assertEquals("template broke", thrown.getMessage());
        assertEquals(currentTarget, Files.readSymbolicLink(out.resolve("current")));
        assertEquals(before, states(out)); // also: no .tmp-* left behind
    }

    @Test
    void writeFailureLeavesSiteUntouched() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        publisher.publish(fakeSite(DOMAINS, Map.of()));
        Map<String, FileState> before = states(out);

        // A file where a directory must go: the second put cannot be written.
        PublishException thrown = assertThrows(PublishException.class, () -> publisher.publish(sink -> {
            sink.put("public/x.example/mail", "file".getBytes(StandardCharsets.UTF_8));
            sink.put("public/x.example/mail/config-v1.1.xml", "<x/>".getBytes(StandardCharsets.UTF_8));
        }));

        assertTrue(thrown.getMessage().contains("public/x.example/mail"), thrown.getMessage());
        assertEquals(before, states(out));
    }

    @Test
    void writeFailureSwallowedByProducerStillFails() throws Exception {
        Path out = tmp.resolve("site");
        assertThrows(PublishException.class, () -> new Publisher(out).publish(sink -> {
            sink.put("public/x.example/mail", "file".getBytes(StandardCharsets.UTF_8));
            try {
                sink.put("public/x.example/mail/config-v1.1.xml", "<x/>".getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException ignored) {
                // a careless producer
            }
        }));
        assertFalse(Files.exists(out.resolve("current")));
        assertEquals(List.of(".lock"), list(out));
    }

    @Test
    void theSinkForgetsDirectoriesItCreatedAndFindsThemAgain() throws Exception {
        Path stage = tmp.resolve("stage");
        Files.createDirectory(stage);
        StagingSink sink = new StagingSink(new StagingSink.StageDir() {
            public Path get() { return stage; }
            public boolean chmodNeeded() { return false; }
        }, null, Map.of(), 2);
        for (int round = 0; round < 2; round++) { // the second round meets directories it has forgotten
            for (String d : DOMAINS) {
                sink.put("public/" + d + "/mail/" + round + ".xml", (d + round).getBytes(StandardCharsets.UTF_8));
            }
        }
        for (String d : DOMAINS) {
            assertEquals(List.of("0.xml", "1.xml"), list(stage.resolve("public/" + d + "/mail")));
        }
        assertEquals(6, sink.writtenFiles());
    }

    @Test
    void aBigFailedRenderLeavesItsPartialVersionToTheNextRender() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out, 2); // "big": two files written
        PublishResult first = publisher.publish(fakeSite(DOMAINS, Map.of()));

        assertThrows(IllegalStateException.class, () -> publisher.publish(sink -> {
            fakeSite(List.of("x.example", "y.example"), Map.of()).produce(sink);
            throw new IllegalStateException("out of memory, say");
        }));
        List<String> left = list(out).stream().filter(n -> n.startsWith(".tmp-")).toList();
        assertEquals(1, left.size(), list(out).toString());
        assertTrue(Files.exists(out.resolve(left.get(0)).resolve("public/x.example/mail/config-v1.1.xml")));
        assertEquals(Path.of("v-" + first.versionId()), Files.readSymbolicLink(out.resolve("current")));

        publisher.publish(fakeSite(DOMAINS, Map.of()));
        assertEquals(List.of(".lock", "current", "v-" + first.versionId()), list(out));
    }

    @Test
    void staleTemporaryDirectoriesOfACrashAreRemoved() throws Exception {
        Path out = tmp.resolve("site");
        Publisher publisher = new Publisher(out);
        PublishResult first = publisher.publish(fakeSite(DOMAINS, Map.of()));
        Files.createDirectories(out.resolve(".tmp-deadbeef/public/a.example"));
        Files.writeString(out.resolve(".tmp-deadbeef/public/a.example/half"), "half");

        PublishResult again = publisher.publish(fakeSite(DOMAINS, Map.of()));

        assertEquals(first.versionId(), again.versionId());
        assertEquals(List.of(".lock", "current", "v-" + first.versionId()), list(out));
    }

    @Test
    void sameBytesTwiceAreWrittenOnceDifferentBytesAreABug() throws Exception {
        Path out = tmp.resolve("site");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> new Publisher(out).publish(sink -> {
            sink.put("private/docs/x.xml", "one".getBytes(StandardCharsets.UTF_8));
            sink.put("private/docs/x.xml", "one".getBytes(StandardCharsets.UTF_8));
            sink.put("private/docs/x.xml", "two".getBytes(StandardCharsets.UTF_8));
        }));
        assertTrue(thrown.getMessage().contains("private/docs/x.xml"));
        assertFalse(Files.exists(out.resolve("current")));
    }

    @Test
    void pathsOutsideTheVersionAreRefused() {
        for (String bad : List.of("../x", "public/../../x", "/etc/passwd", "public//x", "other/x", "public/a\nb",
                "manifest.sha256", "public/a\\b")) {
            assertThrows(IllegalArgumentException.class, () -> StagingSink.checkPath(bad), bad);
        }
        StagingSink.checkPath("public/example.com/.well-known/autoconfig/mail/config-v1.1.xml");
    }

    @Test
    void privateFilesAre0600InDirectories0700PublicFiles0644() throws Exception {
        Path out = tmp.resolve("site");
        PublishResult result = new Publisher(out).publish(fakeSite(DOMAINS, Map.of()));
        Path v = result.versionDir();
        try (Stream<Path> walk = Files.walk(v)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = v.relativize(p).toString();
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                boolean secret = rel.equals("private") || rel.startsWith("private/");
                boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                String expected = secret ? (dir ? "rwx------" : "rw-------") : (dir ? "rwxr-xr-x" : "rw-r--r--");
                assertEquals(expected, mode, rel);
            }
        }
    }

    @Test
    void refusesADirectoryThatIsNotASite() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        PublishException thrown = assertThrows(PublishException.class,
                () -> new Publisher(out).publish(fakeSite(DOMAINS, Map.of())));
        assertTrue(thrown.getMessage().contains("not an autogen site"), thrown.getMessage());
        assertEquals(List.of("notes.txt"), list(out));

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(new Publisher(empty).publish(fakeSite(DOMAINS, Map.of())).switched());
    }

    @Test
    void sinkIsSafeForConcurrentProducers() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            many.add("d" + i + ".example");
        }
        SiteProducer parallel = sink -> {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int part = t;
                    futures.add(pool.submit(() -> {
                        try {
                            fakeSite(many.subList(part * 100, part * 100 + 100), Map.of()).produce(
                                    (path, content) -> {
                                        if (!path.equals("private/domains.tsv")) {
                                            sink.put(path, content);
                                        }
                                    });
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        };
        SiteProducer sequential = sink -> fakeSite(many, Map.of()).produce((path, content) -> {
            if (!path.equals("private/domains.tsv")) {
                sink.put(path, content);
            }
        });
        PublishResult a = new Publisher(tmp.resolve("a")).publish(parallel);
        PublishResult b = new Publisher(tmp.resolve("b")).publish(sequential);
        assertEquals(b.versionId(), a.versionId());
        assertEquals(snapshot(b.versionDir()), snapshot(a.versionDir()));
    }

    // --- helpers

    record FileState(Object inode, FileTime mtime, String kind) {}

    /** Every entry under {@code root} (not root itself) with inode and mtime (symlinks not followed). */
    static Map<String, FileState> states(Path root) throws IOException {
        Map<String, FileState> states = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:ino,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                String kind = Files.isSymbolicLink(p) ? "link:" + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file";
                states.put(root.relativize(p).toString(),
                        new FileState(a.get("ino"), (FileTime) a.get("lastModifiedTime"), kind));
            }
        }
        return states;
    }

    /** Relative path → mode and content hash of every entry of a version. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> snapshot = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                String content = Files.isDirectory(p) ? "dir" : HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                snapshot.put(root.relativize(p).toString(), mode + " " + content);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return snapshot;
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

}
