package dev.autogen.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden files under {@code src/test/resources/golden}. Run with {@code -Dgolden.update=true} to rewrite them from
 * the current output, then review the diff with git before committing.
 */
final class Golden {
    private Golden() {}

    static final Path ROOT = Path.of("src", "test", "resources", "golden");

    static boolean updating() {
        return Boolean.getBoolean("golden.update");
    }

    static void assertMatches(String relativePath, byte[] actual) {
        Path file = ROOT.resolve(relativePath);
        try {
            if (updating()) {
                Files.createDirectories(file.getParent());
                Files.write(file, actual);
                return;
            }
            if (!Files.exists(file)) {
                throw new AssertionError("no golden file " + file + "; run with -Dgolden.update=true and review it");
            }
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8),
                    "differs from golden file " + file + " (-Dgolden.update=true rewrites it)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
