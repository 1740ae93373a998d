package dev.autogen.render;

import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import dev.autogen.qr.SetupPageSlots;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The setup page of a domain ({@code public/<domain>/index.html}, served at {@code https://autoconfig.<domain>/}):
 * every client's steps, the manual settings, the Apple profile as a link, a form and a QR code. See
 * docs/setup-page.md.
 *
 * <p>Templates: {@code setup-page.ftlh} (HTML, auto-escaped), {@code setup-page.css} (the page's only style, inlined
 * in a {@code <style>} element and allowed by its SHA-256 in the Content-Security-Policy, which the web configs send
 * and the page repeats in a {@code <meta>}), and {@code setup-index.ftlh} for {@code render --setup-index}. Like the
 * document renderers, the model holds only ready-to-print strings, so the page never depends on locale.
 *
 * <p>The page is rendered with the domain left open ({@link #template}): every value derived from the domain name is
 * a slot of {@link SetupPageSlots} ({@code {{domain}}}, {@code {{domain:unicode}}}, {@code {{qr:size}}},
 * {@code {{qr:path}}}), which FreeMarker's HTML escaping leaves as it is (it escapes none of {@code { } :}). So one
 * FreeMarker run serves every domain with the same settings, and filling the slots ({@link #page}) gives exactly the
 * page FreeMarker would have rendered with the domain's values; the QR code is still drawn per domain. Values that
 * merely contain the domain (server host names, URLs) are literal text: nothing is searched and replaced.
 *
 * <p>Thread-safe and pure: the same site and templates give the same bytes.
 */
public final class SetupPageRenderer {
    public static final String TEMPLATE = "setup-page.ftlh";
    public static final String STYLE_TEMPLATE = "setup-page.css";
    public static final String INDEX_TEMPLATE = "setup-index.ftlh";

    /** How the page shows a user's address in examples. */
    static final String EXAMPLE_LOCAL_PART = "you";

    private final Templates templates;
    private final String style;
    private final String contentSecurityPolicy;

    public SetupPageRenderer(Templates templates) {
        this.templates = templates;
        this.style = templates.render(STYLE_TEMPLATE, Map.of());
        this.contentSecurityPolicy = policy(style);
    }

    /**
     * The policy the page is served with: nothing may load (no scripts, fonts, images, frames), the one inline
     * style is allowed by its hash, the form may only go back to the same server, and the page may not be framed.
     * The page's {@code <meta>} repeats all of it except {@code frame-ancestors}, which browsers ignore there.
     */
    public String contentSecurityPolicy() {
        return contentSecurityPolicy + "; frame-ancestors 'none'";
    }

    /** The policy of the page's {@code <meta http-equiv>} element. */
    String metaContentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /** The CSS as the page inlines it. */
    String style() {
        return style;
    }

    /**
     * The HTTP header for the setup pages of {@code providers} under {@code templates}: the web-server configs call
     * this. It allows the logos of every provider (one header serves every domain's page); each page's own
     * {@code <meta>} allows only its provider's, and browsers apply both.
     */
    static String contentSecurityPolicy(Templates templates, java.util.Collection<Provider> providers) {
        return policy(templates.render(STYLE_TEMPLATE, Map.of())) + imageSources(providers) + "; frame-ancestors 'none'";
    }

    /** {@code ; img-src <origins>} for the providers' logos, or nothing when none has one. */
    static String imageSources(java.util.Collection<Provider> providers) {
        java.util.SortedSet<String> origins = new java.util.TreeSet<>();
        for (Provider provider : providers) {
            logo(provider).ifPresent(logo -> origins.add(origin(logo.url())));
        }
        return origins.isEmpty() ? "" : "; img-src " + String.join(" ", origins);
    }

    /**
     * The logo the page shows: the provider's first, when its origin can be named in a policy (an https URL whose
     * host is a plain lower-case name, as the YAML reader's https check and IDNA2008 give them).
     */
    static java.util.Optional<Provider.Logo> logo(Provider provider) {
        return provider.logos().stream().limit(1).filter(l -> origin(l.url()) != null).findFirst();
    }

    private static String origin(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            String host = uri.getHost();
            if (!"https".equals(uri.getScheme()) || host == null || !host.matches("[a-z0-9.-]+")) {
                return null;
            }
            return "https://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String policy(String style) {
        // Checked here because the policy goes into web-server configs inside double quotes.
        if (style.contains("</")) {
            throw new IllegalArgumentException("template " + STYLE_TEMPLATE + " must not contain '</'");
        }
        return "default-src 'none'; style-src 'sha256-" + sha256Base64(style) + "'; form-action 'self';"
                + " base-uri 'none'";
    }

    /** {@code public/<domain>/index.html}: {@link #template} filled for the domain. */
    public byte[] page(Provider provider, Domain domain) {
        return SetupPageSlots.fillUtf8(template(model(provider, domain)), domain.name());
    }

    /**
     * The page of {@code model} (from {@link #model}) with the domain as slots: the same for every domain whose model
     * is equal, so callers cache it by the model (column 11 of domains.tsv).
     */
    public String template(Map<String, Object> model) {
        return templates.render(TEMPLATE, model);
    }

    /** {@code private/setup-index.html}: every domain with a link to its page, sorted by domain. */
    public byte[] index(Site site) {
        record Row(String domain, String domainDisplay, String provider, String url) {}
        List<Row> rows = new ArrayList<>();
        for (Provider provider : site.providers()) {
            for (Domain domain : provider.domains()) {
                rows.add(new Row(domain.name(), display(domain.name()), provider.name(), pageUrl(domain.name())));
            }
        }
        rows.sort(Comparator.comparing(Row::domain));
        List<Map<String, String>> domains = new ArrayList<>(rows.size());
        for (Row r : rows) {
            domains.add(Map.of("domain", r.domain(), "domainDisplay", r.domainDisplay(), "providerName", r.provider(),
                    "url", r.url()));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("domains", domains);
        model.put("style", style);
        model.put("contentSecurityPolicy", contentSecurityPolicy);
        return templates.render(INDEX_TEMPLATE, model).getBytes(StandardCharsets.UTF_8);
    }

    /** The page's address: the domain's autoconfig host, where the web configs serve it. */
    public static String pageUrl(String domain) {
        return SetupPageSlots.pageUrl(domain);
    }

    /** The address-less Apple profile as the web configs serve it (the QR code's text). */
    public static String profileUrl(String domain) {
        return SetupPageSlots.profileUrl(domain);
    }

    static String profilePath(String domain) {
        return SetupPageSlots.profilePath(domain);
    }

    /**
     * The template's model for {@code domain}, with the domain as slots: equal for domains whose pages differ only
     * in the domain name (a cache key for {@link #template}). Only ready-to-print strings, lists and maps.
     */
    Map<String, Object> model(Provider provider, Domain domain) {
        String real = SiteRenderer.requireDomainName(domain.name());
        String name = SetupPageSlots.DOMAIN;
        String example = EXAMPLE_LOCAL_PART + "@" + name;
        boolean directory = domain.directory().isPresent();
        Map<String, Object> model = new HashMap<>();
        model.put("providerId", literal(provider.id(), "provider id"));
        model.put("providerName", literal(provider.name(), "provider name"));
        model.put("providerShortName", literal(provider.shortName(), "provider short name"));
        model.put("domain", name);
        model.put("domainDisplay", SetupPageSlots.DOMAIN_UNICODE);
        model.put("exampleAddress", example);
        model.put("pageUrl", pageUrl(name));
        model.put("autoconfigHost", "autoconfig." + name);
        // The usual host is named through the slot; any other is a literal (even when it contains the domain).
        model.put("autodiscoverHost", domain.autodiscoverHost().equals("autodiscover." + real)
                ? "autodiscover." + name : domain.autodiscoverHost());
        model.put("profileUrl", profileUrl(name));
        model.put("profilePath", profilePath(name));
        model.put("profileFormAction", "/mobileconfig");
        model.put("profileFileName", name + ".mobileconfig");
        model.put("qrSize", SetupPageSlots.QR_SIZE);
        model.put("qrPath", SetupPageSlots.QR_PATH);
        model.put("style", style);
        model.put("contentSecurityPolicy", contentSecurityPolicy + imageSources(List.of(provider)));
        logo(provider).ifPresent(logo -> model.put("logoUrl", logo.url()));
        model.put("usernamesFromDirectory", Boolean.toString(directory));
        List<Map<String, Object>> incoming = new ArrayList<>();
        List<Map<String, Object>> outgoing = new ArrayList<>();
        for (MailServer server : domain.serversByPriority()) {
            (server.protocol().incoming() ? incoming : outgoing).add(server(server, name, directory));
        }
        model.put("incomingServers", incoming);
        model.put("outgoingServers", outgoing);
        List<Map<String, Object>> dav = new ArrayList<>();
        for (DavServer server : domain.davServers()) {
            Map<String, Object> d = new HashMap<>();
            d.put("type", server.type().id());
            d.put("url", literal(server.url().toString(), "DAV url"));
            d.put("hostname", literal(server.url().getHost(), "DAV host"));
            d.put("port", Integer.toString(server.port()));
            d.put("path", literal(server.path(), "DAV path"));
            d.put("tls", Boolean.toString(server.tls()));
            d.put("username", username(server.username(), name));
            d.put("usernameKind", directory ? "directory" : usernameKind(server.username()));
            dav.add(d);
        }
        model.put("davServers", dav);
        provider.documentation().ifPresent(doc -> model.put("documentation", Map.of(
                "url", webUrl(doc.url(), "documentation url"),
                "description", literal(doc.description(), "documentation description"))));
        domain.oauth2().ifPresent(o -> model.put("oauth2", Map.of(
                "issuer", literal(o.issuer(), "oauth2 issuer"),
                "scope", literal(o.scope(), "oauth2 scope"),
                "authUrl", literal(o.authUrl(), "oauth2 authUrl"),
                "tokenUrl", literal(o.tokenUrl(), "oauth2 tokenUrl"))));
        domain.activeSyncUrl().ifPresent(url -> model.put("activeSyncUrl", literal(url, "activeSync url")));
        return model;
    }

    private static Map<String, Object> server(MailServer server, String domain, boolean directory) {
        List<String> authentication = new ArrayList<>(server.authentication().size());
        for (MailServer.Authentication method : server.authentication()) {
            authentication.add(method.id());
        }
        Map<String, Object> m = new HashMap<>();
        m.put("type", server.protocol().id());
        m.put("hostname", literal(server.hostname(), "hostname"));
        m.put("port", Integer.toString(server.port()));
        m.put("security", server.security().id());
        m.put("username", username(server.username(), domain));
        m.put("usernameKind", directory ? "directory" : usernameKind(server.username()));
        m.put("authentication", authentication);
        return m;
    }

    /** The login template with {@code you@<domain>} filled in: what a user with that address types. */
    static String username(String template, String domain) {
        return literal(template, "username")
                .replace("%EMAILADDRESS%", EXAMPLE_LOCAL_PART + "@" + domain)
                .replace("%EMAILLOCALPART%", EXAMPLE_LOCAL_PART)
                .replace("%EMAILDOMAIN%", domain);
    }

    /** {@code address}, {@code localpart} or {@code other}: lets the template explain the example in words. */
    static String usernameKind(String template) {
        return switch (template) {
            case "%EMAILADDRESS%" -> "address";
            case "%EMAILLOCALPART%" -> "localpart";
            default -> "other";
        };
    }

    /** The domain as users know it: an IDN in Unicode (IDNA2008), for display only (links use the ASCII form). */
    static String display(String domain) {
        return SetupPageSlots.display(domain);
    }

    /**
     * A link target: only http(s). Escaping cannot make a {@code javascript:} URL harmless in an {@code href} (the
     * policy would block it, but the page must be safe without it). Sources check this with file:line context.
     */
    static String webUrl(String url, String what) {
        String lower = literal(url, what).toLowerCase(java.util.Locale.ROOT);
        if (!(lower.startsWith("https://") || lower.startsWith("http://"))) {
            throw new IllegalArgumentException(what + " must be an http(s) URL: " + url);
        }
        return url;
    }

    private static String literal(String value, String what) {
        return Slots.requireLiteral(value, what);
    }

    static String sha256Base64(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
    }
}
