package dev.autogen.responder;

import java.util.List;
import java.util.Map;

/**
 * One loaded site version, immutable once built; the responder swaps whole sites with one volatile write.
 *
 * @param version      the version id (the {@code v-<id>} directory name without {@code v-})
 * @param domains      the listed mail domains (lower-case ASCII), each with the index of its entry in {@code entries}
 * @param entries      the distinct settings of the listed domains: most domains share one with many others
 * @param directories  LDAP directory name to its client
 * @param hosting      the default provider, MX domains and RFC 6764 redirects ({@link Hosting#NONE} when absent)
 * @param signers      provider id to the signer of its profiles; providers that do not sign are absent
 * @param paccAny      the default provider's PACC document, for domains nobody lists; null when none
 * @param setupPageCsp the setup page's Content-Security-Policy ({@code private/setup-page.csp}); null when absent
 */
record Site(String version, NameTable domains, List<Entry> entries, Template error600, Template error601,
            Map<String, LdapDirectory> directories, Hosting hosting, Map<String, ProfileSigner> signers,
            Template paccAny, String setupPageCsp) {

    /** The listed domain {@code name}, or null. */
    Domain listed(String name) {
        int e = domains.get(name);
        return e < 0 ? null : new Domain(name, entries.get(e));
    }

    boolean lists(String name) { return domains.get(name) >= 0; }

    /** The entry for an address's domain (see {@link Hosting#find}); {@code host} is the request's, or null. */
    Domain find(String domain, String host) {
        return hosting.find(this, domain, host);
    }

    /**
     * What the columns of a {@code domains.tsv} line other than the domain hold; one instance per distinct tuple.
     * Templates are content-addressed documents shared between entries.
     *
     * @param autodiscoverUrl null: the usual {@code https://autodiscover.<domain>/autodiscover/autodiscover.xml};
     *                        else the URL, where {@code {{domain}}} stands for the domain (hosting.tsv)
     * @param mobileSync      null when the domain has no ActiveSync URL
     * @param directory       null when the domain has no LDAP directory
     * @param activeSyncUrl   null when absent
     * @param addressless     the address-less Apple profile (column 10); null for 9-column lines and MX entries
     * @param setupPage       the setup page (column 11); null for 9-column lines and hosting.tsv
     * @param pacc            the PACC document ({@code private/pacc.tsv}, slot-free); null when none
     */
    record Entry(String provider, Template autoconfig, Template outlook, Template mobileSync, Template profile,
                 LdapDirectory directory, String autodiscoverUrl, String activeSyncUrl, Template addressless,
                 Template setupPage, Template pacc) {
        Entry withPacc(Template doc) {
            return new Entry(provider, autoconfig, outlook, mobileSync, profile, directory, autodiscoverUrl,
                    activeSyncUrl, addressless, setupPage, doc);
        }
    }

    /** A domain as one request sees it: its name and its (shared) entry. */
    record Domain(String name, Entry entry) {
        String provider() { return entry.provider; }
        Template autoconfig() { return entry.autoconfig; }
        Template outlook() { return entry.outlook; }
        Template mobileSync() { return entry.mobileSync; }
        Template profile() { return entry.profile; }
        LdapDirectory directory() { return entry.directory; }
        String activeSyncUrl() { return entry.activeSyncUrl; }

        String autodiscoverUrl() {
            String u = entry.autodiscoverUrl;
            if (u == null) return "https://autodiscover." + name + "/autodiscover/autodiscover.xml";
            int slot = u.indexOf("{{domain}}");
            return slot < 0 ? u : u.substring(0, slot) + name + u.substring(slot + 10);
        }
    }
}
