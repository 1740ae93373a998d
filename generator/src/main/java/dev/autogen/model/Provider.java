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
 * @param domains   the provider's domains, in input order; each carries its resolved servers
 * @param signing   who signs the provider's Apple profiles; empty: they are not signed
 */
public record Provider(String id, String name, String shortName, Optional<Documentation> documentation,
                       List<Domain> domains, Optional<Signing> signing) {
    public Provider {
        domains = List.copyOf(domains);
    }

    /** A provider whose profiles are not signed (automx2's database has no place for a key). */
    public Provider(String id, String name, String shortName, Optional<Documentation> documentation,
                    List<Domain> domains) {
        this(id, name, shortName, documentation, domains, Optional.empty());
    }

    public record Documentation(String url, String description) {}
}
