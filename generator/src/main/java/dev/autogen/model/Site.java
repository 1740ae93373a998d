package dev.autogen.model;

import java.util.List;

/**
 * Everything autogen knows about a deployment: the providers (each owning its domains), the LDAP directories that
 * domains may refer to by name, and the site-wide PACC settings. Produced by a source (YAML file or automx2
 * database), consumed by the renderers.
 */
public record Site(List<Provider> providers, List<Directory> directories, Pacc pacc) {
    public Site {
        providers = List.copyOf(providers);
        directories = List.copyOf(directories);
        java.util.Objects.requireNonNull(pacc, "pacc");
    }

    /** With the default PACC settings (automx2's database has no place for them). */
    public Site(List<Provider> providers, List<Directory> directories) {
        this(providers, directories, Pacc.DEFAULT);
    }

    /** All domains of all providers, in input order. */
    public List<Domain> domains() {
        return providers.stream().flatMap(p -> p.domains().stream()).toList();
    }
}
