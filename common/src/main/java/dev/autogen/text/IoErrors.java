package dev.autogen.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * Says what went wrong with a file in words an admin knows from {@code ls} and {@code cp}, never with a Java class
 * name: {@code AccessDeniedException: /x} becomes {@code /x: permission denied}, {@code IOException: Is a directory}
 * becomes {@code is a directory}. The JDK puts only the path into the message of most {@link FileSystemException}s:
 * the cause is in the class, which is exactly what must not reach the user. Shared by the generator's messages and
 * the responder's refusal log line and {@code /health}.
 */
public final class IoErrors {
    private IoErrors() {}

    /** "PATH: reason" for file-system errors, the lower-cased message otherwise; never a class name. */
    public static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        if (e instanceof FileSystemException f) {
            String where = f.getFile() == null ? "" : f.getFile()
                    + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": ";
            return where + reason(f);
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e instanceof IOException ? "input/output error" : "unexpected error";
        }
        return lowerFirst(message);
    }

    /** The reason alone ("permission denied"), for messages that name the path themselves. */
    public static String reason(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return reason(u.getCause());
        }
        return e instanceof FileSystemException f ? reason(f) : describe(e);
    }

    /** The reason alone, without the path. */
    public static String reason(FileSystemException f) {
        if (f.getReason() != null && !f.getReason().isBlank()) {
            return lowerFirst(f.getReason());
        }
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (f instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (f instanceof NotLinkException) {
            return "not a symbolic link";
        }
        if (f instanceof FileSystemLoopException) {
            return "too many levels of symbolic links";
        }
        return "input/output error";
    }

    /** "Is a directory" (strerror) reads better mid-sentence as "is a directory"; acronyms stay as they are. */
    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }
}
