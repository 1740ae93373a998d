package dev.autogen.config;

import java.util.List;

/**
 * The keys each kind of YAML mapping accepts, in the order {@link YamlWriter} writes them. One list per mapping so the
 * loader, the writer and the schema test cannot drift apart.
 */
final class Keys {
    private Keys() {}

    static final List<String> TOP = List.of("layout", "pacc", "providers", "directories", "web", "signing");

    static final List<String> PACC = List.of("enabled", "revision");

    /** Settings a provider gives to all its domains and a domain may override. */
    static final List<String> DOMAIN_SETTINGS =
            List.of("autodiscoverHost", "servers", "dav", "oauth2", "activeSync", "ldap");

    static final List<String> PROVIDER = concat(
            List.of("id", "name", "shortName", "documentation", "logo", "signing"),
            DOMAIN_SETTINGS, List.of("mxDomains", "domains"));

    static final List<String> DOMAIN = concat(List.of("name"), DOMAIN_SETTINGS, List.of());

    static final List<String> DOCUMENTATION = List.of("url", "description");

    static final List<String> LOGO = List.of("url", "contentType");

    static final List<String> SERVER =
            List.of("type", "hostname", "port", "security", "authentication", "username", "priority");

    static final List<String> DAV = List.of("type", "url", "username");

    static final List<String> OAUTH2 = List.of("issuer", "scope", "authUrl", "tokenUrl");

    static final List<String> DIRECTORY = List.of("url", "startTls", "tlsCaFile", "base", "filter", "uidAttribute",
            "cnAttribute", "bindDn", "bindPassword", "bindPasswordFile", "bindPasswordEnv", "connectTimeout",
            "responseTimeout", "cacheTtl");

    /** How the generated web-server configurations listen (model: WebSettings). */
    static final List<String> WEB =
            List.of("http", "https", "certificate", "certificateKey", "redirectToHttps", "accessLog");

    static final List<String> SIGNING =
            List.of("certificate", "key", "keyPassword", "keyPasswordFile", "keyPasswordEnv");

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        return java.util.stream.Stream.of(a, b, c).flatMap(List::stream).toList();
    }
}
