package dev.autogen.responder;

import java.net.IDN;
import java.util.Locale;

/**
 * An email address from a request, checked just enough to be safe to look up and substitute: the values are
 * escaped per output context anyway, so the local part is accepted as clients send it (minus controls, spaces
 * and a second '@'). The domain part is lower-cased and converted to its ASCII (IDNA) form for the index.
 *
 * @param address   the address as substituted: local part as given, domain lower-cased
 */
record EmailAddress(String address, String localPart, String domain) {

    static final int MAX_LENGTH = 254;

    /** Returns null when {@code raw} is not a usable address. */
    static EmailAddress parse(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH) return null;
        int at = raw.indexOf('@');
        if (at <= 0 || at != raw.lastIndexOf('@') || at > 64 || at == raw.length() - 1) return null;
        String local = raw.substring(0, at);
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c <= 0x20 || c == 0x7f || Character.isISOControl(c) || Character.isWhitespace(c)) return null;
        }
        String domain = asciiDomain(raw.substring(at + 1));
        if (domain == null) return null;
        return new EmailAddress(local + "@" + domain, local, domain);
    }

    /** Lower-case ASCII host name or null; also used for Host headers. */
    static String asciiDomain(String raw) {
        String d = raw.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        for (int i = 0; i < d.length(); i++) {
            if (d.charAt(i) >= 0x80) {
                try { d = IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT); }
                catch (IllegalArgumentException e) { return null; }
                break;
            }
        }
        return validHostName(d) ? d : null;
    }

    static boolean validHostName(String d) {
        if (d.isEmpty() || d.length() > 253) return false;
        int labelStart = 0;
        for (int i = 0; i <= d.length(); i++) {
            char c = i == d.length() ? '.' : d.charAt(i);
            if (c == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63 || d.charAt(labelStart) == '-' || d.charAt(i - 1) == '-') return false;
                labelStart = i + 1;
            } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
