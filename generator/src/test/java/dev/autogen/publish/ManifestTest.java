package dev.autogen.publish;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ManifestTest {
    private static final String H = "a".repeat(64);
    /** H as a digest: the in-memory form of a hash. */
    private static final String D = new String(java.util.HexFormat.of().parseHex(H), StandardCharsets.ISO_8859_1);

    @Test
    void linesAreSortedByTheUtf8BytesOfThePath() {
        // U+FFFD sorts before U+1F600 in UTF-8 (and by code point), but after it in UTF-16 units.
        List<String> paths = List.of("public/b", "public/a.b", "public/a", "public/\uFFFD", "public/\uD83D\uDE00",
                "public/z", "conf/x");
        Map<String, String> hashes = new HashMap<>();
        paths.forEach(p -> hashes.put(p, D));
        List<String> lines = new String(Manifest.format(hashes), StandardCharsets.UTF_8).lines().toList();
        List<String> sorted = paths.stream().sorted((a, b) -> Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))).toList();
        assertEquals(sorted.stream().map(p -> H + "  " + p).toList(), lines);

        Map<String, String> ascii = new HashMap<>();
        List.of("public/b", "public/a.b", "public/a", "conf/x").forEach(p -> ascii.put(p, D));
        assertEquals(List.of("conf/x", "public/a", "public/a.b", "public/b"),
                new String(Manifest.format(ascii), StandardCharsets.UTF_8).lines().map(l -> l.substring(66)).toList());
    }

    @Test
    void parseReadsWhatFormatWritesAndRejectsDamage() {
        Map<String, String> hashes = Map.of("public/a", D, "private/docs/x.xml",
                Manifest.digest("x".getBytes(StandardCharsets.UTF_8)));
        byte[] manifest = Manifest.format(hashes);
        assertEquals(hashes, Manifest.parse(manifest));
        assertEquals(Map.of(), Manifest.parse((H + " public/a\n").getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of(), Manifest.parse((H.toUpperCase() + "  public/a\n").getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of(), Manifest.parse((H + "  public/a").getBytes(StandardCharsets.UTF_8))); // truncated
    }

    @Test
    void readStreamsAFileAndHashesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < 5000; i++) { // several read chunks, lines across chunk borders
            hashes.put("public/d" + i + ".example/mail/config-v1.1.xml", Manifest.digest(new byte[] {(byte) i}));
        }
        byte[] bytes = Manifest.format(hashes);
        java.nio.file.Path file = tmp.resolve("manifest.sha256");
        java.nio.file.Files.write(file, bytes);
        Manifest.Read read = Manifest.read(file);
        assertEquals(hashes, read.hashes());
        assertEquals(Manifest.sha256Hex(bytes), read.sha256());
        assertEquals(Manifest.versionId(bytes), read.versionId());
        assertEquals(Manifest.sha256Hex(bytes), Manifest.write(Manifest.sorted(hashes),
                java.io.OutputStream.nullOutputStream()));
        assertEquals(null, Manifest.read(tmp.resolve("absent")));
    }

    @Test
    void versionIdIsThePrefixOfTheManifestHash() {
        byte[] manifest = (H + "  public/a\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(Manifest.sha256Hex(manifest).substring(0, 16), Manifest.versionId(manifest));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Manifest.sha256Hex(new byte[0]));
    }
}
