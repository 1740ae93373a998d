package dev.autogen.render;

import java.util.Optional;

/**
 * One line of {@code private/domains.tsv} (docs/site-format.md): eleven tab-separated columns, {@code -} where a
 * value is absent. Document columns are paths relative to {@code private/}. Lines of sites rendered before columns
 * 10 and 11 existed have nine; {@link #parse} reads both, and a line without the two (hosting.tsv's prefix) formats
 * as nine.
 *
 * @param profileTemplate column 10: the address-less Apple profile with {@code {{domain}}} and {@code {{uuid:L}}}
 * @param setupPage       column 11: the setup page with the slots of {@link dev.autogen.qr.SetupPageSlots}
 */
public record IndexLine(String domain, String providerId, String autoconfig, String outlook,
                        Optional<String> mobileSync, String profile, Optional<String> directory,
                        String autodiscoverUrl, Optional<String> activeSyncUrl,
                        Optional<String> profileTemplate, Optional<String> setupPage) {

    public static final String HEADER = "#autogen-site 1";
    public static final String ABSENT = "-";
    public static final int COLUMNS = 11;
    /** The columns of a line written before columns 10 and 11 existed. */
    public static final int OLD_COLUMNS = 9;

    /** A line of nine columns (hosting.tsv's prefix). */
    public IndexLine(String domain, String providerId, String autoconfig, String outlook,
                     Optional<String> mobileSync, String profile, Optional<String> directory,
                     String autodiscoverUrl, Optional<String> activeSyncUrl) {
        this(domain, providerId, autoconfig, outlook, mobileSync, profile, directory, autodiscoverUrl, activeSyncUrl,
                Optional.empty(), Optional.empty());
    }

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
        profileTemplate.ifPresent(v -> column(v, "profile template", false));
        setupPage.ifPresent(v -> column(v, "setup page", false));
        if (profileTemplate.isPresent() != setupPage.isPresent()) {
            throw new IllegalArgumentException("domains.tsv: columns 10 and 11 go together");
        }
    }

    /** The line, without its line end. */
    public String format() {
        String nine = String.join("\t", domain, providerId, autoconfig, outlook, mobileSync.orElse(ABSENT), profile,
                directory.orElse(ABSENT), autodiscoverUrl, activeSyncUrl.orElse(ABSENT));
        return profileTemplate.isEmpty() ? nine : nine + "\t" + profileTemplate.get() + "\t" + setupPage.get();
    }

    /** Reads a line written by {@link #format()}. */
    public static IndexLine parse(String line) {
        String[] c = line.split("\t", -1);
        if (c.length != COLUMNS && c.length != OLD_COLUMNS) {
            throw new IllegalArgumentException("expected " + COLUMNS + " (or " + OLD_COLUMNS
                    + ") tab-separated columns, got " + c.length);
        }
        return new IndexLine(c[0], c[1], c[2], c[3], optional(c[4]), c[5], optional(c[6]), c[7], optional(c[8]),
                c.length == COLUMNS ? optional(c[9]) : Optional.empty(),
                c.length == COLUMNS ? optional(c[10]) : Optional.empty());
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
