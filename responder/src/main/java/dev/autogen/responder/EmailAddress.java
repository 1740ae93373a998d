package dev.autogen.responder;

import dev.autogen.text.Domains;

/**
 * An email address from a request, checked just enough to be safe to look up and substitute: the values are
 * escaped per output context anyway, so the local part is accepted as clients send it (minus controls, spaces
 * and a second '@'; Unicode local parts, RFC 6531, are fine). The domain part is converted to its lower-case A-label
 * form under IDNA2008 ({@link Domains}) for the index: a domain IDNA2008 rejects makes the address unusable.
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

    /**
     * Lower-case A-label host name or null; also used for Host headers. Lower-case ASCII names (nearly every request)
     * go straight to the index; only non-ASCII and xn-- names go through ICU.
     */
    static String asciiDomain(String raw) {
        return raw.isEmpty() ? null : Domains.toAsciiOrNull(raw);
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
