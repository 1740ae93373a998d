package dev.autogen.probe;

import dev.autogen.text.Escape;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Asks a live deployment every question a mail client asks, and evaluates each answer with that client's rules.
 * The HTTP side is here; the client rules are pure functions in {@link AutoconfigRules}, {@link AutodiscoverRules}
 * and {@link ProfileRules}.
 */
public final class Prober {
    static final String AUTOCONFIG = "/mail/config-v1.1.xml";
    static final String WELL_KNOWN = "/.well-known/autoconfig/mail/config-v1.1.xml";
    static final String AUTODISCOVER = "/autodiscover/autodiscover.xml";
    static final String AUTODISCOVER_JSON = "/autodiscover/autodiscover.json";
    /** The per-user profile (responder) and the address-less one (static, public/DOMAIN/DOMAIN.mobileconfig). */
    static final String PROFILE = "/mobileconfig/";

    private final ProbeHttp http;
    private final boolean staticFiles;
    private final String address;
    private final String domain;
    private final List<RequestCheck> requests = new ArrayList<>();
    private final List<ClientVerdict> clients = new ArrayList<>();
    private PaccProbe pacc;

    public Prober(ProbeHttp http, String address) {
        this(http, address, true);
    }

    /**
     * @param staticFiles false when the URL is a bare responder rather than the web server in front of it: the
     *                    address-less profile is then not asked for (it is a static file under public/, which only
     *                    the web server or CDN serves)
     */
    public Prober(ProbeHttp http, String address, boolean staticFiles) {
        this.staticFiles = staticFiles;
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("not an email address: " + address);
        }
        this.http = http;
        this.address = address;
        this.domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** Also fetch the PACC document and check it against its DNS digest (see {@link PaccProbe}). */
    public Prober withPacc(PaccProbe pacc) {
        this.pacc = pacc;
        return this;
    }

    public ProbeReport run() {
        String query = "?emailaddress=" + encode(address);
        // Thunderbird desktop sends the address, at both paths; K-9, KMail and Geary send none.
        for (String path : List.of(AUTOCONFIG, WELL_KNOWN)) {
            ProbeHttp.Response withAddress = fetch("autoconfig with address", "GET", path + query, null);
            if (withAddress != null) {
                clients.add(RedirectRules.apply(AutoconfigRules.thunderbird(path + query, withAddress.body(),
                        withAddress.header("content-type"), address), withAddress));
            }
            ProbeHttp.Response without = fetch("autoconfig without address", "GET", path, null);
            if (without != null) {
                clients.add(RedirectRules.apply(AutoconfigRules.k9(path, without.body(), address), without));
            }
        }

        ProbeHttp.Response pox = fetch("Autodiscover POST (Outlook schema)", "POST", AUTODISCOVER, outlookRequest());
        if (pox != null) {
            clients.add(RedirectRules.apply(AutodiscoverRules.outlook("POST " + AUTODISCOVER, pox.body()), pox));
        }
        autodiscoverWithoutBody();
        autodiscoverJson(AUTODISCOVER_JSON + "?Email=" + encode(address) + "&Protocol=AutodiscoverV1");
        autodiscoverJson(AUTODISCOVER_JSON + "/v1.0/" + encode(address) + "?Protocol=AutodiscoverV1");

        String perUser = PROFILE + query;
        ProbeHttp.Response profile = fetch("per-user Apple profile", "GET", perUser, null);
        if (profile != null) {
            clients.add(RedirectRules.apply(ProfileRules.apple(perUser, profile.body(), profile.header("content-type"),
                    address, http.extraCas()), profile));
        }
        if (staticFiles) {
            String addressLess = PROFILE + domain + ".mobileconfig";
            ProbeHttp.Response generic = fetch("address-less Apple profile", "GET", addressLess, null);
            if (generic != null) {
                clients.add(RedirectRules.apply(ProfileRules.apple(addressLess, generic.body(), generic.header("content-type"), null,
                        http.extraCas()), generic));
            }
        }
        if (pacc != null) {
            pacc.run(address, domain, requests::add, clients::add);
        }
        return new ProbeReport(http.hostHeader(), address, requests, clients);
    }

    /** Some clients (Delta Chat) GET the Autodiscover URL with no body: the answer must not be a server error. */
    private void autodiscoverWithoutBody() {
        List<String> problems = new ArrayList<>();
        ProbeHttp.Response r = exchange("GET", AUTODISCOVER, null, problems);
        if (r != null) {
            if (r.status() >= 500) {
                problems.add("HTTP " + r.status() + ": a GET without body must get a 200 Autodiscover error, not a crash");
            } else if (r.status() == 200) {
                try {
                    String root = SafeXml.parse(r.body()).getDocumentElement().getLocalName();
                    if (!"Autodiscover".equals(root)) {
                        problems.add("the answer's root element is <" + root + ">, not <Autodiscover>");
                    }
                } catch (ProbeException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        record("Autodiscover GET without body", "GET", AUTODISCOVER, r, problems);
    }

    private void autodiscoverJson(String path) {
        List<String> problems = new ArrayList<>();
        ProbeHttp.Response r = exchange("GET", path, null, problems);
        if (r != null) {
            if (r.status() != 200) {
                problems.add("HTTP " + r.status() + ", expected 200");
            } else {
                problems.addAll(AutodiscoverRules.v2Json(r.body()));
            }
        }
        record("Autodiscover v2 JSON", "GET", path, r, problems);
    }

    /** Makes the request, records it, and returns the answer when it is a 200 the client would read; else null. */
    private ProbeHttp.Response fetch(String name, String method, String path, byte[] body) {
        List<String> problems = new ArrayList<>();
        ProbeHttp.Response r = exchange(method, path, body, problems);
        if (r != null && r.status() != 200) {
            problems.add("HTTP " + r.status() + ", expected 200");
        }
        record(name, method, path, r, problems);
        return r != null && r.status() == 200 ? r : null;
    }

    private ProbeHttp.Response exchange(String method, String path, byte[] body, List<String> problems) {
        unreachable = false;
        try {
            return body == null ? http.get(path) : http.post(path, "text/xml; charset=utf-8", body);
        } catch (ProbeHttp.ConnectFailure e) {
            unreachable = true;
            problems.add("no answer: " + e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            problems.add("no answer: " + dev.autogen.text.IoErrors.describe(e));
            return null;
        }
    }

    /** Whether the last {@link #exchange} could not connect at all. */
    private boolean unreachable;

    private void record(String name, String method, String path, ProbeHttp.Response r, List<String> problems) {
        List<String> redirects = new ArrayList<>();
        if (r != null) {
            for (ProbeHttp.Hop hop : r.redirects()) {
                redirects.add(hop.status() + " " + hop.url() + " -> " + hop.location());
            }
        }
        requests.add(new RequestCheck(name, method, path, r == null ? -1 : r.status(),
                r == null ? null : r.header("content-type"), r == null ? 0 : r.body().length, problems,
                r == null ? null : r.url(), r == null ? null : r.version(), redirects, r == null && unreachable));
    }

    /** What Outlook POSTs: the address and the response schema it accepts. The address is XML-escaped. */
    private byte[] outlookRequest() {
        String escaped = Escape.xml(address);
        return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                + "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">\n"
                + "  <Request>\n"
                + "    <EMailAddress>" + escaped + "</EMailAddress>\n"
                + "    <AcceptableResponseSchema>" + AutodiscoverRules.OUTLOOK_RESPONSE_NS + "</AcceptableResponseSchema>\n"
                + "  </Request>\n"
                + "</Autodiscover>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
