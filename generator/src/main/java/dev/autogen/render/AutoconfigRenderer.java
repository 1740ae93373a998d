package dev.autogen.render;

import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.OAuth2;
import dev.autogen.model.Provider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mozilla autoconfig ({@code config-v1.1.xml}) with slots, from {@code autoconfig.ftlx}. The model handed to the
 * template holds only ready-to-print strings (no numbers to format, no Java objects to call), so admins' templates
 * stay simple and the output cannot depend on locale or wrapper settings.
 */
public final class AutoconfigRenderer {
    public static final String TEMPLATE = "autoconfig.ftlx";

    private final Templates templates;

    public AutoconfigRenderer(Templates templates) {
        this.templates = templates;
    }

    /**
     * The private autoconfig document of {@code domain}.
     *
     * @param listedDomains the {@code <domain>} values: normally all the provider's domains; a provider with very
     *                      many domains passes {@code [{{domain}}]} instead, so the document stays small and identical
     *                      across its domains
     */
    public String render(Provider provider, Domain domain, List<String> listedDomains) {
        return templates.render(TEMPLATE, model(provider, domain, listedDomains));
    }

    static Map<String, Object> model(Provider provider, Domain domain, List<String> listedDomains) {
        Map<String, Object> model = new HashMap<>();
        model.put("providerId", literal(provider.id(), "provider id"));
        model.put("domains", listedDomains);
        // The autoconfig draft's marker for the domains a hoster's MX hosts are under (docs/hosters.md).
        model.put("mxDomains", provider.hosting().map(Provider.Hosting::mxDomains).orElse(List.of()));
        model.put("displayName", literal(provider.name(), "provider name"));
        model.put("displayShortName", literal(provider.shortName(), "provider short name"));
        List<Map<String, Object>> incoming = new ArrayList<>();
        List<Map<String, Object>> outgoing = new ArrayList<>();
        for (MailServer server : domain.serversByPriority()) {
            (server.protocol().incoming() ? incoming : outgoing).add(server(server));
        }
        model.put("incomingServers", incoming);
        model.put("outgoingServers", outgoing);
        provider.documentation().ifPresent(doc -> model.put("documentation", Map.of(
                "url", literal(doc.url(), "documentation url"),
                "description", literal(doc.description(), "documentation description"))));
        domain.oauth2().ifPresent(oauth2 -> model.put("oauth2", oauth2(oauth2)));
        List<Map<String, Object>> dav = new ArrayList<>();
        for (DavServer server : domain.davServers()) {
            dav.add(Map.of(
                    "type", server.type().id(),
                    // The 1.1 form spells it addressBook, the current draft addressbook.
                    "legacyElement", server.type() == DavServer.Type.CARDDAV ? "addressBook" : "calendar",
                    "draftElement", server.type() == DavServer.Type.CARDDAV ? "addressbook" : "calendar",
                    "url", literal(server.url().toString(), "DAV url"),
                    "username", Slots.login(server.username())));
        }
        model.put("davServers", dav);
        return model;
    }

    private static Map<String, Object> server(MailServer server) {
        List<String> authentication = new ArrayList<>(server.authentication().size());
        for (MailServer.Authentication method : server.authentication()) {
            authentication.add(method.id());
        }
        return Map.of(
                "type", server.protocol().id(),
                "hostname", literal(server.hostname(), "hostname"),
                "port", Integer.toString(server.port()),
                "socketType", socketType(server.security()),
                "username", Slots.login(server.username()),
                "authentication", authentication);
    }

    /** autoconfig's spelling: {@code SSL}, {@code STARTTLS}, {@code plain}. */
    static String socketType(MailServer.Security security) {
        return switch (security) {
            case SSL -> "SSL";
            case STARTTLS -> "STARTTLS";
            case NONE -> "plain";
        };
    }

    private static Map<String, Object> oauth2(OAuth2 oauth2) {
        return Map.of(
                "issuer", literal(oauth2.issuer(), "oauth2 issuer"),
                "scope", literal(oauth2.scope(), "oauth2 scope"),
                "authUrl", literal(oauth2.authUrl(), "oauth2 authUrl"),
                "tokenUrl", literal(oauth2.tokenUrl(), "oauth2 tokenUrl"));
    }

    private static String literal(String value, String what) {
        return Slots.requireLiteral(value, what);
    }
}
