package dev.autogen.cli;

import dev.autogen.probe.PaccProbe;
import dev.autogen.probe.ProbeHttp;
import dev.autogen.probe.ProbeReport;
import dev.autogen.probe.Proxies;
import dev.autogen.text.Domains;
import dev.autogen.probe.Prober;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code autogen probe}: asks a live deployment what mail clients ask and reports what each client would conclude. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Ask a live deployment every question a mail client asks (autoconfig with and without the"
                + " address, at both paths; Autodiscover POST, GET and v2 JSON; Apple profiles) and report what"
                + " Thunderbird, K-9 / Thunderbird for Android, Outlook and Apple Mail would conclude.",
                "Redirects are followed and judged the way each client treats them (Thunderbird for Android trusts"
                + " settings only if every hop was https). HTTP/2 is used where the server offers it over TLS.",
                "Also fetches the PACC document from https://ua-auto-config.<domain> and checks it against its"
                        + " _ua-auto-config TXT digest (from DNS, or from a rendered zone with --pacc-zone).",
                "Exit status 0 when every client would accept the deployment, 7 when some client would not, 8 when"
                + " the deployment (or the proxy) could not be connected to at all."})
public final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL",
            description = "The deployment's base URL, e.g. https://autoconfig.example.com or http://127.0.0.1:8080.")
    String url;

    @Option(names = "--email", required = true, paramLabel = "ADDRESS",
            description = "The address to ask about (any address of a configured domain; it need not exist).")
    String email;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Ask for this host instead of the URL's, connecting to the URL's address (like curl --resolve):"
                    + " the Host header, TLS server name and certificate check use HOST. Default for an http:// URL at an IP"
                    + " address or localhost (a bare responder): the address's domain.")
    String host;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "Connect through this HTTP proxy (http://HOST:PORT; https:// URLs through a CONNECT tunnel)."
                    + " Default: the https_proxy and http_proxy environment variables; no_proxy is honoured.")
    String proxy;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "Also trust the CA certificates in this PEM file (besides the system trust store), e.g. a"
                    + " private or test CA.")
    Path cacert;

    @Option(names = "--no-static", description = "URL is a bare autogen-responder, not the web server in front of it:"
            + " do not ask for the address-less Apple profile (a static file from the site's public/ tree).")
    boolean noStatic;

    @Option(names = "--pacc-zone", paramLabel = "FILE",
            description = "Check the PACC document against the digest in this zone snippet (conf/dns/<domain>.zone"
                    + " of the rendered site) instead of DNS: before the TXT record is published.")
    Path paccZone;

    @Option(names = "--resolver", paramLabel = "HOST[:PORT]",
            description = "The DNS server to ask for the PACC digest (default: the system's first nameserver).")
    String resolver;

    @Option(names = "--no-pacc", description = "Do not fetch the PACC document (https://ua-auto-config.<domain>).")
    boolean noPacc;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Connect and read timeout per request, in seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        URI base;
        try {
            base = new URI(url);
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "URL: " + e.getMessage());
        }
        if (email.indexOf('@') <= 0 || email.endsWith("@") || email.chars().anyMatch(c -> c <= ' ')) {
            throw new ParameterException(spec.commandLine(), "--email: not an email address: " + email);
        }
        if (base.getScheme() == null || !base.getScheme().matches("(?i)https?") || base.getHost() == null) {
            throw new ParameterException(spec.commandLine(), "URL: not an http:// or https:// URL: " + url);
        }
        String virtualHost = host;
        if (virtualHost == null && base.getScheme().equalsIgnoreCase("http") && ProbeHttp.isAddressOrLocalhost(base.getHost())) {
            // A bare responder keys on the Host header: ask for the address's own domain, as a client would.
            virtualHost = asciiDomain(email.substring(email.lastIndexOf('@') + 1));
        }
        Proxies proxies;
        try {
            proxies = proxy != null ? Proxies.of(proxy, environment) : Proxies.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<X509Certificate> cas = cacert == null ? List.of() : certificates(cacert);
        ProbeReport report;
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        PaccProbe.DigestSource digests = noPacc ? null : paccDigests(timeout);
        try (ProbeHttp http = new ProbeHttp(base, virtualHost, timeout, proxies, cas);
             ProbeHttp paccHttp = noPacc ? null : paccHttp(base, virtualHost, timeout, proxies, cas)) {
            Prober prober = new Prober(http, email, !noStatic);
            if (paccHttp != null) {
                prober.withPacc(new PaccProbe(paccHttp, digests));
            }
            report = prober.run();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.toJson() : report.toText());
        out.flush();
        return report.ok() ? ExitCodes.OK : !report.reachable() ? ExitCodes.UNREACHABLE : ExitCodes.PROBE_FAILED;
    }

    /**
     * PACC lives on its own name, {@code https://ua-auto-config.<domain>}. A deployment asked for another host
     * ({@code --host}, or a bare responder) is asked at the same URL with that name instead.
     */
    private ProbeHttp paccHttp(URI base, String virtualHost, Duration timeout, Proxies proxies,
                               List<X509Certificate> cas) {
        String name = "ua-auto-config." + asciiDomain(email.substring(email.lastIndexOf('@') + 1));
        return virtualHost != null ? new ProbeHttp(base, name, timeout, proxies, cas)
                : new ProbeHttp(URI.create("https://" + name), null, timeout, proxies, cas);
    }

    /** The PACC digest: from the rendered zone with --pacc-zone, else from DNS. */
    private PaccProbe.DigestSource paccDigests(Duration timeout) {
        if (paccZone != null) {
            return PaccProbe.zone(paccZone);
        }
        try {
            org.xbill.DNS.SimpleResolver dns = resolver == null ? new org.xbill.DNS.SimpleResolver()
                    : new org.xbill.DNS.SimpleResolver(DnsCommand.Check.socketAddress(resolver));
            dns.setTimeout(timeout);
            return PaccProbe.dns(dns, "DNS (" + dns.getAddress().getAddress().getHostAddress() + ":"
                    + dns.getAddress().getPort() + ")");
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--resolver: " + e.getMessage());
        }
    }

    /** The environment the proxy variables are read from; tests replace it. */
    public Map<String, String> environment = System.getenv();

    /** The Host header form of a domain: its IDNA2008 A-label form, as the responder keys on it. */
    private static String asciiDomain(String domain) {
        String ascii = Domains.toAsciiOrNull(domain);
        return ascii != null ? ascii : domain.toLowerCase(Locale.ROOT); // invalid: the responder answers 400, reported
    }

    private List<X509Certificate> certificates(Path file) {
        List<X509Certificate> result = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                result.add((X509Certificate) c);
            }
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--cacert: cannot read " + file);
        } catch (CertificateException e) {
            throw new ParameterException(spec.commandLine(), "--cacert: " + file + " is not a PEM file of certificates");
        }
        if (result.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--cacert: " + file + " holds no certificate");
        }
        return result;
    }
}
