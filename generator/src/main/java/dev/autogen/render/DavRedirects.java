package dev.autogen.render;

import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * RFC 6764 redirects: {@code /.well-known/caldav} and {@code /.well-known/carddav} answer {@code 301} to the configured
 * CalDAV/CardDAV URL. Thunderbird finds calendars and address books this way (and by SRV/TXT) after the mail account
 * exists; it ignores the DAV elements of autoconfig.
 * <p>
 * Host names that redirect: every domain with DAV servers ({@code <domain>}, for the admin's own web site, and
 * {@code autoconfig.<domain>}), {@code autoconfig.<mxDomain>} of a hoster with DAV servers, and the DAV URL's own host
 * when it is a name autogen's server block answers ({@code autoconfig.*}, {@code autodiscover.*} or an Autodiscover
 * host) and every domain pointing there agrees on the URL. A domain without DAV servers gets no entry (404). The
 * default provider's redirect is the entry {@link #ANY}: the responder uses it for hosts of domains nobody lists.
 * The first server of each type is the one redirected to. Pure and deterministic (sorted by host).
 */
public final class DavRedirects {
    private DavRedirects() {}

    /** The host of the default provider's entry. */
    public static final String ANY = Provider.Hosting.ANY;

    /** One host's targets; at least one is present. */
    public record Entry(String host, Optional<String> caldav, Optional<String> carddav) {
        /** {@code <host>\t<caldav or ->\t<carddav or ->}, a line of {@code private/wellknown.tsv}. */
        public String format() {
            return host + "\t" + caldav.orElse("-") + "\t" + carddav.orElse("-");
        }
    }

    public static final String HEADER = "#autogen-wellknown 1";

    /** Every redirecting host of the site, sorted by host; the default provider's entry is {@link #ANY}. */
    public static List<Entry> of(Site site) {
        Map<String, Entry> byHost = new TreeMap<>();
        // Exact domain names first: autoconfig.<d> of one domain never shadows a listed domain of that name.
        for (Domain d : site.domains()) {
            entry(d.name(), d).ifPresent(e -> byHost.put(e.host(), e));
        }
        for (Domain d : site.domains()) {
            entry("autoconfig." + d.name(), d).ifPresent(e -> byHost.putIfAbsent(e.host(), e));
        }
        for (Provider p : site.hosters()) {
            Domain settings = p.hosting().orElseThrow().settings();
            for (String mx : p.hosting().orElseThrow().mxDomains()) {
                entry("autoconfig." + mx, settings).ifPresent(e -> byHost.putIfAbsent(e.host(), e));
            }
            if (p.hosting().orElseThrow().anyDomain()) {
                entry(ANY, settings).ifPresent(e -> byHost.put(ANY, e));
            }
        }
        // The DAV URL's own host, where our server block answers it and the domains agree.
        Set<String> served = new HashSet<>();
        for (Domain d : site.domains()) {
            served.add(d.autodiscoverHost().toLowerCase(Locale.ROOT));
        }
        Map<String, List<Entry>> byDavHost = new HashMap<>();
        List<Domain> withDav = new ArrayList<>(site.domains());
        site.hosters().forEach(p -> withDav.add(p.hosting().orElseThrow().settings()));
        for (Domain d : withDav) {
            Set<String> hosts = new HashSet<>();
            for (DavServer s : d.davServers()) {
                String h = s.url().getHost() == null ? "" : s.url().getHost().toLowerCase(Locale.ROOT);
                if (h.startsWith("autoconfig.") || h.startsWith("autodiscover.") || served.contains(h)) {
                    hosts.add(h);
                }
            }
            for (String h : hosts) {
                entry(h, d).ifPresent(e -> byDavHost.computeIfAbsent(h, k -> new ArrayList<>()).add(e));
            }
        }
        for (Map.Entry<String, List<Entry>> e : byDavHost.entrySet()) {
            if (e.getValue().stream().distinct().count() == 1) {
                byHost.putIfAbsent(e.getKey(), e.getValue().get(0));
            }
        }
        return List.copyOf(byHost.values());
    }

    /** The redirects {@code host} gets for {@code domain}'s DAV servers; empty when it has none. */
    private static Optional<Entry> entry(String host, Domain domain) {
        Optional<String> caldav = target(host, domain, DavServer.Type.CALDAV);
        Optional<String> carddav = target(host, domain, DavServer.Type.CARDDAV);
        return caldav.isEmpty() && carddav.isEmpty() ? Optional.empty()
                : Optional.of(new Entry(host, caldav, carddav));
    }

    private static Optional<String> target(String host, Domain domain, DavServer.Type type) {
        for (DavServer s : domain.davServers()) {
            if (s.type() == type) {
                URI u = s.url();
                // A URL that is the well-known path on this very host would redirect to itself.
                boolean loop = host.equalsIgnoreCase(u.getHost())
                        && ("/.well-known/" + type.id()).equals(u.getRawPath());
                return loop ? Optional.empty() : Optional.of(requireSafeUrl(u.toString()));
            }
        }
        return Optional.empty();
    }

    /**
     * A URL goes into NGINX's configuration (a quoted map value) and a TSV line: nothing that ends a quoted string,
     * starts a variable or a block, or separates columns. Sources validate URLs; this is the last guard.
     */
    static String requireSafeUrl(String url) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '$' || c == '{' || c == '}') {
                throw new IllegalArgumentException("DAV URL '" + url + "' contains '" + c + "', which cannot be written"
                        + " to a web-server configuration; percent-encode it");
            }
        }
        return url;
    }

    /** {@code private/wellknown.tsv}: the header, then one line per entry. */
    public static String file(List<Entry> entries) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) {
            out.append(e.format()).append('\n');
        }
        return out.toString();
    }
}
