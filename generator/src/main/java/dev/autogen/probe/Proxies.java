package dev.autogen.probe;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which HTTP proxy the probe uses for a URL: {@code --proxy}, or the environment variables every Unix HTTP tool
 * reads ({@code https_proxy}, {@code http_proxy}, {@code no_proxy}; upper-case forms too, lower-case first, as curl
 * does). Proxies are plain-HTTP proxies: {@code https://} targets go through a CONNECT tunnel, {@code http://}
 * targets are forwarded. {@code no_proxy} is a comma-separated list of host names (a name also covers its
 * subdomains; a leading dot is ignored), IP addresses, or {@code *} for all hosts; CIDR ranges are not supported.
 *
 * @param https   the proxy for https:// URLs, or null for direct connections
 * @param http    the proxy for http:// URLs, or null
 * @param noProxy host names and addresses reached directly
 */
public record Proxies(URI https, URI http, List<String> noProxy) {
    public static final Proxies NONE = new Proxies(null, null, List.of());

    public Proxies {
        noProxy = List.copyOf(noProxy);
    }

    /** One proxy for every URL ({@code --proxy}); {@code no_proxy} from the environment still applies. */
    public static Proxies of(String proxy, Map<String, String> env) {
        URI uri = parse(proxy, "--proxy");
        return new Proxies(uri, uri, noProxy(env));
    }

    /** From the environment; a malformed variable is an error naming it. */
    public static Proxies fromEnvironment(Map<String, String> env) {
        String https = variable(env, "https_proxy");
        String http = variable(env, "http_proxy");
        return new Proxies(https == null ? null : parse(https, "https_proxy"), http == null ? null : parse(http, "http_proxy"),
                noProxy(env));
    }

    /** The proxy to use for a URL of this scheme and host, or null to connect directly. */
    public URI proxyFor(String scheme, String host) {
        URI proxy = "https".equalsIgnoreCase(scheme) ? https : http;
        if (proxy == null) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String entry : noProxy) {
            if (entry.equals("*") || h.equals(entry) || h.endsWith("." + entry)) {
                return null;
            }
        }
        return proxy;
    }

    private static String variable(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            value = env.get(name.toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<String> noProxy(Map<String, String> env) {
        String value = variable(env, "no_proxy");
        List<String> entries = new ArrayList<>();
        if (value != null) {
            for (String entry : value.split(",")) {
                String e = entry.strip().toLowerCase(Locale.ROOT);
                while (e.startsWith(".")) {
                    e = e.substring(1);
                }
                if (e.startsWith("[") && e.endsWith("]")) {
                    e = e.substring(1, e.length() - 1);
                }
                if (!e.isEmpty()) {
                    entries.add(e);
                }
            }
        }
        return entries;
    }

    /** {@code host:port} or {@code http://host:port}; the port defaults to 80 as with curl. */
    static URI parse(String value, String where) {
        String v = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + ": not a proxy URL: " + value);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(where + ": only http:// proxies are supported, got " + value);
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException(where + ": proxy credentials are not supported");
        }
        return URI.create("http://" + uri.getRawAuthority().toLowerCase(Locale.ROOT)
                + (uri.getPort() < 0 ? ":80" : ""));
    }

    @Override
    public String toString() {
        return https == null && http == null ? "direct" : "https via " + https + ", http via " + http + ", no_proxy " + noProxy;
    }
}
