package dev.autogen.responder;

import java.util.Map;

/**
 * What a site answers for domains it does not list (docs/hosters.md): the default provider ({@code '*'}), the MX
 * domains of hosters, and the RFC 6764 redirects. Built at load time; lookups are a map get and, for a domain nobody
 * lists, one small record naming it.
 *
 * @param any         the default provider's entry (name {@code *}, domain left to fill), or null
 * @param addressless the default provider's address-less Apple profile, or null
 * @param mx          MX domain to its provider's entry (name {@code *})
 * @param wellKnown   host to {@code {caldav, carddav}} redirect targets (either may be null); {@code *}: the default's
 */
record Hosting(Site.Domain any, Template addressless, Map<String, Site.Domain> mx, Map<String, String[]> wellKnown) {

    static final Hosting NONE = new Hosting(null, null, Map.of(), Map.of());

    /**
     * The entry answering for {@code domain} (lower-case ASCII, validated): the listed one, else, when the request
     * came to {@code autoconfig.<mxDomain>}, that hoster's, else the default provider's; null when none.
     */
    Site.Domain find(Map<String, Site.Domain> listed, String domain, String host) {
        Site.Domain d = listed.get(domain);
        if (d != null) return d;
        Site.Domain template = host != null && host.startsWith("autoconfig.") ? mx.get(host.substring(11)) : null;
        if (template == null) template = any;
        return template == null ? null : named(template, domain);
    }

    /**
     * The entry for an address-less request to {@code host}: {@code <prefix><domain>} or {@code <domain>} names a
     * listed domain, an MX domain (answered in the placeholder form, for the MX domain itself) or, with a default
     * provider, any other domain.
     */
    Site.Domain byHost(Map<String, Site.Domain> listed, String host, String prefix) {
        boolean prefixed = host.startsWith(prefix);
        String domain = prefixed ? host.substring(prefix.length()) : host;
        Site.Domain d = listed.get(domain);
        if (d == null && prefixed) d = listed.get(host);
        if (d != null) return d;
        Site.Domain template = prefixed && prefix.equals("autoconfig.") ? mx.get(domain) : null;
        if (template == null) template = any;
        return template == null ? null : named(template, domain);
    }

    /** The {@code /.well-known/caldav} (index 0) or {@code carddav} (1) target for {@code host}, or null. */
    String wellKnown(Map<String, Site.Domain> listed, String host, int kind) {
        String[] targets = wellKnown.get(host);
        if (targets == null && any != null) {
            // A host of a domain nobody lists gets the default provider's; listed domains only their own (none: 404).
            String domain = host.startsWith("autoconfig.") ? host.substring(11) : host;
            if (!listed.containsKey(domain) && !listed.containsKey(host) && !mx.containsKey(domain)) targets = wellKnown.get("*");
        }
        return targets == null ? null : targets[kind];
    }

    /** The default provider's address-less profile for a domain nobody lists; null when listed or no default. */
    Site.Domain addresslessFor(Map<String, Site.Domain> listed, String domain) {
        return addressless == null || listed.containsKey(domain) ? null : named(any, domain);
    }

    /** A template entry for one domain: the autodiscover URL's {@code {{domain}}} filled, everything else shared. */
    private static Site.Domain named(Site.Domain t, String domain) {
        String url = t.autodiscoverUrl();
        int slot = url.indexOf("{{domain}}");
        if (slot >= 0) url = url.substring(0, slot) + domain + url.substring(slot + 10);
        return new Site.Domain(domain, t.provider(), t.autoconfig(), t.outlook(), t.mobileSync(), t.profile(),
                t.directory(), url, t.activeSyncUrl());
    }
}
