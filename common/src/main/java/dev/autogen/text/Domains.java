package dev.autogen.text;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.IDNA;
import com.ibm.icu.text.Normalizer2;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Domain names as registries, browsers and mail clients read them: IDNA2008 (RFC 5890–5893) with the UTS #46
 * non-transitional mapping, by ICU4J. {@code straße.example} is {@code xn--strae-oqa.example}, not
 * {@code strasse.example} as under IDNA2003 ({@link java.net.IDN}, automx2).
 *
 * <p>ICU's UTS #46 processing maps (case, width, compatibility forms), checks hyphens, bidi (RFC 5893), CONTEXTJ and
 * CONTEXTO (RFC 5892 appendix A) and the STD3 ASCII rules. UTS #46 still lets through symbols and punctuation that
 * IDNA2003 allowed ({@code ♥.example}); registries do not, so every code point of the mapped name must also be
 * PVALID, CONTEXTJ or CONTEXTO under the RFC 5892 rules ({@link #idna2008Allowed}), computed from ICU's Unicode
 * properties.
 */
public final class Domains {
    private Domains() {}

    /** A domain name that IDNA2008 rejects; the message completes "'NAME' ..." in plain English. */
    public static final class InvalidDomainException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidDomainException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * ICU's data, loaded on first use (a few hundred milliseconds): in a holder, so that the ASCII fast path never
     * waits for it. {@link #warmUp} loads it ahead of the first non-ASCII name.
     */
    private static final class Icu {
        static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
                | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO
                | IDNA.USE_STD3_RULES);
        static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();
    }

    /** Loads ICU's IDNA, normalisation and property data now (the responder does so in the background at start). */
    public static void warmUp() {
        toAsciiOrNull("xn--strae-oqa.xn--nxasmm1c");
        idna2008Allowed(0x2665);
    }

    /**
     * The lower-case A-label form of {@code name} (Unicode, A-labels, or both mixed; any case), without a trailing dot.
     *
     * @throws InvalidDomainException naming what IDNA2008 does not allow
     */
    public static String toAscii(String name) throws InvalidDomainException {
        String s = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (s.isEmpty()) throw new InvalidDomainException("is empty");
        String fast = asciiFastPath(s);
        if (fast != null) return fast;
        // To Unicode first: that validates A-labels (Punycode, and that they decode to IDNA2008 labels) and gives
        // the code points to check against RFC 5892.
        IDNA.Info info = new IDNA.Info();
        String unicode = Icu.UTS46.nameToUnicode(s, new StringBuilder(s.length() + 8), info).toString();
        List<String> problems = new ArrayList<>(explain(info.getErrors(), s));
        String disallowed = disallowed(unicode);
        if (disallowed != null) problems.add(0, disallowed);
        IDNA.Info asciiInfo = new IDNA.Info();
        String ascii = Icu.UTS46.nameToASCII(s, new StringBuilder(s.length() + 16), asciiInfo).toString();
        if (problems.isEmpty()) problems.addAll(explain(asciiInfo.getErrors(), s));
        if (!problems.isEmpty()) throw new InvalidDomainException(String.join("; ", problems));
        return ascii.toLowerCase(Locale.ROOT);
    }

    /**
     * For the responder's request path: the A-label form, or null when {@code name} is not a valid domain. Lower-case
     * ASCII names of letter-digit-hyphen labels (the usual case) are returned as they are, without ICU.
     */
    public static String toAsciiOrNull(String name) {
        String fast = name.endsWith(".") ? null : asciiFastPath(name);
        if (fast != null) return fast;
        try {
            return toAscii(name);
        } catch (InvalidDomainException e) {
            return null;
        }
    }

    /** The Unicode form of an A-label name for messages, or {@code ascii} itself when it does not decode. */
    public static String toUnicode(String ascii) {
        IDNA.Info info = new IDNA.Info();
        String u = Icu.UTS46.nameToUnicode(ascii, new StringBuilder(ascii.length()), info).toString();
        return info.hasErrors() ? ascii : u;
    }

    /**
     * The name under IDNA2003 ({@link IDN#toASCII} with the STD3 rules, what automx2 and older tools used), or null
     * when IDNA2003 rejects it. {@code name} may be given as A-labels: they are decoded first, so the answer says
     * what a client or tool still on IDNA2003 makes of the name a user types.
     */
    public static String idna2003(String name) {
        try {
            return IDN.toASCII(toUnicode(name), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** True when IDNA2003 gives a different name (or none) for a valid IDNA2008 domain: ß, ς, ZWJ/ZWNJ and others. */
    public static boolean differsUnderIdna2003(String name) {
        String ascii = toAsciiOrNull(name);
        if (ascii == null) return false;
        return !ascii.equals(idna2003(name));
    }

    /**
     * {@code s} itself (lower-cased) when it is plain ASCII letter-digit-hyphen labels of 1–63 characters, not
     * starting or ending with a hyphen and without {@code --} in the third and fourth place (the xn-- labels and the
     * reserved ones go through ICU), at most 253 characters; otherwise null.
     */
    static String asciiFastPath(String s) {
        int n = s.length();
        if (n == 0 || n > 253) return null;
        boolean upper = false;
        int labelStart = 0;
        for (int i = 0; i <= n; i++) {
            char c = i == n ? '.' : s.charAt(i);
            if (c == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') return null;
                if (len >= 4 && s.charAt(labelStart + 2) == '-' && s.charAt(labelStart + 3) == '-') return null;
                labelStart = i + 1;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return null;
            }
        }
        return upper ? s.toLowerCase(Locale.ROOT) : s;
    }

    // RFC 5892 section 2.6 (exceptions) and 2.7 (backward compatible: empty).
    private static final Set<Integer> EXCEPTION_PVALID = Set.of(0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007);
    private static final Set<Integer> EXCEPTION_CONTEXTO = Set.of(0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB);
    private static final Set<Integer> EXCEPTION_DISALLOWED =
            Set.of(0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B);

    /**
     * The RFC 5892 derived property of one code point is PVALID, CONTEXTJ or CONTEXTO (section 3 order of the
     * rules: exceptions, unassigned, LDH, join controls, unstable, ignorable properties and blocks, old Hangul jamo,
     * letters and digits; everything else is DISALLOWED).
     */
    static boolean idna2008Allowed(int cp) {
        if (EXCEPTION_PVALID.contains(cp) || EXCEPTION_CONTEXTO.contains(cp)) return true;
        if (EXCEPTION_DISALLOWED.contains(cp)) return false;
        if (cp >= 0x0660 && cp <= 0x0669 || cp >= 0x06F0 && cp <= 0x06F9) return true; // CONTEXTO digits
        int type = UCharacter.getType(cp);
        if (type == UCharacter.UNASSIGNED) return false;
        if (cp == '-' || cp >= '0' && cp <= '9' || cp >= 'a' && cp <= 'z') return true;
        if (cp == 0x200C || cp == 0x200D) return true; // CONTEXTJ
        if (cp < 0x80) return false;
        String s = new String(Character.toChars(cp));
        if (!Icu.NFKC.normalize(UCharacter.foldCase(Icu.NFKC.normalize(s), true)).equals(s)) return false; // unstable
        if (UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
                || UCharacter.hasBinaryProperty(cp, UProperty.WHITE_SPACE)
                || UCharacter.hasBinaryProperty(cp, UProperty.NONCHARACTER_CODE_POINT)) return false;
        int block = UCharacter.getIntPropertyValue(cp, UProperty.BLOCK);
        if (block == UCharacter.UnicodeBlock.COMBINING_MARKS_FOR_SYMBOLS_ID
                || block == UCharacter.UnicodeBlock.MUSICAL_SYMBOLS_ID
                || block == UCharacter.UnicodeBlock.ANCIENT_GREEK_MUSICAL_NOTATION_ID) return false;
        int jamo = UCharacter.getIntPropertyValue(cp, UProperty.HANGUL_SYLLABLE_TYPE);
        if (jamo == UCharacter.HangulSyllableType.LEADING_JAMO || jamo == UCharacter.HangulSyllableType.VOWEL_JAMO
                || jamo == UCharacter.HangulSyllableType.TRAILING_JAMO) return false;
        return type == UCharacter.LOWERCASE_LETTER || type == UCharacter.UPPERCASE_LETTER
                || type == UCharacter.OTHER_LETTER || type == UCharacter.DECIMAL_DIGIT_NUMBER
                || type == UCharacter.MODIFIER_LETTER || type == UCharacter.NON_SPACING_MARK
                || type == UCharacter.COMBINING_SPACING_MARK;
    }

    /** Names the first code point of the mapped name that IDNA2008 does not allow, or null. */
    private static String disallowed(String unicode) {
        for (int i = 0; i < unicode.length(); ) {
            int cp = unicode.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '.' || cp == 0xFFFD) continue; // label separator; U+FFFD stands for what ICU already reported
            if (!idna2008Allowed(cp)) return "contains " + describe(cp) + ", which IDNA2008 does not allow in domain "
                    + "names (only letters, digits, combining marks and '-')";
        }
        return null;
    }

    /** {@code '♥' (U+2665 BLACK HEART SUIT)}, or {@code U+0020 SPACE} for what does not show. */
    private static String describe(int cp) {
        String name = UCharacter.getName(cp);
        String code = String.format(Locale.ROOT, "U+%04X", cp) + (name == null ? "" : " " + name);
        boolean visible = cp > 0x20 && !Character.isISOControl(cp) && !Character.isWhitespace(cp)
                && !UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT);
        return visible ? "'" + new String(Character.toChars(cp)) + "' (" + code + ")" : code;
    }

    private static List<String> explain(Set<IDNA.Error> errors, String name) {
        List<String> out = new ArrayList<>();
        for (IDNA.Error e : errors) {
            String m = switch (e) {
                case EMPTY_LABEL -> "has an empty label (two dots in a row, or a dot at the start)";
                case LABEL_TOO_LONG -> "has a label longer than 63 characters (in its xn-- form)";
                case DOMAIN_NAME_TOO_LONG -> "is longer than 253 characters (in its xn-- form)";
                case LEADING_HYPHEN -> "has a label that starts with '-'";
                case TRAILING_HYPHEN -> "has a label that ends with '-'";
                case HYPHEN_3_4 -> "has a label with '--' in the third and fourth place, which is reserved for xn-- labels";
                case LEADING_COMBINING_MARK -> "has a label that starts with a combining mark";
                case DISALLOWED -> disallowedByUts46(name);
                case PUNYCODE -> "has an xn-- label that is not valid Punycode";
                case LABEL_HAS_DOT -> "has an xn-- label that decodes to a dot";
                case INVALID_ACE_LABEL -> "has an xn-- label that does not decode to a valid IDNA2008 label";
                case BIDI -> "mixes right-to-left and left-to-right text in a way IDNA2008 does not allow (RFC 5893)";
                case CONTEXTJ -> "has a zero-width joiner or non-joiner where IDNA2008 does not allow one (RFC 5892)";
                case CONTEXTO_PUNCTUATION -> "has a character like a middle dot or a Greek or Hebrew punctuation mark "
                        + "outside the context IDNA2008 allows it in (RFC 5892)";
                case CONTEXTO_DIGITS -> "mixes Arabic-Indic and extended Arabic-Indic digits";
                default -> "is not a valid IDNA2008 domain name (" + e.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
            };
            if (!out.contains(m)) out.add(m);
        }
        return out;
    }

    /** UTS #46 disallowed a code point (spaces, most ASCII punctuation, controls): find which, for the message. */
    private static String disallowedByUts46(String name) {
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '.') continue;
            IDNA.Info info = new IDNA.Info();
            Icu.UTS46.labelToASCII(new String(Character.toChars(cp)), new StringBuilder(), info);
            if (info.getErrors().contains(IDNA.Error.DISALLOWED)) {
                return "contains " + describe(cp) + ", which is not allowed in domain names (letters, digits and "
                        + "hyphens in dot-separated labels, like mail.example.com)";
            }
        }
        return "contains a character that is not allowed in domain names";
    }
}
