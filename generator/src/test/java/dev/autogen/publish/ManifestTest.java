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

    @Test
    void linesAreSortedByTheUtf8BytesOfThePath() {
        // U+FFFD sorts before U+1F600 in UTF-8 (and by code point), but after it in UTF-16 units.
        List<String> paths = List.of("public/b", "public/a.b", "public/a", "public/\uFFFD", "public/\uD83D\uDE00",
                "public/z", "conf/x");
        Map<String, String> hashes = new HashMap<>();
        paths.forEach(p -> hashes.put(p, H));
        List<String> lines = new String(Manifest.format(hashes), StandardCharsets.UTF_8).lines().toList();
        List<String> sorted = paths.stream().sorted((a, b) -> Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))).toList();
        assertEquals(sorted.stream().map(p -> H + "  " + p).toList(), lines);

        Map<String, String> ascii = new HashMap<>();
        List.of("public/b", "public/a.b", "public/a", "conf/x").forEach(p -> ascii.put(p, H));
        assertEquals(List.of("conf/x", "public/a", "public/a.b", "public/b"),
                new String(Manifest.format(ascii), StandardCharsets.UTF_8).lines().map(l -> l.substring(66)).toList());
    }

    @Test
    void parseReadsWhatFormatWritesAndRejectsDamage() {
        Map<String, String> hashes = Map.of("public/a", H, "private/docs/x.xml", "b".repeat(64));
        byte[] manifest = Manifest.format(hashes);
        assertEquals(hashes, Manifest.parse(manifest));
        assertEquals(Map.of(), Manifest.parse((H + " public/a\n").getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of(), Manifest.parse((H.toUpperCase() + "  public/a\n").getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of(), Manifest.parse((H + "  public/a").getBytes(StandardCharsets.UTF_8))); // truncated
    }

    @Test
    void versionIdIsThePrefixOfTheManifestHash() {
        byte[] manifest = (H + "  public/a\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(Manifest.sha256Hex(manifest).substring(0, 16), Manifest.versionId(manifest));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Manifest.sha256Hex(new byte[0]));
    }
}
