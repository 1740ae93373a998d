package dev.autogen.render;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The substitution slots of docs/site-format.md: how the generator writes them into documents, and the functions
 * the generator and the responder share to fill them ({@link #uuid}, {@link #publicAutoconfig}).
 *
 * <p>Slot strings are put into FreeMarker models like any other value; the template's auto-escaping then escapes a
 * login template for its context while leaving the slot syntax ({@code {{ : }}}) untouched, which is exactly what the
 * contract asks for ("TEMPLATE is already escaped for the context").
 */
public final class Slots {
    private Slots() {}

    public static final String ADDRESS = "{{address}}";
    public static final String NAME = "{{name}}";
    public static final String DOMAIN = dev.autogen.qr.SetupPageSlots.DOMAIN; // one slot, in every document kind
    public static final String TIME = "{{time}}";
    public static final String REQUEST_ID = "{{requestid}}";

    /** What {@code {{address}}} becomes in documents served without an address. */
    public static final String ADDRESS_PLACEHOLDER = "%EMAILADDRESS%";

    private static final String LOGIN_OPEN = "{{login:";

    /** {@code {{login:TEMPLATE}}}: the LDAP uid if there is one, else the template with the address filled in. */
    public static String login(String template) {
        requireArgument(template, "login template");
        return LOGIN_OPEN + template + "}}";
    }

    /** {@code {{uuid:LABEL}}}: see {@link #uuid(String, String, String)}. */
    public static String uuid(String label) {
        requireArgument(label, "uuid label");
        return "{{uuid:" + label + "}}";
    }

    /**
     * The UUID a {@code {{uuid:LABEL}}} slot stands for: stable per (label, domain, address), so that a re-downloaded
     * Apple profile replaces the installed one instead of adding a second account.
     */
    public static UUID uuid(String label, String domain, String address) {
        return UUID.nameUUIDFromBytes((label + "\n" + domain + "\n" + address).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The public variant of a private autoconfig document (site-format.md): every {@code {{login:T}}} becomes
     * {@code T} (the client fills the placeholders) and {@code {{address}}} becomes {@code %EMAILADDRESS%}. Other
     * slots are left alone.
     */
    public static String publicAutoconfig(String document) {
        StringBuilder out = new StringBuilder(document.length());
        int from = 0;
        while (true) {
            int open = document.indexOf("{{", from);
            if (open < 0) {
                break;
            }
            int close = document.indexOf("}}", open + 2);
            if (close < 0) {
                break;
            }
            out.append(document, from, open);
            if (document.startsWith(LOGIN_OPEN, open)) {
                out.append(document, open + LOGIN_OPEN.length(), close);
            } else if (document.startsWith(ADDRESS, open)) {
                out.append(ADDRESS_PLACEHOLDER);
            } else {
                out.append(document, open, close + 2);
            }
            from = close + 2;
        }
        return out.append(document, from, document.length()).toString();
    }

    /**
     * {@link #publicAutoconfig(String)}, and {@code {{domain}}} filled with {@code domain}: a public file belongs to
     * one domain, so nothing is left for a server to fill.
     */
    public static String publicAutoconfig(String document, String domain) {
        return publicAutoconfig(document).replace(DOMAIN, domain);
    }

    /**
     * Rejects a value that would be read as (part of) a slot: the contract promises the responder that input values
     * never contain {@code {{} or {@code }}}, and XML cannot hold control characters. Sources validate this with
     * file/line context; this is the last guard, so a bad value can never turn into a slot or a broken document.
     */
    public static String requireLiteral(String value, String what) {
        if (value.contains("{{") || value.contains("}}")) {
            throw new IllegalArgumentException(what + " must not contain '{{' or '}}': " + value);
        }
        // XML 1.0 cannot carry other control characters at all, escaped or not.
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' && c != '\t' && c != '\n' && c != '\r') {
                throw new IllegalArgumentException(what + " contains control character U+"
                        + String.format("%04X", (int) c) + ": " + value.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        return value;
    }

    private static void requireArgument(String value, String what) {
        requireLiteral(value, what);
        // "a}" would end the slot one character early: "{{login:a}}}" reads as template "a" followed by "}".
        if (value.endsWith("}")) {
            throw new IllegalArgumentException(what + " must not end with '}': " + value);
        }
    }
}
