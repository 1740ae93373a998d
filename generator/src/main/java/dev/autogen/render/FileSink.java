package dev.autogen.render;

/**
 * Receives rendered files. Paths are relative to a site version directory and use {@code /}
 * (e.g. {@code public/example.com/mail/config-v1.1.xml}). Implementations must be thread-safe: domains are
 * rendered in parallel.
 */
@FunctionalInterface
public interface FileSink {
    void put(String relativePath, byte[] content);
}
