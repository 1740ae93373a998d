package dev.autogen.publish;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-file memory of publishing (not a test): the previous manifest as read back, then a re-render that puts every
 * file unchanged into a {@link StagingSink} (what an unchanged or one-domain render holds), then the sorted entries
 * of the new manifest. Files shaped like the tree layout (five per domain, ten domains sharing documents).
 * Usage: {@code java -Xmx8g -cp ... dev.autogen.publish.ManifestMemoryBench DIR FILES}
 */
public final class ManifestMemoryBench {
    private ManifestMemoryBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int files = Integer.parseInt(args[1]);
        String[] names = {"mail/config-v1.1.xml", ".well-known/autoconfig/mail/config-v1.1.xml",
                "autodiscover/autodiscover.xml", "index.html", "d.mobileconfig"};
        Map<String, String> hashes = new HashMap<>();
        for (int f = 0; f < files; f++) {
            int domain = f / names.length;
            hashes.put(path(domain, names[f % names.length]), content(domain, f % names.length));
        }
        Path manifest = dir.resolve("manifest.sha256");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(manifest))) {
            Manifest.write(Manifest.sorted(hashes), out);
        }
        hashes = null;
        long base = used();
        Manifest.Read previous = Manifest.read(manifest);
        long afterRead = used();
        StagingSink sink = new StagingSink(new StagingSink.StageDir() {
            @Override
            public Path get() {
                throw new IllegalStateException("an unchanged file was written");
            }

            @Override
            public boolean chmodNeeded() {
                return false;
            }
        }, dir, previous.hashes());
        for (int f = 0; f < files; f++) {
            int domain = f / names.length;
            sink.put(path(domain, names[f % names.length]),
                    ("document " + (domain / 10) + " " + (f % names.length)).getBytes(StandardCharsets.UTF_8));
        }
        long afterPut = used();
        Map.Entry<String, String>[] sorted = Manifest.sorted(sink.hashes());
        long afterSort = used();
        System.out.printf("files %d: previous manifest %.0f B/file, staging sink %.0f B/file, sorted entries %.0f"
                        + " B/file; total %.2f GiB%n", files, (afterRead - base) / (double) files,
                (afterPut - afterRead) / (double) files, (afterSort - afterPut) / (double) files,
                (afterSort - base) / (double) (1 << 30));
        if (sorted.length != files || previous.hashes().isEmpty()) {
            throw new IllegalStateException();
        }
    }

    private static String path(int domain, String name) {
        return "public/d" + domain + ".p" + (domain / 10) + ".example/" + name;
    }

    private static String content(int domain, int kind) {
        return Manifest.digest(("document " + (domain / 10) + " " + kind).getBytes(StandardCharsets.UTF_8));
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
