package dev.autogen.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** File errors in the words of ls and cp, never a Java class name (the render issue's "rough edges"). */
class IoErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void theCauseThatTheJdkPutsInTheClassBecomesWords() {
        assertEquals("/srv/site: permission denied", IoErrors.describe(new AccessDeniedException("/srv/site")));
        assertEquals("/x: no such file or directory", IoErrors.describe(new NoSuchFileException("/x")));
        assertEquals("/a -> /b: file exists",
                IoErrors.describe(new java.nio.file.FileAlreadyExistsException("/a", "/b", null)));
        assertEquals("/x: no space left on device",
                IoErrors.describe(new FileSystemException("/x", null, "No space left on device")));
        assertEquals("/x: permission denied",
                IoErrors.describe(new UncheckedIOException(new AccessDeniedException("/x"))));
        assertEquals("input/output error", IoErrors.describe(new IOException()));
    }

    @Test
    void readingADirectoryIsADirectoryNotJavaIoIOException() throws Exception {
        IOException e = assertThrows(IOException.class, () -> Files.readAllBytes(tmp));
        assertEquals("is a directory", IoErrors.describe(e));
        assertEquals("SSL handshake failed", IoErrors.describe(new IOException("SSL handshake failed")));
    }
}
