package dev.autogen.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.autogen.dns.DnsCheck;
import dev.autogen.model.Domain;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import dev.autogen.render.DnsZoneRenderer;
import dev.autogen.render.RenderSettings;
import dev.autogen.render.SiteRenderer;
import org.xbill.DNS.SimpleResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code autogen dns records|check}: the DNS records a site needs, and whether live DNS has them. */
@Command(name = "dns", description = "The DNS records the site needs (records), and whether live DNS has them (check).",
        subcommands = {DnsCommand.Records.class, DnsCommand.Check.class})
public final class DnsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: records or check");
    }

    /** The domains to work on, with their providers, in the site's order. */
    record Selected(Site site, List<Map.Entry<Provider, Domain>> domains) {}

    /** Loads the site and picks the {@code --domain}s (all when none); an unknown domain is a usage error. */
    static Selected select(CommandSpec spec, SourceOptions source, List<String> wanted) throws CliException {
        source.validate();
        Site site = source.load(w -> spec.commandLine().getErr().println(Main.NAME + ": warning: " + w));
        Map<String, Map.Entry<Provider, Domain>> all = new LinkedHashMap<>();
        for (Provider p : site.providers()) {
            for (Domain d : p.domains()) {
                all.put(d.name(), Map.entry(p, d));
            }
        }
        if (wanted == null || wanted.isEmpty()) {
            return new Selected(site, List.copyOf(all.values()));
        }
        List<Map.Entry<Provider, Domain>> picked = new ArrayList<>();
        for (String w : wanted) {
            String name;
            try {
                name = IDN.toASCII(w.endsWith(".") ? w.substring(0, w.length() - 1) : w).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                name = w;
            }
            Map.Entry<Provider, Domain> e = all.get(name);
            if (e == null) {
                throw new ParameterException(spec.commandLine(), "--domain " + w + ": not a domain of "
                        + source.describe());
            }
            if (!picked.contains(e)) {
                picked.add(e);
            }
        }
        return new Selected(site, picked);
    }

    /** Just a renderer for DNS: web-server settings play no part in the records. */
    static SiteRenderer renderer() {
        return new SiteRenderer(new RenderSettings(Optional.empty(), "/", RenderCommand.DEFAULT_RESPONDER_URL));
    }

    @Command(name = "records", sortOptions = false,
            description = {"Print the DNS records the site needs: exactly the snippets a render writes to conf/dns/"
                    + " (zone format), or the same records as JSON.", "Writes nothing."},
            footer = {"", "Exit status: 0 done, 2 usage, 3 invalid input, 4 input unreadable."})
    static final class Records implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SourceOptions source;

        @Option(names = "--domain", paramLabel = "D", description = "Only this domain (repeatable; default: all).")
        List<String> domains;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "zone",
                description = "zone (default): zone-file snippets; json: [{domain, records: [{name, type, values, what}]}].")
        String format;

        @Override
        public Integer call() {
            if (!format.equals("zone") && !format.equals("json")) {
                throw new ParameterException(spec.commandLine(), "--format: expected zone or json, got " + format);
            }
            PrintWriter out = spec.commandLine().getOut();
            Selected selected;
            try {
                selected = select(spec, source, domains);
            } catch (CliException e) {
                return fail(spec, e);
            }
            SiteRenderer renderer = renderer();
            if (format.equals("zone")) {
                boolean first = true;
                for (Map.Entry<Provider, Domain> e : selected.domains()) {
                    if (!first) {
                        out.println();
                    }
                    first = false;
                    out.print(new String(renderer.dnsZone(selected.site(), e.getKey(), e.getValue()),
                            StandardCharsets.UTF_8));
                }
            } else {
                json(selected, renderer, out);
                out.print("\n");
            }
            out.flush();
            return ExitCodes.OK;
        }

        /** Written as it is generated, domain by domain: a million domains' records are not held as one text. */
        private static void json(Selected selected, SiteRenderer renderer, PrintWriter out) {
            try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .createGenerator(out).useDefaultPrettyPrinter()) {
                g.writeStartArray();
                for (Map.Entry<Provider, Domain> e : selected.domains()) {
                    g.writeStartObject();
                    g.writeStringField("domain", e.getValue().name());
                    g.writeArrayFieldStart("records");
                    for (DnsZoneRenderer.Expected r : renderer.dnsRecords(selected.site(), e.getKey(), e.getValue())) {
                        g.writeStartObject();
                        g.writeStringField("name", r.name());
                        g.writeStringField("type", r.type());
                        g.writeArrayFieldStart("values");
                        for (String v : r.values()) {
                            g.writeString(v);
                        }
                        g.writeEndArray();
                        g.writeStringField("what", r.what());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "check", sortOptions = false,
            description = {"Ask live DNS for every record the site needs and report, per record, PASS, MISSING,"
                    + " DRIFT (expected and found) or ERROR (timeout, SERVFAIL, refused); also each domain's MX and"
                    + " whether Thunderbird's MX step would find this site.",
                    "All queries run in parallel; the whole check ends after --timeout."},
            footer = {"", "Exit status: 0 every record PASS, 10 some record MISSING or DRIFT, 11 some query failed"
                    + " (ERROR: DNS unreachable or refusing), 2 usage, 3 invalid input, 4 input unreadable."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SourceOptions source;

        @Option(names = "--domain", paramLabel = "D", description = "Only this domain (repeatable; default: all).")
        List<String> domains;

        @Option(names = "--resolver", paramLabel = "HOST[:PORT]",
                description = "The DNS server to ask (default: the first nameserver of /etc/resolv.conf). An"
                        + " authoritative server shows what you published before caches expire; IPv6 as [::1]:53.")
        String resolver;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "Time limit of the whole check (default: ${DEFAULT-VALUE}); each query waits at most"
                        + " 5 s of it.")
        double timeoutSeconds;

        @Option(names = {"-q", "--quiet"}, description = "Print only records that did not pass, and the summary.")
        boolean quiet;

        @Override
        public Integer call() {
            if (!(timeoutSeconds > 0) || timeoutSeconds > 3600) {
                throw new ParameterException(spec.commandLine(), "--timeout: expected 0 < SECONDS <= 3600");
            }
            Duration total = Duration.ofMillis((long) (timeoutSeconds * 1000));
            SimpleResolver dns = resolver(total);
            Selected selected;
            try {
                selected = select(spec, source, domains);
            } catch (CliException e) {
                return fail(spec, e);
            }
            SiteRenderer renderer = renderer();
            Set<String> ours = new HashSet<>();
            selected.site().domains().forEach(d -> ours.add(d.name()));
            // Each domain's expected records are made when it is checked, and its outcome printed when its answers
            // are in: nothing per domain is kept but the counts (a million domains' answers took gigabytes).
            Iterator<Map.Entry<Provider, Domain>> domains = selected.domains().iterator();
            Iterator<DnsCheck.Target> targets = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return domains.hasNext();
                }

                @Override
                public DnsCheck.Target next() {
                    Map.Entry<Provider, Domain> e = domains.next();
                    return new DnsCheck.Target(e.getValue().name(),
                            renderer.dnsRecords(selected.site(), e.getKey(), e.getValue()));
                }
            };
            PrintWriter out = spec.commandLine().getOut();
            Map<DnsCheck.Status, Integer> counts = new EnumMap<>(DnsCheck.Status.class);
            for (DnsCheck.Status s : DnsCheck.Status.values()) {
                counts.put(s, 0);
            }
            DnsCheck.Summary summary = new DnsCheck(dns, total, ours::contains).run(targets,
                    domain -> print(out, domain, counts));
            double seconds = summary.nanos() / 1e9;
            out.printf(Locale.ROOT, "%d domain%s, %d records: %d PASS, %d MISSING, %d DRIFT, %d ERROR"
                            + " (%d queries to %s in %.2f s, %.0f queries/s)%n",
                    summary.domains(), summary.domains() == 1 ? "" : "s", summary.records(),
                    counts.get(DnsCheck.Status.PASS), counts.get(DnsCheck.Status.MISSING),
                    counts.get(DnsCheck.Status.DRIFT), counts.get(DnsCheck.Status.ERROR), summary.queries(),
                    address(dns), seconds, summary.queries() / Math.max(seconds, 1e-3));
            out.flush();
            if (counts.get(DnsCheck.Status.ERROR) > 0) {
                return ExitCodes.DNS_UNREACHABLE;
            }
            return counts.get(DnsCheck.Status.MISSING) + counts.get(DnsCheck.Status.DRIFT) > 0 ? ExitCodes.DNS_MISMATCH
                    : ExitCodes.OK;
        }

        /** One domain's records, then (unless quiet) its MX line; a domain without records prints nothing. */
        private void print(PrintWriter out, DnsCheck.DomainReport domain, Map<DnsCheck.Status, Integer> counts) {
            for (DnsCheck.Result r : domain.results()) {
                counts.merge(r.status(), 1, Integer::sum);
                if (quiet && r.status() == DnsCheck.Status.PASS) {
                    continue;
                }
                String values = r.expected().values().isEmpty() ? "" : " " + String.join(", ", r.expected().values());
                String rest = switch (r.status()) {
                    case PASS -> values;
                    case DRIFT -> " " + r.detail();
                    default -> values + "  (" + r.detail() + ")";
                };
                out.printf(Locale.ROOT, "%-8s %s %s%s%n", r.status(), r.expected().name(), r.expected().type(), rest);
            }
            if (!domain.results().isEmpty() && !quiet) {
                out.println("INFO     " + domain.domain() + ". " + domain.mx().detail());
            }
        }

        private SimpleResolver resolver(Duration total) {
            SimpleResolver dns;
            try {
                dns = resolver == null ? new SimpleResolver() : new SimpleResolver(socketAddress(resolver));
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--resolver: " + e.getMessage());
            }
            dns.setTimeout(total.compareTo(Duration.ofSeconds(5)) < 0 ? total : Duration.ofSeconds(5));
            return dns;
        }

        /** {@code HOST}, {@code HOST:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address; port 53 by default. */
        static InetSocketAddress socketAddress(String spec) throws UnknownHostException {
            String host = spec;
            int port = 53;
            if (spec.startsWith("[")) {
                int end = spec.indexOf(']');
                if (end < 0) {
                    throw new IllegalArgumentException("missing ] in " + spec);
                }
                host = spec.substring(1, end);
                if (spec.length() > end + 1) {
                    if (spec.charAt(end + 1) != ':') {
                        throw new IllegalArgumentException("expected [ADDRESS]:PORT, got " + spec);
                    }
                    port = port(spec.substring(end + 2));
                }
            } else if (spec.indexOf(':') >= 0 && spec.indexOf(':') == spec.lastIndexOf(':')) {
                host = spec.substring(0, spec.indexOf(':'));
                port = port(spec.substring(spec.indexOf(':') + 1));
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("no host in " + spec);
            }
            return new InetSocketAddress(InetAddress.getByName(host), port);
        }

        private static int port(String s) {
            try {
                int p = Integer.parseInt(s);
                if (p >= 1 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("'" + s + "' is not a port number (1-65535)");
        }

        private static String address(SimpleResolver dns) {
            InetSocketAddress a = dns.getAddress();
            String host = a.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }
    }

    private static int fail(CommandSpec spec, CliException e) {
        PrintWriter err = spec.commandLine().getErr();
        e.lines().forEach(line -> err.println(Main.NAME + ": " + line));
        err.flush();
        return e.exitCode();
    }
}
