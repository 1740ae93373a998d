package dev.autogen.cli;

import dev.autogen.probe.PaccProbe;
import dev.autogen.probe.ProbeHttp;
import dev.autogen.probe.ProbeReport;
import dev.autogen.probe.Prober;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code autogen probe}: asks a live deployment what mail clients ask and reports what each client would conclude. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Ask a live deployment every question a mail client asks (autoconfig with and without the"
                + " address, at both paths; Autodiscover POST, GET and v2 JSON; Apple profiles) and report what"
                + " Thunderbird, K-9 / Thunderbird for Android, Outlook and Apple Mail would conclude.",
                "Also fetches the PACC document from https://ua-auto-config.<domain> and checks it against its"
                        + " _ua-auto-config TXT digest (from DNS, or from a rendered zone with --pacc-zone).",
                "Exit status 0 when every client would accept the deployment, 7 otherwise."})
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
            description = "Send this Host header instead of the URL's host, e.g. to test a responder on loopback.")
    String host;

    @Option(names = "--no-static", description = "URL is a bare autogen-responder, not the web server in front of it:"
            + " do not ask for the address-less Apple profile (a static file from the site's public/ tree).")
    boolean noStatic;

    @Option(names = "--pacc-zone", paramLabel = "FILE",
            description = "Check the PACC document against the digest in this zone snippet (conf/dns/<domain>.zone"
                    + " of the rendered site) instead of DNS: before the TXT record is published.")
    java.nio.file.Path paccZone;

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
        ProbeHttp http;
        try {
            http = new ProbeHttp(base, host, Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "URL: " + e.getMessage());
        }
        Prober prober = new Prober(http, email, !noStatic);
        if (!noPacc) {
            prober.withPacc(pacc(base, Duration.ofSeconds(timeoutSeconds)));
        }
        ProbeReport report = prober.run();
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.toJson() : report.toText());
        out.flush();
        return report.ok() ? ExitCodes.OK : ExitCodes.PROBE_FAILED;
    }

    /**
     * PACC lives on its own name: {@code https://ua-auto-config.<domain>}. With {@code --host} (a deployment tested
     * by address) the same base URL is asked with that name as the Host header.
     */
    private PaccProbe pacc(URI base, Duration timeout) {
        String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
        String name = "ua-auto-config." + domain;
        ProbeHttp http = host != null ? new ProbeHttp(base, name, timeout)
                : new ProbeHttp(URI.create("https://" + name), null, timeout);
        if (paccZone != null) {
            return new PaccProbe(http, PaccProbe.zone(paccZone));
        }
        try {
            org.xbill.DNS.SimpleResolver dns = resolver == null ? new org.xbill.DNS.SimpleResolver()
                    : new org.xbill.DNS.SimpleResolver(DnsCommand.Check.socketAddress(resolver));
            dns.setTimeout(timeout);
            return new PaccProbe(http, PaccProbe.dns(dns, "DNS (" + dns.getAddress().getAddress().getHostAddress()
                    + ":" + dns.getAddress().getPort() + ")"));
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--resolver: " + e.getMessage());
        }
    }
}
