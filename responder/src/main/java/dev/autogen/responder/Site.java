package dev.autogen.responder;

import java.util.Map;

/**
 * One loaded site version, immutable once built; the responder swaps whole sites with one volatile write.
 *
 * @param version     the version id (the {@code v-<id>} directory name without {@code v-})
 * @param domains     mail domain (lower-case ASCII) to its entry
 * @param directories LDAP directory name to its client
 * @param hosting     the default provider, MX domains and RFC 6764 redirects ({@link Hosting#NONE} when absent)
 * @param signers     provider id to the signer of its profiles; providers that do not sign are absent
 * @param pacc        mail domain to the bytes of its PACC document ({@link PaccDocuments}); absent: none
 */
record Site(String version, Map<String, Domain> domains, Template error600, Template error601,
            Map<String, LdapDirectory> directories, Hosting hosting, Map<String, ProfileSigner> signers,
            Map<String, byte[]> pacc) {

    /** The entry for an address's domain (see {@link Hosting#find}); {@code host} is the request's, or null. */
    Domain find(String domain, String host) {
        return hosting.find(domains, domain, host);
    }

    /**
     * One line of {@code domains.tsv}. Templates are shared between domains (content-addressed documents).
     *
     * @param mobileSync    null when the domain has no ActiveSync URL
     * @param directory     null when the domain has no LDAP directory
     * @param activeSyncUrl null when absent
     */
    record Domain(String name, String provider, Template autoconfig, Template outlook, Template mobileSync,
                  Template profile, LdapDirectory directory, String autodiscoverUrl, String activeSyncUrl) {}
}
