package dev.autogen.publish;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.sha256}: one {@code "<sha256-hex>  <path>"} line per file, sorted by the path's UTF-8 bytes, so
 * that {@code sha256sum -c manifest.sha256} verifies a version and the same files always give the same bytes.
 */
final class Manifest {
    static final String FILE_NAME = "manifest.sha256";

    private Manifest() {}

    /** Bytes of the manifest for {@code hashes} (path → hex SHA-256). */
    static byte[] format(Map<String, String> hashes) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(hashes.entrySet());
        boolean bmpOnly = entries.stream().allMatch(e -> belowSurrogates(e.getKey()));
        // Below the surrogates, String order is code point order, and String.compareTo is much faster.
        entries.sort(bmpOnly ? Map.Entry.comparingByKey() : (a, b) -> compareUtf8(a.getKey(), b.getKey()));
        StringBuilder out = new StringBuilder(hashes.size() * 120);
        for (Map.Entry<String, String> e : entries) {
            out.append(e.getValue()).append("  ").append(e.getKey()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
     * Parses a manifest into path → hash. A line that is not {@code "<64 hex>  <path>"} makes the whole manifest
     * unusable (a damaged or foreign version): the result is empty and nothing of that version is reused.
     */
    static Map<String, String> parse(byte[] manifest) {
        String text = new String(manifest, StandardCharsets.UTF_8);
        Map<String, String> hashes = new HashMap<>(text.length() / 60);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0 || end - start < 67 || text.charAt(start + 64) != ' ' || text.charAt(start + 65) != ' '
                    || !isLowerHex(text, start, start + 64)) {
                return Map.of();
            }
            hashes.put(text.substring(start + 66, end), text.substring(start, start + 64));
            start = end + 1;
        }
        return hashes;
    }

    private static boolean isLowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    static String sha256Hex(byte[] content) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return HexFormat.of().formatHex(digest.digest(content));
    }
}
