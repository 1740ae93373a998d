package dev.autogen.model;

import java.util.List;

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
}
