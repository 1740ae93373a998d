package dev.autogen.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.sha256}: one {@code "<sha256-hex>  <path>"} line per file, sorted by the path's UTF-8 bytes, so
 * that {@code sha256sum -c manifest.sha256} verifies a version and the same files always give the same bytes.
 *
 * <p>In memory a file's hash is its 32 raw digest bytes held in a Latin-1 {@link String} ({@link #digest}): half the
 * size of the hex text, and still a map key or value with {@code equals}. At a million domains (4.4 million files)
 * the manifest is about 540 MB of text, so it is written and read as a stream, never held as one string.
 */
final class Manifest {
    static final String FILE_NAME = "manifest.sha256";
    private static final HexFormat HEX = HexFormat.of();

    private Manifest() {}

    /** A manifest as read back: path → digest, and the SHA-256 (hex) of its bytes. */
    record Read(Map<String, String> hashes, String sha256) {
        String versionId() {
            return sha256 == null ? null : sha256.substring(0, 16);
        }
    }

    /** The entries of {@code hashes} in manifest order (by the path's UTF-8 bytes). */
    static Map.Entry<String, String>[] sorted(Map<String, String> hashes) {
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] entries = hashes.entrySet().toArray(new Map.Entry[0]);
        boolean bmpOnly = true;
        for (Map.Entry<String, String> e : entries) {
            bmpOnly &= belowSurrogates(e.getKey());
        }
        // Below the surrogates, String order is code point order, and String.compareTo is much faster.
        Arrays.parallelSort(entries, bmpOnly ? Map.Entry.comparingByKey()
                : (a, b) -> compareUtf8(a.getKey(), b.getKey()));
        return entries;
    }

    /**
     * Writes the manifest of {@code entries} (path → digest, from {@link #sorted}) to {@code out}, and returns the
     * SHA-256 (hex) of what it wrote. Nothing but a buffer is allocated: the text is never held as a whole.
     */
    static String write(Map.Entry<String, String>[] entries, OutputStream out) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buffer = new byte[1 << 16];
        int used = 0;
        for (Map.Entry<String, String> e : entries) {
            byte[] path = e.getKey().getBytes(StandardCharsets.UTF_8);
            int length = 64 + 2 + path.length + 1;
            if (used + length > buffer.length) {
                digest.update(buffer, 0, used);
                out.write(buffer, 0, used);
                used = 0;
                if (length > buffer.length) {
                    buffer = new byte[length];
                }
            }
            String raw = e.getValue();
            for (int i = 0; i < 32; i++) {
                int b = raw.charAt(i);
                buffer[used++] = (byte) Character.forDigit(b >>> 4, 16);
                buffer[used++] = (byte) Character.forDigit(b & 0xf, 16);
            }
            buffer[used++] = ' ';
            buffer[used++] = ' ';
            System.arraycopy(path, 0, buffer, used, path.length);
            used += path.length;
            buffer[used++] = '\n';
        }
        digest.update(buffer, 0, used);
        out.write(buffer, 0, used);
        return HEX.formatHex(digest.digest());
    }

    /** The bytes of the manifest of {@code hashes} (path → digest); for small sites and tests. */
    static byte[] format(Map<String, String> hashes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(sorted(hashes), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static boolean belowSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= Character.MIN_SURROGATE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Orders strings as their UTF-8 bytes: by code point. {@link String#compareTo} compares UTF-16 units, which
     * differs only when surrogates meet characters above U+D7FF; that rare case takes the slow path.
     */
    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x < Character.MIN_SURROGATE && y < Character.MIN_SURROGATE) {
                    return x - y;
                }
                return Integer.compare(a.codePointAt(i), b.codePointAt(i));
            }
        }
        return a.length() - b.length();
    }

    /** The version id: the first 16 hex digits of the manifest's SHA-256. */
    static String versionId(byte[] manifest) {
        return sha256Hex(manifest).substring(0, 16);
    }

    /**
     * Reads the manifest {@code file} into path → digest, streaming. A line that is not {@code "<64 hex>  <path>"}
     * makes the whole manifest unusable (a damaged or foreign version): the map is then empty and nothing of that
     * version is reused. A missing file gives null.
     */
    static Read read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, Files.size(file));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The SHA-256 (hex) of the manifest {@code file}, streaming; null when it is missing. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                digest.update(chunk, 0, n);
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        return HEX.formatHex(digest.digest());
    }

    /** As {@link #read(Path)}, from bytes (tests). */
    static Map<String, String> parse(byte[] manifest) {
        try {
            return read(new java.io.ByteArrayInputStream(manifest), manifest.length).hashes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Read read(InputStream in, long size) throws IOException {
        MessageDigest digest = newSha256();
        Map<String, String> hashes = new HashMap<>((int) Math.min(Integer.MAX_VALUE / 2, size / 90 + 16));
        byte[] chunk = new byte[1 << 16];
        byte[] line = new byte[4096];
        boolean damaged = false;
        int length = 0;
        int n;
        while ((n = in.read(chunk)) >= 0) {
            digest.update(chunk, 0, n); // the hash of the whole file is wanted even when it is damaged
            for (int i = 0; i < n && !damaged; i++) {
                byte b = chunk[i];
                if (b != '\n') {
                    if (length == line.length) {
                        line = Arrays.copyOf(line, line.length * 2);
                    }
                    line[length++] = b;
                    continue;
                }
                if (length < 67 || line[64] != ' ' || line[65] != ' ' || !isLowerHex(line, 64)) {
                    damaged = true;
                    break;
                }
                hashes.put(new String(line, 66, length - 66, StandardCharsets.UTF_8),
                        new String(HEX.parseHex(new String(line, 0, 64, StandardCharsets.ISO_8859_1)),
                                StandardCharsets.ISO_8859_1));
                length = 0;
            }
        }
        damaged |= length > 0; // truncated: no line end
        return new Read(damaged ? Map.of() : hashes, HEX.formatHex(digest.digest()));
    }

    private static boolean isLowerHex(byte[] s, int to) {
        for (int i = 0; i < to; i++) {
            byte c = s[i];
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Manifest::newSha256);

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The SHA-256 of {@code content} as 32 raw bytes in a Latin-1 string (the in-memory form of a hash). */
    static String digest(byte[] content) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return new String(digest.digest(content), StandardCharsets.ISO_8859_1);
    }

    /** {@link #digest(byte[])} of the parts one after another. */
    static String digest(List<byte[]> parts) {
        if (parts.size() == 1) {
            return digest(parts.get(0));
        }
        MessageDigest digest = SHA256.get();
        digest.reset();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return new String(digest.digest(), StandardCharsets.ISO_8859_1);
    }

    /** A digest from {@link #digest} as 64 lower-case hex digits. */
    static String hex(String digest) {
        return HEX.formatHex(digest.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String sha256Hex(byte[] content) {
        return hex(digest(content));
    }
}
