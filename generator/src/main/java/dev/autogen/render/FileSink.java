package dev.autogen.render;

/**
 * Receives rendered files. Paths are relative to a site version directory and use {@code /}
 * (e.g. {@code public/example.com/mail/config-v1.1.xml}). Implementations must be thread-safe: domains are
 * rendered in parallel.
 */
@FunctionalInterface
public interface FileSink {
    void put(String relativePath, byte[] content);

    /**
     * True when the previous version of the site has the content-addressed document at {@code relativePath}
     * ({@code private/docs/<sha256>.<ext>}), so that {@link #reuse} can put it without its bytes; false for a sink
     * without a previous version (the caller then renders the document and puts it).
     */
    default boolean reusable(String relativePath) {
        return false;
    }

    /** Puts the previous version's document at {@code relativePath}; only after {@link #reusable} said true. */
    default void reuse(String relativePath) {
        throw new IllegalStateException("no previous version to take " + relativePath + " from");
    }

    /**
     * One file given as consecutive parts: for the indexes of a big site (private/domains.tsv is half a GB at a
     * million domains), which a sink that writes to disk can hash and write without joining them into one array.
     */
    default void put(String relativePath, java.util.List<byte[]> parts) {
        long size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(relativePath + " would be larger than 2 GiB");
        }
        byte[] content = new byte[(int) size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, content, at, part.length);
            at += part.length;
        }
        put(relativePath, content);
    }
}
