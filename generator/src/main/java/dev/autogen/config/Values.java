package dev.autogen.config;

import dev.autogen.model.MailServer;
import dev.autogen.text.Domains;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure checks and conversions of single values. Each method returns the normalised value or throws
 * {@link IllegalArgumentException} whose message completes the sentence "FILE:LINE:COL: &lt;key&gt; ...".
 */
final class Values {
    private Values() {}

    /** The placeholders every client replaces in login templates (and the responder replaces in LDAP filters). */
    static final List<String> PLACEHOLDERS = List.of("%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%");
    static final String DEFAULT_USERNAME = "%EMAILADDRESS%";

    private static final Pattern PLACEHOLDER = Pattern.compile("%[A-Za-z_]*%");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern DIRECTORY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * A host name as clients and DNS need it: lower case, IDNs converted to A-labels (punycode) under IDNA2008 /
     * UTS #46 non-transitional ({@link Domains}: {@code straße.example} is {@code xn--strae-oqa.example}), letters,
     * digits and hyphens only. K-9 rejects a whole autoconfig file over one invalid host name, so this is strict.
     */
    static String hostname(String raw) {
        if (raw.endsWith(".")) {
            throw new IllegalArgumentException("'" + raw + "' must not end with a dot");
        }
        try {
            return Domains.toAscii(raw);
        } catch (Domains.InvalidDomainException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a valid host name: it " + e.getMessage());
        }
    }

    /** An absolute http or https URL with a host and without user info; {@code httpsOnly} refuses http. */
    static URI webUrl(String raw, boolean httpsOnly) {
        String expected = httpsOnly ? "an absolute https:// URL" : "an absolute http:// or https:// URL";
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a valid URL (" + e.getReason() + "); expected "
                    + expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean schemeOk = httpsOnly ? scheme.equals("https") : scheme.equals("http") || scheme.equals("https");
        if (schemeOk && !uri.isOpaque() && uri.getHost() == null && uri.getRawAuthority() != null) {
            throw new IllegalArgumentException("'" + raw + "' has no valid host name (write internationalised "
                    + "host names in their xn-- form)");
        }
        if (!schemeOk || uri.isOpaque() || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + raw + "' is not " + expected);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + raw + "' must not contain user info (credentials)");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + raw + "' must not contain a fragment (#...)");
        }
        hostname(uri.getHost());
        return uri;
    }

    /** The image media type a logo URL's file name says, or null: SVG, PNG, JPEG, WebP, GIF. */
    static String imageType(String url) {
        String path = URI.create(url).getPath();
        String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".svg") ? "image/svg+xml" : lower.endsWith(".png") ? "image/png"
                : lower.endsWith(".jpg") || lower.endsWith(".jpeg") ? "image/jpeg"
                : lower.endsWith(".webp") ? "image/webp" : lower.endsWith(".gif") ? "image/gif" : null;
    }

    /** {@code ldap://host[:port]} or {@code ldaps://host[:port]}, normalised to lower-case scheme and host. */
    static String ldapUrl(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("ldap") || scheme.equals("ldaps")) || uri.isOpaque() || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + raw + "' is not an ldap:// or ldaps:// URL with a host");
        }
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!bare) {
            throw new IllegalArgumentException("'" + raw + "' must be just scheme://host[:port] "
                    + "(the search base and filter have their own keys)");
        }
        String host = hostname(uri.getHost());
        return scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    /** Durations like {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    static Duration duration(String raw, boolean zeroAllowed) {
        Matcher m = DURATION.matcher(raw);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + raw + "' is not a duration; expected a number with a unit: "
                    + "ms, s, m or h (like 500ms, 2s, 5m)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero() && !zeroAllowed) {
            throw new IllegalArgumentException("must be greater than zero");
        }
        return d;
    }

    /** The shortest spelling {@link #duration} reads back to the same value. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** Login templates and LDAP filters may contain only the three placeholders every client knows. */
    static void placeholders(String raw) {
        Matcher m = PLACEHOLDER.matcher(raw);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group())) {
                throw new IllegalArgumentException("contains the unknown placeholder " + m.group()
                        + "; allowed: " + String.join(", ", PLACEHOLDERS));
            }
        }
    }

    /** An LDAP filter template: parenthesised, balanced, and depending on the address. */
    static void ldapFilter(String raw) {
        placeholders(raw);
        if (!raw.startsWith("(") || !raw.endsWith(")")) {
            throw new IllegalArgumentException("'" + raw + "' must be enclosed in parentheses, like (mail=%EMAILADDRESS%)");
        }
        int depth = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                break;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("'" + raw + "' has unbalanced parentheses");
        }
        // A filter without the address finds the same entry for everybody: one user's login handed to all.
        if (PLACEHOLDERS.stream().noneMatch(raw::contains)) {
            throw new IllegalArgumentException("'" + raw + "' must contain %EMAILADDRESS%, %EMAILLOCALPART% or "
                    + "%EMAILDOMAIN%, otherwise every address finds the same entry");
        }
    }

    /** Directory names become file names ({@code private/ldap/<name>.properties}) and a TSV column. */
    static void directoryName(String raw) {
        if (!DIRECTORY_NAME.matcher(raw).matches()) {
            throw new IllegalArgumentException("'" + raw + "' is not a valid directory name (letters, digits, '.', "
                    + "'_', '-'; starting with a letter or digit; at most 64 characters)");
        }
    }

    /** The port a server gets when the YAML names none: the IANA port for the protocol and kind of TLS. */
    static int defaultPort(MailServer.Protocol protocol, MailServer.Security security) {
        boolean implicitTls = security == MailServer.Security.SSL;
        return switch (protocol) {
            case IMAP -> implicitTls ? 993 : 143;
            case POP3 -> implicitTls ? 995 : 110;
            case SMTP -> implicitTls ? 465 : 587;
        };
    }

    /** Levenshtein distance, for "did you mean" suggestions. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The closest candidate within a small edit distance (case-insensitive), or null. */
    static String closest(String word, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = word.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int limit = Math.max(1, Math.min(3, word.length() / 3));
        return bestDistance <= limit ? best : null;
    }
}
