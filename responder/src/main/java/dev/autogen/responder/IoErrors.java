package dev.autogen.responder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * An I/O failure in the words of {@code ls} ("permission denied"), never a Java class name: the JDK puts only the
 * path into most file-system exceptions' messages, and the cause into the class. Refusal log lines and
 * {@code /health} show this to the admin.
 */
final class IoErrors {
    private IoErrors() {}

    /** "PATH: reason" for file-system errors, the message otherwise. */
    static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) return describe(u.getCause());
        if (e instanceof FileSystemException f) return (f.getFile() == null ? "" : f.getFile() + ": ") + reason(f);
        String m = e.getMessage();
        return m == null || m.isBlank() ? (e instanceof IOException ? "input/output error" : "unexpected error") : m;
    }

    /** The reason alone ("permission denied"), for messages that name the path themselves. */
    static String reason(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) return reason(u.getCause());
        if (!(e instanceof FileSystemException f)) return describe(e);
        if (f.getReason() != null && !f.getReason().isBlank()) return f.getReason();
        if (f instanceof AccessDeniedException) return "permission denied";
        if (f instanceof NoSuchFileException) return "no such file or directory";
        if (f instanceof NotDirectoryException) return "not a directory";
        if (f instanceof FileSystemLoopException) return "too many levels of symbolic links";
        return "input/output error";
    }
}
