package dev.autogen.model;

import java.util.List;
import java.util.Optional;

/**
 * A mail provider: one organisation with one set of display names, owning one or more domains.
 *
 * @param id        hostname-valid identifier, used as autoconfig {@code emailProvider id} (K-9 requires a hostname)
 * @param name      display name (clients show at most 60 characters)
 * @param shortName short display name (clients show at most 20 characters)
 * @param documentation optional help page for the users
 * @param domains   the provider's listed domains, in input order; each carries its resolved servers (empty for a
 *                  default provider that lists only {@code '*'})
 * @param logos     the provider's logos (https URLs), only the PACC document carries them
 * @param hosting   how the provider answers for domains it does not list, if at all
 * @param signing   who signs the provider's Apple profiles; empty: they are not signed
 */
public record Provider(String id, String name, String shortName, Optional<Documentation> documentation,
                       List<Domain> domains, List<Logo> logos, Optional<Hosting> hosting, Optional<Signing> signing) {
    public Provider {
        domains = List.copyOf(domains);
        logos = List.copyOf(logos);
    }

    /**
     * A provider that answers only for its listed domains, without logos, profiles unsigned (automx2's database has
     * none of these).
     */
    public Provider(String id, String name, String shortName, Optional<Documentation> documentation,
                    List<Domain> domains) {
        this(id, name, shortName, documentation, domains, List.of(), Optional.empty(), Optional.empty());
    }

    public record Documentation(String url, String description) {}

    /** A logo image: an https URL and its media type (e.g. {@code image/svg+xml}). */
    public record Logo(String url, String contentType) {}

    /**
     * What a hoster's provider answers beyond its listed domains. Its documents are rendered once, from
     * {@code settings}, with the mail domain left as a slot that the responder fills per request.
     *
     * @param anyDomain  the default provider: it answers for every domain no provider lists (YAML {@code '*'});
     *                   at most one per site
     * @param mxDomains  the parent domains of the provider's MX hosts: {@code autoconfig.<mxDomain>} answers for
     *                   addresses of any domain (the MX route of both Thunderbirds); lower-case ASCII, input order
     * @param settings   the provider-level settings, as a domain named {@link #ANY}; its {@code autodiscoverHost}
     *                   is {@code autodiscover.*} (meaning {@code autodiscover.<the mail domain>}) unless the
     *                   provider sets one
     */
    public record Hosting(boolean anyDomain, List<String> mxDomains, Domain settings) {
        /** The name of {@link #settings}, and the YAML spelling of "any domain". */
        public static final String ANY = "*";

        public Hosting {
            mxDomains = List.copyOf(mxDomains);
        }
    }

    /** The default provider's hosting, when this is the default provider. */
    public Optional<Hosting> anyDomain() {
        return hosting.filter(Hosting::anyDomain);
    }
}
