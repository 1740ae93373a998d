package dev.autogen.text;

/**
 * One escaping function per output context, used by the generator and the responder alike. Each writes a value so
 * that a real parser of that context reads back exactly the value, except for what the context cannot carry at all:
 * that becomes U+FFFD REPLACEMENT CHARACTER (never silently removed, so "a\u0001b" does not turn into "ab" and an
 * admin can see that something was there).
 *
 * <ul>
 *   <li>{@link #xml}: XML 1.0 text and attribute values (also plist strings, {@link #plist}). XML 1.0 cannot carry
 *       U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, lone surrogates, U+FFFE and U+FFFF, escaped or not; they
 *       become U+FFFD. {@code & < > " '} become entities and TAB, LF, CR character references, so that neither
 *       end-of-line nor attribute-value normalisation changes them.</li>
 *   <li>{@link #json}: a JSON string's content. Every Unicode scalar value is carried (controls as {@code \}u
 *       escapes, also {@code < > &} U+2028 U+2029 so that no answer can be sniffed as markup or break a script);
 *       lone surrogates, which UTF-8 cannot encode, become U+FFFD.</li>
 * </ul>
 *
 * <p>The writing variants append to a {@link Sink}, so the responder escapes straight into its response buffer
 * without a temporary string. Runs of unchanged characters are handed over whole.
 */
public final class Escape {
    private Escape() {}

    /** U+FFFD, what a character the context cannot carry becomes. */
    public static final char REPLACEMENT = '\uFFFD';

    /** Where escaped text goes. Runs are always well-formed UTF-16 (surrogates only in pairs). */
    public interface Sink {
        /** Appends {@code s[from, to)}. */
        void append(CharSequence s, int from, int to);

        /** Appends an escape sequence or U+FFFD. */
        default void append(String s) {
            append(s, 0, s.length());
        }
    }

    /** True for the characters XML 1.0 allows (production [2] Char), surrogates counted as pairs by the caller. */
    public static boolean xmlChar(int c) {
        return c >= 0x20 && c <= 0xD7FF || c == 0x9 || c == 0xA || c == 0xD
                || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF;
    }

    /** {@code s} escaped for XML text or an attribute value; {@code s} itself when nothing needs escaping. */
    public static String xml(String s) {
        if (s == null || !needsXml(s)) return s;
        StringBuilder sb = new StringBuilder(s.length() + 16);
        xml(s, builder(sb));
        return sb.toString();
    }

    /** Same as {@link #xml(String)}: a plist string is XML text (what dd-plist and Apple's parser read). */
    public static String plist(String s) {
        return xml(s);
    }

    /** {@code s} escaped for XML text or an attribute value, appended to {@code out}. */
    public static void xml(CharSequence s, Sink out) {
        int n = s.length(), run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String r;
            if (c >= 0x20 && c < 0xD800 && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'') continue;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) { i++; continue; }
            switch (c) {
                case '&' -> r = "&amp;";
                case '<' -> r = "&lt;";
                case '>' -> r = "&gt;";
                case '"' -> r = "&quot;";
                case '\'' -> r = "&apos;";
                case '\t' -> r = "&#9;";
                case '\n' -> r = "&#10;";
                case '\r' -> r = "&#13;";
                default -> {
                    if (xmlChar(c) && !Character.isSurrogate(c)) continue;
                    r = "\uFFFD";
                }
            }
            if (i > run) out.append(s, run, i);
            out.append(r);
            run = i + 1;
        }
        if (n > run) out.append(s, run, n);
    }

    /** {@code s} with every character XML 1.0 cannot carry replaced by U+FFFD, for values handed to a serialiser. */
    public static String xmlClean(String s) {
        if (s == null) return null;
        StringBuilder sb = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) sb.append(c).append(s.charAt(i + 1));
                i++;
                continue;
            }
            ok = xmlChar(c) && !Character.isSurrogate(c);
            if (ok && sb == null) continue;
            if (sb == null) sb = new StringBuilder(n).append(s, 0, i);
            sb.append(ok ? c : REPLACEMENT);
        }
        return sb == null ? s : sb.toString();
    }

    /** {@code s} escaped as the content of a JSON string (without the quotes). */
    public static String json(String s) {
        if (s == null) return null;
        StringBuilder sb = new StringBuilder(s.length() + 16);
        json(s, builder(sb));
        return sb.toString();
    }

    /** The {@code \}uXXXX escapes, made once: the responder's request path allocates nothing here. */
    private static final String[] JSON_U = new String[0x20];
    private static final String JSON_LT = "\\u003c", JSON_GT = "\\u003e", JSON_AMP = "\\u0026",
            JSON_LS = "\\u2028", JSON_PS = "\\u2029";

    static {
        for (int c = 0; c < JSON_U.length; c++) JSON_U[c] = String.format("\\u%04x", c);
    }

    /** {@code s} escaped as the content of a JSON string, appended to {@code out}. */
    public static void json(CharSequence s, Sink out) {
        int n = s.length(), run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0xD800 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
                    && c != 0x2028 && c != 0x2029) continue;
            if (c >= 0xE000) continue;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) { i++; continue; }
            String r = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '<' -> JSON_LT;
                case '>' -> JSON_GT;
                case '&' -> JSON_AMP;
                case 0x2028 -> JSON_LS;
                case 0x2029 -> JSON_PS;
                default -> c < 0x20 ? JSON_U[c] : "\uFFFD"; // a lone surrogate
            };
            if (i > run) out.append(s, run, i);
            out.append(r);
            run = i + 1;
        }
        if (n > run) out.append(s, run, n);
    }

    private static boolean needsXml(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0xD800 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') return true;
        }
        return false;
    }

    private static Sink builder(StringBuilder sb) {
        return sb::append;
    }
}
