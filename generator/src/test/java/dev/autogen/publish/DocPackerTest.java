package dev.autogen.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autogen.pack.DocPack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The document packs a publish writes: sorted, deterministic, unchanged shards linked, one change one shard. */
class DocPackerTest {
    @TempDir Path tmp;

    /** n documents, put in the given order (each twice, as domains of one provider do). */
    private static SiteProducer docs(List<String> texts) {
        return sink -> {
            for (String t : texts) {
                byte[] b = t.getBytes(StandardCharsets.UTF_8);
                sink.put("private/docs/" + Manifest.sha256Hex(b) + ".xml", b);
                sink.put("private/docs/" + Manifest.sha256Hex(b) + ".xml", b);
            }
            sink.put("private/domains.tsv", "#autogen-site 1\n".getBytes(StandardCharsets.UTF_8));
        };
    }

    private static List<String> texts(int n, String changed) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add("<d n='" + i + "'>{{address}} {{login:%EMAILLOCALPART%}}</d>");
        if (changed != null) l.set(7, changed);
        return l;
    }

    private static Map<String, String> manifest(Path version) throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(version.resolve("manifest.sha256"))) m.put(line.substring(66), line.substring(0, 64));
        return m;
    }

    @Test
    void packsAreDeterministicAndAnUnchangedShardIsLinked() throws Exception {
        List<String> texts = texts(600, null);
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        new Publisher(a).publish(docs(texts));
        List<String> shuffled = new ArrayList<>(texts);
        Collections.shuffle(shuffled, new java.util.Random(1));
        new Publisher(b).publish(docs(shuffled));
        Map<String, String> ma = manifest(a.resolve("current")), mb = manifest(b.resolve("current"));
        assertEquals(ma, mb, "the order documents arrive in changes nothing");
        assertTrue(ma.keySet().stream().allMatch(p -> p.equals("private/domains.tsv") || p.matches("private/docs/[0-9a-f]{2}\\.pack")), ma.toString());
        assertTrue(ma.size() > 200, "600 documents over most of the 256 shards: " + ma.size());

        Path v1 = a.resolve("current").toRealPath();
        for (String t : texts) {
            String name = "docs/" + Manifest.sha256Hex(t.getBytes(StandardCharsets.UTF_8)) + ".xml";
            assertEquals(t, DocPack.text(v1.resolve("private"), name));
        }
        Path docsDir = v1.resolve("private/docs");
        try (Stream<Path> files = Files.list(docsDir)) {
            files.forEach(f -> assertEquals("rw-------", perms(f), f.toString()));
        }
        assertEquals("rwx------", perms(docsDir));
        try (Stream<Path> files = Files.list(v1)) {
            assertEquals(List.of("manifest.sha256", "private"), files.map(f -> f.getFileName().toString()).sorted().toList(), "no spool left");
        }

        // One document changed: its old and new shards are written, every other pack is the previous one's inode.
        String changed = "<d n='changed'/>";
        PublishResult r = new Publisher(a).publish(docs(texts(600, changed)));
        Path v2 = a.resolve("current").toRealPath();
        assertNotEquals(v1, v2);
        String oldShard = DocPack.shardOf("docs/" + Manifest.sha256Hex(texts.get(7).getBytes(StandardCharsets.UTF_8)));
        String newShard = DocPack.shardOf("docs/" + Manifest.sha256Hex(changed.getBytes(StandardCharsets.UTF_8)));
        int relinked = 0;
        for (String p : manifest(v2).keySet()) {
            if (!p.endsWith(".pack")) continue;
            String shard = p.substring(13, 15);
            boolean same = Files.isSameFile(v1.resolve(p), v2.resolve(p));
            boolean touched = shard.equals(oldShard) || shard.equals(newShard);
            assertEquals(!touched, same, p);
            if (same) relinked++;
        }
        assertTrue(relinked >= ma.size() - 3, relinked + " of " + ma.size());
        assertEquals(changed, DocPack.text(v2.resolve("private"), "docs/" + Manifest.sha256Hex(changed.getBytes(StandardCharsets.UTF_8)) + ".xml"));
        assertEquals(texts.get(8), DocPack.text(v2.resolve("private"), "docs/" + Manifest.sha256Hex(texts.get(8).getBytes(StandardCharsets.UTF_8)) + ".xml"));
        assertTrue(r.changed() >= 1, r.toString());

        // Nothing changed: nothing written.
        PublishResult same = new Publisher(a).publish(docs(texts(600, changed)));
        assertEquals(v2, a.resolve("current").toRealPath());
        assertTrue(!same.switched());
    }

    @Test
    void aMalformedSlotFailsTheRenderNamingTheDocument() {
        byte[] bad = "<x>{{bogus}}</x>".getBytes(StandardCharsets.UTF_8);
        String path = "private/docs/" + Manifest.sha256Hex(bad) + ".xml";
        Exception e = assertThrows(Exception.class, () -> new Publisher(tmp.resolve("s")).publish(sink -> sink.put(path, bad)));
        assertTrue(e.getMessage().contains(path + ": unknown slot {{bogus}}"), e.getMessage());
    }

    private static String perms(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
