package dev.autogen.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the generated NGINX and Apache configurations listen: the YAML {@code web:} section, overridden by
 * {@code render} options. The defaults are the quick start (plain HTTP on port 80, no TLS, the web server's own
 * access log).
 *
 * @param http            listen addresses for plain HTTP ({@code 80}, {@code 127.0.0.1:80}, {@code [::]:80}); may be
 *                        empty when everything is served over HTTPS
 * @param https           listen addresses for HTTPS; empty: no TLS
 * @param certificate     certificate chain (PEM), required with {@code https}; {@value #DOMAIN_SLOT} in the path
 *                        makes it per domain (e.g. {@code /etc/letsencrypt/live/autoconfig.{domain}/fullchain.pem})
 * @param certificateKey  its private key, with {@value #DOMAIN_SLOT} exactly when the certificate has it
 * @param redirectToHttps with {@code https}: plain HTTP answers only autoconfig (KMail and Thunderbird's fallback use
 *                        http) and redirects everything else to HTTPS; false serves everything on both
 * @param accessLog       empty: the web server's own access log; {@code off}; or an absolute file path
 */
public record WebSettings(List<String> http, List<String> https, Optional<String> certificate,
                          Optional<String> certificateKey, boolean redirectToHttps, Optional<String> accessLog) {
    public static final String DOMAIN_SLOT = "{domain}";
    public static final String OFF = "off";
    public static final WebSettings DEFAULT = new WebSettings(List.of("80", "[::]:80"), List.of(), Optional.empty(),
            Optional.empty(), true, Optional.empty());

    private static final Pattern LISTEN = Pattern.compile(
            "(?:(\\*|[0-9]{1,3}(?:\\.[0-9]{1,3}){3}|\\[[0-9A-Fa-f:.]+]):)?([0-9]{1,5})");
    /** Ends a quoted string or starts a variable in NGINX or Apache syntax (braces: the one slot is removed first). */
    private static final Pattern UNSAFE_PATH = Pattern.compile("[\"'\\\\$%{};\\p{Cntrl}\\s&&[^ ]]");

    public WebSettings {
        http = List.copyOf(http);
        https = List.copyOf(https);
    }

    public boolean tls() {
        return !https.isEmpty();
    }

    public boolean perDomainCertificate() {
        return certificate.map(c -> c.contains(DOMAIN_SLOT)).orElse(false);
    }

    /** The port of a valid listen address. */
    public static int port(String listen) {
        Matcher m = LISTEN.matcher(listen);
        if (!m.matches()) {
            throw new IllegalArgumentException(listen);
        }
        return Integer.parseInt(m.group(2));
    }

    /** Why {@code value} is not a listen address, or null when it is one. */
    public static String listenProblem(String value) {
        Matcher m = LISTEN.matcher(value);
        if (!m.matches()) {
            return "'" + value + "' is not a listen address; expected PORT, ADDRESS:PORT or [IPv6]:PORT"
                    + " (e.g. 443, 192.0.2.1:443, [::]:443)";
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            return "port " + port + " is out of range 1..65535";
        }
        String host = m.group(1);
        if (host != null && host.indexOf('.') > 0 && !host.startsWith("[")) {
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return "'" + host + "' is not an IPv4 address";
                }
            }
        }
        return null;
    }

    /**
     * Why {@code value} cannot be written into a web-server configuration as a file path, or null.
     *
     * @param slotAllowed whether {@value #DOMAIN_SLOT} may appear (certificate and key)
     */
    public static String pathProblem(String value, boolean slotAllowed) {
        String bare = slotAllowed ? value.replace(DOMAIN_SLOT, "") : value;
        if (!value.startsWith("/")) {
            return "'" + value + "' must be an absolute path";
        }
        if (UNSAFE_PATH.matcher(bare).find()) {
            return "'" + value + "' must not contain quotes, backslashes, '$', '%', ';', braces, tabs or line breaks"
                    + (slotAllowed ? " (except the slot " + DOMAIN_SLOT + ")" : "");
        }
        return null;
    }

    /** Why {@code value} is not an access-log setting ({@code off} or an absolute path), or null. */
    public static String accessLogProblem(String value) {
        return OFF.equals(value) ? null : pathProblem(value, false);
    }

    /** Problems between the settings (each value already valid on its own); empty when they fit together. */
    public List<String> consistencyProblems() {
        List<String> problems = new ArrayList<>();
        if (tls() && (certificate.isEmpty() || certificateKey.isEmpty())) {
            problems.add("https needs both certificate and certificateKey");
        }
        if (!tls() && (certificate.isPresent() || certificateKey.isPresent())) {
            problems.add("certificate and certificateKey are used only with https listen addresses; none is given");
        }
        if (certificate.isPresent() && certificateKey.isPresent()
                && certificate.get().contains(DOMAIN_SLOT) != certificateKey.get().contains(DOMAIN_SLOT)) {
            problems.add("certificate and certificateKey must both contain " + DOMAIN_SLOT + " or neither");
        }
        if (http.isEmpty() && https.isEmpty()) {
            problems.add("no listen address: give http or https addresses");
        }
        Set<String> seen = new HashSet<>();
        for (String a : concat(http, https)) {
            if (!seen.add(normalize(a))) {
                problems.add("listen address " + a + " is given twice");
            }
        }
        return problems;
    }

    private static String normalize(String listen) {
        return listen.matches("[0-9]+") ? "*:" + listen : listen.toLowerCase(java.util.Locale.ROOT);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
