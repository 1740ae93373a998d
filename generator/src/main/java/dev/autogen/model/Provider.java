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
 * @param logos     the provider's logos (https URLs), only the PACC document carries them
 */
public record Provider(String id, String name, String shortName, Optional<Documentation> documentation,
                       List<Domain> domains, List<Logo> logos) {
    public Provider {
        domains = List.copyOf(domains);
        logos = List.copyOf(logos);
    }

    /** Without logos (automx2's database has no place for them). */
    public Provider(String id, String name, String shortName, Optional<Documentation> documentation,
                    List<Domain> domains) {
        this(id, name, shortName, documentation, domains, List.of());
    }

    public record Documentation(String url, String description) {}

    /** A logo image: an https URL and its media type (e.g. {@code image/svg+xml}). */
    public record Logo(String url, String contentType) {}
}
