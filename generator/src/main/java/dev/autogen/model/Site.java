package dev.autogen.model;

import java.util.List;
import java.util.Optional;

/**
 * Everything autogen knows about a deployment: the providers (each owning its domains), the LDAP directories that
 * domains may refer to by name, and how the generated web-server configurations listen. Produced by a source (YAML
 * file or automx2 database), consumed by the renderers.
 */
public record Site(List<Provider> providers, List<Directory> directories, WebSettings web) {
    public Site {
        providers = List.copyOf(providers);
        directories = List.copyOf(directories);
        web = web == null ? WebSettings.DEFAULT : web;
    }

    /** A site with the default web settings (the database source, tests). */
    public Site(List<Provider> providers, List<Directory> directories) {
        this(providers, directories, WebSettings.DEFAULT);
    }

    /** All domains of all providers, in input order. */
    public List<Domain> domains() {
        return providers.stream().flatMap(p -> p.domains().stream()).toList();
    }

    /** The same site with other web settings. */
    public Site withWeb(WebSettings settings) {
        return new Site(providers, directories, settings);
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
