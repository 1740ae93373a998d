package dev.autogen.render;

import dev.autogen.model.Directory;
import dev.autogen.model.Secret;

import java.nio.charset.StandardCharsets;

/**
 * The responder's {@code private/ldap/<name>.properties} file (docs/site-format.md). Written by hand rather than with
 * {@link java.util.Properties#store}, which adds a timestamp and writes keys in hash order: the same directory must
 * give the same bytes. The format is what {@link java.util.Properties#load(java.io.InputStream)} reads: ISO-8859-1
 * with {@code \\uXXXX} escapes for everything outside printable ASCII. It holds the bind password: private only.
 */
public final class LdapSettingsRenderer {
    private LdapSettingsRenderer() {}

    public static byte[] render(Directory directory) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("# autogen LDAP settings (autogen-site 1). Contains the bind password: never serve or share this file.\n");
        line(sb, "url", directory.url());
        line(sb, "startTls", Boolean.toString(directory.startTls()));
        directory.tlsCa().ifPresent(ca -> line(sb, "caFile", caFileName(directory)));
        line(sb, "baseDn", directory.baseDn());
        line(sb, "filter", directory.filter());
        line(sb, "uidAttribute", directory.uidAttribute());
        line(sb, "cnAttribute", directory.cnAttribute());
        directory.bindDn().ifPresent(dn -> line(sb, "bindDn", dn));
        directory.bindPassword().map(Secret::value).ifPresent(pw -> line(sb, "bindPassword", pw));
        line(sb, "connectTimeoutMillis", Long.toString(directory.connectTimeout().toMillis()));
        line(sb, "responseTimeoutMillis", Long.toString(directory.responseTimeout().toMillis()));
        line(sb, "cacheTtlSeconds", Long.toString(directory.cacheTtl().toSeconds()));
        // Everything above is ASCII after escaping, so ISO-8859-1 and US-ASCII give the same bytes.
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The directory's CA certificates beside its settings: {@code private/ldap/<name>.ca.pem}; relative to them. */
    public static String caFileName(Directory directory) {
        return directory.name() + ".ca.pem";
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append('=');
        escape(sb, value);
        sb.append('\n');
    }

    /** Escapes a value as {@code Properties.store} does, so {@code Properties.load} gives it back unchanged. */
    static void escape(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\f' -> sb.append("\\f");
                // Separators and comment starters are harmless inside a value for load(), but escaping them is what
                // store() does and keeps the file unambiguous to a human reader.
                case '=', ':', '#', '!' -> sb.append('\\').append(c);
                // A leading space would be skipped by load() as whitespace before the value.
                case ' ' -> sb.append(i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
