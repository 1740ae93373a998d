package dev.autogen.render;

import java.util.Optional;

/**
 * One line of {@code private/domains.tsv} (docs/site-format.md): nine tab-separated columns, {@code -} where a value
 * is absent. Document columns are paths relative to {@code private/}.
 */
public record IndexLine(String domain, String providerId, String autoconfig, String outlook,
                        Optional<String> mobileSync, String profile, Optional<String> directory,
                        String autodiscoverUrl, Optional<String> activeSyncUrl) {

    public static final String HEADER = "#autogen-site 1";
    public static final String ABSENT = "-";
    public static final int COLUMNS = 9;

    public IndexLine {
        column(domain, "domain", false);
        column(providerId, "provider id", false);
        column(autoconfig, "autoconfig document", false);
        column(outlook, "Outlook document", false);
        mobileSync.ifPresent(v -> column(v, "MobileSync document", false));
        column(profile, "profile document", false);
        directory.ifPresent(v -> column(v, "directory", true));
        column(autodiscoverUrl, "Autodiscover URL", false);
        activeSyncUrl.ifPresent(v -> column(v, "ActiveSync URL", false));
    }

    /** The line, without its line end. */
    public String format() {
        return String.join("\t", domain, providerId, autoconfig, outlook, mobileSync.orElse(ABSENT), profile,
                directory.orElse(ABSENT), autodiscoverUrl, activeSyncUrl.orElse(ABSENT));
    }

    /** Reads a line written by {@link #format()}. */
    public static IndexLine parse(String line) {
        String[] c = line.split("\t", -1);
        if (c.length != COLUMNS) {
            throw new IllegalArgumentException("expected " + COLUMNS + " tab-separated columns, got " + c.length);
        }
        return new IndexLine(c[0], c[1], c[2], c[3], optional(c[4]), c[5], optional(c[6]), c[7], optional(c[8]));
    }

    private static Optional<String> optional(String column) {
        return column.equals(ABSENT) ? Optional.empty() : Optional.of(column);
    }

    /** A column must be non-empty, not the absent marker, and free of control characters (tabs included). */
    private static void column(String value, String what, boolean spaceAllowed) {
        if (value.isEmpty() || value.equals(ABSENT)) {
            throw new IllegalArgumentException("domains.tsv: " + what + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < ' ' || ch == 0x7f || (ch == ' ' && !spaceAllowed)) {
                throw new IllegalArgumentException("domains.tsv: " + what + " contains a space or a control "
                        + "character: " + value.replace("\t", "\\t").replace("\n", "\\n"));
            }
        }
    }
}
