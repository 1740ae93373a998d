package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.Layout;
import dev.autogen.model.Site;
import dev.autogen.model.WebSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Web-server configuration that serves a site's public tree and hands everything that needs an address to the
 * responder: NGINX ({@code nginx.conf.ftl}, an include for the {@code http{}} block) and Apache httpd 2.4
 * ({@code apache.conf.ftl}, an include for the server config). Routing, identical in both:
 * <ul>
 *   <li>{@code /mail/config-v1.1.xml} and {@code /.well-known/autoconfig/mail/config-v1.1.xml}: without an
 *       {@code emailaddress} argument the static file of the host's domain, else the responder;</li>
 *   <li>{@code /mobileconfig/<domain>.mobileconfig}: the static address-less profile;
 *       {@code /mobileconfig} and {@code /mobileconfig/}: the responder;</li>
 *   <li>{@code /autodiscover/...} in any letter case: the responder;</li>
 *   <li>{@code /.well-known/user-agent-configuration.json} on {@code ua-auto-config.<d>}: the static PACC document
 *       of {@code <d>} ({@code application/json}, {@code Access-Control-Allow-Origin: *}), by a host-name pattern
 *       rather than a list, so it adds nothing per domain;</li>
 *   <li>{@code /}: the domain's setup page {@code <domain>/index.html}, with its Content-Security-Policy;</li>
 *   <li>{@code /health}, {@code /metrics}: refused (the responder's own port answers them locally); anything
 *       else: 404.</li>
 * </ul>
 * The host's domain: {@code autoconfig.<d>}, {@code autodiscover.<d>} and {@code <d>} map to {@code <d>}, and a
 * domain's own Autodiscover host maps to it when no other domain shares that host (a shared host cannot tell which
 * domain an address-less request is for: it gets 404 for static files, its requests with an address still work).
 * The server block answers the names {@code autoconfig.*}, {@code autodiscover.*} and the other Autodiscover hosts;
 * never the bare domains, whose web sites live elsewhere (docs/deploying.md shows the location to add there).
 * <p>How it listens comes from the site's {@link WebSettings} (YAML {@code web:}, overridden by render options): plain
 * HTTP and/or HTTPS with one certificate or one per domain; with both and {@code redirectToHttps}, plain HTTP keeps
 * only autoconfig (KMail and Thunderbird's fallback use http) and redirects the rest to HTTPS.
 * <p>Pure, thread-safe and deterministic (names sorted). Names and paths are validated so that nothing from the
 * site can change the configuration's syntax.
 */
public final class WebServerConfig {
    private WebServerConfig() {}

    public static final String NGINX_TEMPLATE = "nginx.conf.ftl";
    public static final String APACHE_TEMPLATE = "apache.conf.ftl";

    private static final Pattern HOST = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    /** Characters that would end a quoted string or start a variable in either server's configuration syntax. */
    private static final Pattern UNSAFE_PATH = Pattern.compile("[\"\\\\$%{}\\p{Cntrl}]|^$");

    /** A host name and the domain whose public files it serves. */
    public record HostEntry(String host, String domain) {}

    /**
     * One Apache HTTPS virtual host: with one certificate for all names a single one ({@code autogen.invalid} with
     * the wildcard aliases), with per-domain certificates one per domain (Apache has no variables in certificate
     * paths).
     */
    public record TlsHost(String serverName, List<String> aliases, String certificate, String certificateKey) {}

    /**
     * @param publicRoot       absolute path of the public tree, without trailing slash
     * @param responderScheme  {@code http} or {@code https}
     * @param responderHost    host or address (IPv6 in brackets) of the responder
     * @param responderUrl     {@code scheme://host:port}, no path
     * @param hostMap          every host name that has a domain, sorted by host
     * @param extraServerNames Autodiscover hosts outside the {@code autoconfig.*}/{@code autodiscover.*} wildcards
     * @param mapHashMaxSize   NGINX {@code map_hash_max_size} large enough for {@code hostMap}
     * @param mapHashBucketSize NGINX {@code map_hash_bucket_size}
     * @param serverNamesHashMaxSize NGINX {@code server_names_hash_max_size}, 0 when the default suffices
     * @param serverNamesHashBucketSize NGINX {@code server_names_hash_bucket_size}, 0 when the default suffices
     * @param httpListen       NGINX {@code listen} values for plain HTTP (may be empty)
     * @param httpsListen      NGINX {@code listen} values for HTTPS, without {@code ssl} (empty: no TLS)
     * @param httpVhost        Apache {@code <VirtualHost>} addresses for plain HTTP, "" when none
     * @param httpsVhost       Apache {@code <VirtualHost>} addresses for HTTPS, "" when none
     * @param tls              whether there are HTTPS listen addresses
     * @param redirectToHttps  plain HTTP answers autoconfig only and redirects the rest (TLS and HTTP both given)
     * @param httpsPortSuffix  {@code ":<port>"} for redirects when HTTPS is not on 443, else ""
     * @param certificate      NGINX certificate path; per domain it contains {@code ${autogen_tls_domain}}
     * @param certificateKey   NGINX key path, the same way
     * @param perDomainCertificate whether NGINX needs the {@code $ssl_server_name -> $autogen_tls_domain} map
     * @param tlsHosts         Apache HTTPS virtual hosts
     * @param accessLog        "" (the web server's own log), {@code off}, or a file path
     * @param hosting          the parts for hosters and RFC 6764 redirects
     * @param setupPageCsp     the setup page's {@code Content-Security-Policy} header (quotes: only {@code '})
     * @param compact          the site's layout is compact (docs/site-format.md): no public tree and no per-domain
     *                         line; every request on the autogen names goes to the responder. {@code hostMap} then
     *                         holds only the {@code extraServerNames} that belong to one domain (for per-domain
     *                         certificates), and the hosting's DAV lists are empty (the responder redirects)
     */
    public record Model(String publicRoot, String responderScheme, String responderHost, int responderPort,
                        String responderUrl, List<HostEntry> hostMap, List<String> extraServerNames,
                        int mapHashMaxSize, int mapHashBucketSize, int serverNamesHashMaxSize,
                        int serverNamesHashBucketSize, List<String> httpListen, List<String> httpsListen,
                        String httpVhost, String httpsVhost, boolean tls, boolean redirectToHttps,
                        String httpsPortSuffix, String certificate, String certificateKey,
                        boolean perDomainCertificate, List<TlsHost> tlsHosts, String accessLog,
                        Hosting hosting, String setupPageCsp, boolean compact) {}

    /**
     * The hoster's parts of the configuration (docs/hosters.md).
     *
     * @param unknownToResponder hosts of no listed domain ask the responder for address-less autoconfig: the site has
     *                           a default provider or MX domains, and only the responder knows which it answers
     * @param anyDomain          the site has a default provider: the responder also answers address-less profiles
     *                           and {@code /.well-known/caldav|carddav} for domains nobody lists
     * @param caldav             RFC 6764 redirects by host ({@link DavRedirects}), without the default's entry
     * @param carddav            the same for CardDAV
     * @param mxNames            {@code autoconfig.<mxDomain>} of MX domains no provider lists, with the MX domain: for
     *                           the per-domain certificate (the host map covers listed domains)
     */
    public record Hosting(boolean unknownToResponder, boolean anyDomain, List<HostUrl> caldav, List<HostUrl> carddav,
                          List<HostEntry> mxNames) {}

    /** A host name and the URL {@code /.well-known/caldav} (or {@code carddav}) redirects to there. */
    public record HostUrl(String host, String url) {}

    /** @param dav whether the config lists the RFC 6764 redirects (tree); compact leaves them to the responder */
    static Hosting hosting(Site site, boolean dav) {
        List<HostUrl> caldav = new ArrayList<>();
        List<HostUrl> carddav = new ArrayList<>();
        for (DavRedirects.Entry e : dav ? DavRedirects.of(site) : List.<DavRedirects.Entry>of()) {
            if (!e.host().equals(DavRedirects.ANY)) {
                String h = host(e.host(), e.host());
                e.caldav().ifPresent(u -> caldav.add(new HostUrl(h, u)));
                e.carddav().ifPresent(u -> carddav.add(new HostUrl(h, u)));
            }
        }
        java.util.Set<String> listed = new java.util.HashSet<>();
        site.domains().forEach(d -> listed.add(d.name()));
        TreeMap<String, HostEntry> mxNames = new TreeMap<>();
        for (var p : site.hosters()) {
            for (String mx : p.hosting().orElseThrow().mxDomains()) {
                if (!listed.contains(mx) && !listed.contains("autoconfig." + mx)) {
                    String h = host(mx, "autoconfig." + mx);
                    mxNames.put(h, new HostEntry(h, mx));
                }
            }
        }
        return new Hosting(!site.hosters().isEmpty(), site.defaultProvider().isPresent(), List.copyOf(caldav),
                List.copyOf(carddav), List.copyOf(mxNames.values()));
    }

    public static byte[] nginx(Templates templates, Site site, RenderSettings settings) {
        return nginx(templates, model(templates, site, settings));
    }

    public static byte[] apache(Templates templates, Site site, RenderSettings settings) {
        return apache(templates, model(templates, site, settings));
    }

    /** Both configs from one model: its table of host names is a million entries on a big tree site. */
    static byte[] nginx(Templates templates, Model model) {
        return templates.render(NGINX_TEMPLATE, model).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] apache(Templates templates, Model model) {
        return templates.render(APACHE_TEMPLATE, model).getBytes(StandardCharsets.UTF_8);
    }

    static Model model(Templates templates, Site site, RenderSettings settings) {
        String publicRoot = settings.publicRoot();
        if (publicRoot == null || !publicRoot.startsWith("/") || UNSAFE_PATH.matcher(publicRoot).find()) {
            throw new IllegalArgumentException("public root '" + publicRoot + "' must be an absolute path without"
                    + " quotes, backslashes, '$', '%', braces or control characters");
        }
        while (publicRoot.length() > 1 && publicRoot.endsWith("/")) {
            publicRoot = publicRoot.substring(0, publicRoot.length() - 1);
        }
        URI responder = responder(settings.responderUrl());

        WebSettings web = checked(site.web());
        boolean compact = site.layout() == Layout.COMPACT;
        // The table of every host name is what a tree site's configs route by; a compact site needs it only for
        // Apache's virtual host per domain (per-domain certificates). At a million domains it is three million
        // sorted entries, built twice (NGINX and Apache): skipped when nothing reads it.
        boolean hostTable = !compact || (web.tls() && web.perDomainCertificate());
        // Sorted domains: the outcome of a conflict never depends on input order.
        Map<String, Domain> domains = hostTable ? new TreeMap<>() : new HashMap<>();
        for (Domain d : site.domains()) {
            domains.put(host(d.name(), d.name()), d);
        }
        Map<String, String> hostMap = new TreeMap<>();
        if (hostTable) {
            for (String d : domains.keySet()) {
                hostMap.putIfAbsent(d, d);
            }
            for (String d : domains.keySet()) {
                hostMap.putIfAbsent("autoconfig." + d, d);
                hostMap.putIfAbsent("autodiscover." + d, d);
            }
        }
        Map<String, List<String>> byAutodiscoverHost = new TreeMap<>();
        for (Domain d : domains.values()) {
            String h = host(d.name(), d.autodiscoverHost());
            if (hostTable || !(h.startsWith("autoconfig.") || h.startsWith("autodiscover."))) {
                byAutodiscoverHost.computeIfAbsent(h, x -> new ArrayList<>()).add(d.name());
            }
        }
        TreeSet<String> extraNames = new TreeSet<>();
        for (Map.Entry<String, List<String>> e : byAutodiscoverHost.entrySet()) {
            String h = e.getKey();
            if (e.getValue().size() == 1) {
                hostMap.putIfAbsent(h, e.getValue().get(0));
            }
            if (!h.startsWith("autoconfig.") && !h.startsWith("autodiscover.") && !domains.containsKey(h)) {
                extraNames.add(h);
            }
        }

        List<HostEntry> entries = new ArrayList<>(hostMap.size());
        for (Map.Entry<String, String> e : hostMap.entrySet()) {
            entries.add(new HostEntry(e.getKey(), e.getValue()));
        }
        // Compact: the names the SNI pattern cannot tell (other Autodiscover hosts of one domain) are all that is left.
        List<HostEntry> mapped = compact
                ? entries.stream().filter(e -> extraNames.contains(e.host())).toList() : entries;
        // NGINX builds its hash by trying table sizes up to max_size until no bucket overflows; with max_size at
        // twice the entries (a load of 1/2) and buckets of 512 bytes (8 to 10 entries of typical length, any single
        // name up to 253 characters), a table is found at once even for hundreds of thousands of names.
        int mapMax = Math.max(2048, 2 * mapped.size());
        int mapBucket = 512;
        int extraLongest = extraNames.stream().mapToInt(String::length).max().orElse(0);
        // Below these the defaults (512 and 32/64) work; above, NGINX refuses to start without the settings.
        boolean serverNamesNeedSettings = extraNames.size() > 256 || extraLongest > 40;

        boolean tls = web.tls();
        String certificate = web.certificate().orElse("");
        String key = web.certificateKey().orElse("");
        Hosting hosting = hosting(site, !compact);
        List<TlsHost> tlsHosts = new ArrayList<>();
        if (tls && web.perDomainCertificate()) {
            Map<String, List<String>> aliases = new TreeMap<>();
            for (HostEntry e : entries) {
                if (!e.host().equals(e.domain()) && !e.host().equals("autoconfig." + e.domain())) {
                    aliases.computeIfAbsent(e.domain(), x -> new ArrayList<>()).add(e.host());
                }
            }
            for (Map.Entry<String, List<String>> e : aliases.entrySet()) {
                e.getValue().add("ua-auto-config." + e.getKey()); // PACC: https only, so it needs the certificate
                tlsHosts.add(new TlsHost("autoconfig." + e.getKey(), List.copyOf(e.getValue()),
                        certificate.replace(WebSettings.DOMAIN_SLOT, e.getKey()),
                        key.replace(WebSettings.DOMAIN_SLOT, e.getKey())));
            }
            // The MX route's names (docs/hosters.md): autoconfig.<mxDomain> has a certificate of its own.
            for (HostEntry e : hosting.mxNames()) {
                tlsHosts.add(new TlsHost(e.host(), List.of(), certificate.replace(WebSettings.DOMAIN_SLOT, e.domain()),
                        key.replace(WebSettings.DOMAIN_SLOT, e.domain())));
            }
        } else if (tls) {
            List<String> names = new ArrayList<>(List.of("autoconfig.*", "autodiscover.*", "ua-auto-config.*"));
            names.addAll(extraNames);
            tlsHosts.add(new TlsHost("autogen.invalid", List.copyOf(names), certificate, key));
        }
        int httpsPort = tls ? WebSettings.port(web.https().get(0)) : 443;
        return new Model(publicRoot, responder.getScheme(), responder.getHost(), port(responder),
                responder.getScheme() + "://" + responder.getHost() + ":" + port(responder),
                List.copyOf(mapped), List.copyOf(extraNames), mapMax, mapBucket,
                serverNamesNeedSettings ? Math.max(1024, 2 * extraNames.size()) : 0,
                serverNamesNeedSettings ? 512 : 0,
                web.http(), web.https(), apacheAddresses(web.http()), apacheAddresses(web.https()), tls,
                tls && web.redirectToHttps() && !web.http().isEmpty(), httpsPort == 443 ? "" : ":" + httpsPort,
                certificate.replace(WebSettings.DOMAIN_SLOT, "${autogen_tls_domain}"),
                key.replace(WebSettings.DOMAIN_SLOT, "${autogen_tls_domain}"),
                tls && web.perDomainCertificate(), List.copyOf(tlsHosts), web.accessLog().orElse(""), hosting,
                setupPageCsp(templates, site), compact);
    }

    /** The web settings, validated again: a site built in code (tests, the database source) skips the readers. */
    private static WebSettings checked(WebSettings web) {
        List<String> problems = new ArrayList<>(web.consistencyProblems());
        for (String a : web.http()) {
            addIfProblem(problems, WebSettings.listenProblem(a));
        }
        for (String a : web.https()) {
            addIfProblem(problems, WebSettings.listenProblem(a));
        }
        web.certificate().ifPresent(c -> addIfProblem(problems, WebSettings.pathProblem(c, true)));
        web.certificateKey().ifPresent(c -> addIfProblem(problems, WebSettings.pathProblem(c, true)));
        web.accessLog().ifPresent(c -> addIfProblem(problems, WebSettings.accessLogProblem(c)));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("web settings: " + String.join("; ", problems));
        }
        return web;
    }

    private static void addIfProblem(List<String> problems, String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }

    /**
     * Apache {@code <VirtualHost>} addresses: a bare port, {@code [::]} and {@code 0.0.0.0} mean every address
     * ({@code *} covers both address families in Apache, so {@code 80} and {@code [::]:80} are one).
     */
    private static String apacheAddresses(List<String> listen) {
        return String.join(" ", listen.stream()
                .map(a -> a.matches("[0-9]+") ? "*:" + a : a.replaceFirst("^(\\[::]|0\\.0\\.0\\.0):", "*:"))
                .distinct().toList());
    }

    /**
     * The setup page's policy, inside a double-quoted string of either server's syntax: only keywords, quotes
     * {@code '}, base64 hashes and https origins of logos, nothing that could end the string or start a variable.
     */
    static String setupPageCsp(Templates templates, Site site) {
        String csp = SetupPageRenderer.contentSecurityPolicy(templates, site.providers());
        if (!csp.matches("[A-Za-z0-9 ';:+/=.-]+")) {
            throw new IllegalStateException("setup page policy cannot be written to a web-server config: " + csp);
        }
        return csp;
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    private static URI responder(String url) {
        try {
            URI u = new URI(url);
            String path = u.getRawPath();
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null
                    || u.getRawFragment() != null || !(path == null || path.isEmpty() || path.equals("/"))
                    || !u.getHost().matches("[A-Za-z0-9.:\\[\\]-]+")) {
                throw new IllegalArgumentException("responder URL '" + url
                        + "' must be http(s)://host[:port] without path, e.g. http://127.0.0.1:4243");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("responder URL '" + url + "': " + e.getMessage(), e);
        }
    }

    private static String host(String domain, String name) {
        String h = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (!HOST.matcher(h).matches()) {
            throw new IllegalArgumentException("domain " + domain + ": '" + name
                    + "' is not a host name that can be written to a web-server configuration");
        }
        return h;
    }
}
