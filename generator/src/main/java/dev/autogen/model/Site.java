package dev.autogen.model;

import java.util.List;
import java.util.Optional;

/**
 * Everything autogen knows about a deployment: the providers (each owning its domains), the LDAP directories that
 * domains may refer to by name, how the generated web-server configurations listen, and the site-wide PACC
 * settings. Produced by a source (YAML file or automx2 database), consumed by the renderers.
 */
public record Site(List<Provider> providers, List<Directory> directories, WebSettings web, Pacc pacc,
                   Layout layout) {
    public Site {
        providers = List.copyOf(providers);
        directories = List.copyOf(directories);
        web = web == null ? WebSettings.DEFAULT : web;
        pacc = pacc == null ? Pacc.DEFAULT : pacc;
        layout = layout == null ? Layout.TREE : layout;
    }

    /** In the tree layout. */
    public Site(List<Provider> providers, List<Directory> directories, WebSettings web, Pacc pacc) {
        this(providers, directories, web, pacc, Layout.TREE);
    }

    /** A site with the default web and PACC settings (the database source, tests). */
    public Site(List<Provider> providers, List<Directory> directories) {
        this(providers, directories, WebSettings.DEFAULT, Pacc.DEFAULT);
    }

    /** With the default PACC settings. */
    public Site(List<Provider> providers, List<Directory> directories, WebSettings web) {
        this(providers, directories, web, Pacc.DEFAULT);
    }

    /** With the default web settings. */
    public Site(List<Provider> providers, List<Directory> directories, Pacc pacc) {
        this(providers, directories, WebSettings.DEFAULT, pacc);
    }

    /** All domains of all providers, in input order. */
    public List<Domain> domains() {
        return providers.stream().flatMap(p -> p.domains().stream()).toList();
    }

    /** The same site with other web settings. */
    public Site withWeb(WebSettings settings) {
        return new Site(providers, directories, settings, pacc, layout);
    }

    /** The same site in another layout ({@code render --layout}). */
    public Site withLayout(Layout other) {
        return new Site(providers, directories, web, pacc, other);
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
