package dev.autogen.responder;

import java.util.Map;
import java.util.Set;

/**
 * What a site answers for domains it does not list (docs/hosters.md): the default provider ({@code '*'}), the MX
 * domains of hosters, and the RFC 6764 redirects. Built at load time; lookups are map gets and, for a domain nobody
 * lists, one small record naming it.
 *
 * @param any         the default provider's entry (name {@code *}, domain left to fill), or null
 * @param addressless the default provider's address-less Apple profile, or null
 * @param mx          MX domain to its provider's entry (name {@code *})
 * @param wellKnown   host to {@code {caldav, carddav}} redirect targets (either may be null); {@code *}: the default's
 * @param hosts       with a default provider, the Autodiscover hosts of listed domains: names this site serves that
 *                    are not mail domains, so the default provider never answers "for" them
 */
record Hosting(Site.Domain any, Template addressless, Map<String, Site.Domain> mx, WellKnown wellKnown,
               Set<String> hosts) {

    static final Hosting NONE = new Hosting(null, null, Map.of(), WellKnown.NONE, Set.of());

    /** Host to its index in {@code targets}: the distinct {caldav, carddav} pairs (either may be null). */
    record WellKnown(NameTable hosts, java.util.List<String[]> targets) {
        static final WellKnown NONE = new WellKnown(new NameTable(1), java.util.List.of());

        String[] get(String host) {
            int index = hosts.get(host);
            return index < 0 ? null : targets.get(index);
        }

        boolean isEmpty() {
            return hosts.size() == 0;
        }
    }

    /**
     * The entry answering for {@code domain} (lower-case ASCII, validated): the listed one, else, when the request
     * came to {@code autoconfig.<mxDomain>}, that hoster's, else the default provider's; null when none.
     */
    Site.Domain find(Site listed, String domain, String host) {
        Site.Domain d = listed.listed(domain);
        if (d != null) return d;
        Site.Domain template = host != null && host.startsWith("autoconfig.") ? mx.get(host.substring(11)) : null;
        if (template == null) template = hosts.contains(domain) || numericTld(domain) ? null : any;
        return template == null ? null : named(template, domain);
    }

    /**
     * The entry for an address-less request to {@code host}: {@code <prefix><domain>} or {@code <domain>} names a
     * listed domain; else {@code autoconfig.<mxDomain>} an MX domain (answered in the placeholder form, for the MX
     * domain itself); else, with a default provider, {@code autoconfig.<d>}, {@code autodiscover.<d>},
     * {@code ua-auto-config.<d>} or {@code <d>} any other domain {@code d}.
     */
    Site.Domain byHost(Site listed, String host, String prefix) {
        boolean prefixed = host.startsWith(prefix);
        Site.Domain d = listed.listed(prefixed ? host.substring(prefix.length()) : host);
        if (d == null && prefixed) d = listed.listed(host);
        if (d != null || any == null && mx.isEmpty()) return d;
        String domain = unprefixed(host);
        Site.Domain template = host.startsWith("autoconfig.") ? mx.get(domain) : null;
        if (template == null) template = usable(listed, host, domain) ? any : null;
        return template == null ? null : named(template, domain);
    }

    /** The {@code /.well-known/caldav} (index 0) or {@code carddav} (1) target for {@code host}, or null. */
    String wellKnown(Site listed, String host, int kind) {
        String[] targets = wellKnown.get(host);
        // A host of a domain nobody lists gets the default provider's; listed domains only their own (none: 404).
        if (targets == null && usable(listed, host, unprefixed(host))) targets = wellKnown.get("*");
        return targets == null ? null : targets[kind];
    }

    /** The default provider's address-less profile for a domain nobody lists; null when listed or no default. */
    Site.Domain addresslessFor(Site listed, String domain) {
        return addressless == null || listed.lists(domain) || hosts.contains(domain) || numericTld(domain) ? null
                : named(any, domain);
    }

    /** True when the default provider may answer for {@code domain}, reached at {@code host}. */
    private boolean usable(Site listed, String host, String domain) {
        return any != null && !listed.lists(domain) && !listed.lists(host) && !mx.containsKey(domain)
                && !hosts.contains(host) && !hosts.contains(domain) && !numericTld(domain);
    }

    /** An IPv4 address (Host: 192.0.2.1) is a valid LDH name but no mail domain: no top-level domain is numeric. */
    private static boolean numericTld(String domain) {
        for (int i = domain.length() - 1; i >= 0 && domain.charAt(i) != '.'; i--) {
            if (domain.charAt(i) < '0' || domain.charAt(i) > '9') return false;
        }
        return true;
    }

    /**
     * {@code autoconfig.<d>}, {@code autodiscover.<d>} and {@code ua-auto-config.<d>} (PACC) stand for {@code d}; any
     * other host for itself.
     */
    private static String unprefixed(String host) {
        if (host.startsWith("autoconfig.")) return host.substring(11);
        if (host.startsWith("autodiscover.")) return host.substring(13);
        if (host.startsWith("ua-auto-config.")) return host.substring(15);
        return host;
    }

    /** For start-up lines: {@code " (a default provider, 2 MX domains)"}, or nothing. */
    String summary() {
        String s = (any != null ? ", a default provider" : "") + (mx.isEmpty() ? "" : ", " + mx.size() + " MX domain"
                + (mx.size() == 1 ? "" : "s"));
        return s.isEmpty() ? "" : " (" + s.substring(2) + ")";
    }

    /** A template entry for one domain: everything shared, the autodiscover URL's {@code {{domain}}} filled on use. */
    private static Site.Domain named(Site.Domain t, String domain) {
        return new Site.Domain(domain, t.entry());
    }
}
