package dev.autogen.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How each client treats the HTTP redirects that led to a document (the probe follows them hop by hop, see
 * {@link ProbeHttp}). A pure function over the chain: the URL first asked, each redirect, the URL that answered.
 *
 * <ul>
 *   <li>Thunderbird for Android / K-9 follows redirects but trusts the settings only if every hop was https; over
 *       any http hop it shows them as unverified and makes the user confirm: a failure here, since the point of a
 *       deployment is that the account is set up without such a prompt.</li>
 *   <li>Thunderbird desktop follows redirects (its HTTP stack does) and accepts the result; an http hop is noted.</li>
 *   <li>Outlook re-sends its POST to the new URL, but only to an https one, and asks the user whether to allow a
 *       redirect to another server.</li>
 *   <li>Apple devices download the profile through the browser, which follows redirects; an http hop is noted
 *       (the profile's own signature, not the transport, is what the device shows as verified).</li>
 * </ul>
 * An http URL the user asked for first (a bare responder on loopback) is not a redirect: only noted.
 */
final class RedirectRules {
    private RedirectRules() {}

    /** The verdict with what this client makes of the chain added to its problems or notes. */
    static ClientVerdict apply(ClientVerdict verdict, ProbeHttp.Response response) {
        List<ProbeHttp.Hop> hops = response.redirects();
        if (hops.isEmpty()) {
            return verdict;
        }
        List<String> problems = new ArrayList<>(verdict.problems());
        List<String> notes = new ArrayList<>(verdict.notes());
        String chain = describe(response);
        String httpHop = null;
        for (int i = 1; i <= hops.size(); i++) {
            String url = i < hops.size() ? hops.get(i).url() : response.url();
            if (!isHttps(url)) {
                httpHop = url;
                break;
            }
        }
        boolean otherHost = !host(hops.get(0).url()).equals(host(response.url()));
        switch (verdict.client()) {
            case AutoconfigRules.K9 -> {
                if (httpHop != null) {
                    problems.add("redirected over http (" + httpHop + "): Thunderbird for Android trusts settings only"
                            + " when every hop is https, and asks the user to confirm these; redirects: " + chain);
                } else {
                    notes.add("followed redirects, all https: " + chain);
                }
            }
            case AutodiscoverRules.OUTLOOK -> {
                if (httpHop != null) {
                    problems.add("redirected to http (" + httpHop + "): Outlook follows Autodiscover redirects to https"
                            + " URLs only; redirects: " + chain);
                } else {
                    notes.add("Outlook re-sends the request to the new URL" + (otherHost
                            ? " and asks the user whether to allow " + host(response.url()) + " to configure the account" : "")
                            + "; redirects: " + chain);
                }
            }
            default -> notes.add("followed redirects" + (httpHop != null ? ", one over http (" + httpHop + ")" : "")
                    + ": " + chain);
        }
        if (!isHttps(hops.get(0).url())) {
            notes.add("the first URL is http: clients try https first");
        }
        return new ClientVerdict(verdict.client(), verdict.source(), verdict.servers(), problems, notes);
    }

    /** {@code 301 http://a/x -> https://b/x, ...}. */
    static String describe(ProbeHttp.Response response) {
        StringBuilder b = new StringBuilder();
        for (ProbeHttp.Hop hop : response.redirects()) {
            b.append(b.length() == 0 ? "" : ", ").append(hop.status()).append(' ').append(hop.url()).append(" -> ")
                    .append(hop.location());
        }
        return b.toString();
    }

    private static boolean isHttps(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("https://");
    }

    private static String host(String url) {
        try {
            String h = java.net.URI.create(url).getHost();
            return h == null ? "" : h.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
