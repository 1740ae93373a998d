package dev.autogen.model;

import java.util.List;
import java.util.Optional;

/**
 * Everything autogen knows about a deployment: the providers (each owning its domains) and the LDAP directories that
 * domains may refer to by name. Produced by a source (YAML file or automx2 database), consumed by the renderers.
 */
public record Site(List<Provider> providers, List<Directory> directories) {
    public Site {
        providers = List.copyOf(providers);
        directories = List.copyOf(directories);
    }

    /** All domains of all providers, in input order. */
    public List<Domain> domains() {
        return providers.stream().flatMap(p -> p.domains().stream()).toList();
    }

    /** The provider that answers for domains no provider lists ({@code '*'}), if there is one. */
    public Optional<Provider> defaultProvider() {
        return providers.stream().filter(p -> p.anyDomain().isPresent()).findFirst();
    }

    /** Providers that answer for more than their listed domains (a default provider, MX domains). */
    public List<Provider> hosters() {
        return providers.stream().filter(p -> p.hosting().isPresent()).toList();
    }
}
