package dev.autogen.render;

import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Not a test: a runnable harness that renders a synthetic site and writes it to disk, printing the time taken.
 * <pre>
 * mvn -q -pl generator test-compile
 * java -cp generator/target/classes:generator/target/test-classes:$(cat cp.txt) dev.autogen.render.RenderBenchmark \
 *      100000 1000 /tmp/autogen-bench [--parts]
 * </pre>
 * Arguments: domains, providers (domains are spread evenly; each provider has its own servers), output directory,
 * then flags: {@code --parts} renders only this package's documents (autoconfig, Autodiscover), {@code --no-write}
 * renders without writing, {@code --rounds=N} repeats the render N times (default 3; later rounds run warm).
 */
public final class RenderBenchmark {
    public static void main(String[] args) throws Exception {
        int domainCount = Integer.parseInt(args[0]);
        int providerCount = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        List<String> flags = List.of(args).subList(3, args.length);
        boolean partsOnly = flags.contains("--parts");
        boolean write = !flags.contains("--no-write");
        int rounds = flags.stream().filter(f -> f.startsWith("--rounds=")).map(f -> Integer.parseInt(f.substring(9)))
                .findFirst().orElse(3);
        Site site = site(domainCount, providerCount);
        for (int round = 1; round <= rounds; round++) {
            Path dir = out.resolve("round" + round);
            long start = System.nanoTime();
            long cpuStart = cpuNanos();
            DirectorySink sink = new DirectorySink(write ? dir : null);
            SiteRenderer renderer = new SiteRenderer(GoldenDocumentsTest.SETTINGS);
            record Entry(Provider provider, Domain domain) {}
            List<Entry> entries = new ArrayList<>(domainCount);
            site.providers().forEach(p -> p.domains().forEach(d -> entries.add(new Entry(p, d))));
            if (partsOnly) {
                entries.parallelStream().forEach(e -> {
                    SiteRenderer.Autoconfig a = renderer.autoconfig(e.provider(), e.domain());
                    sink.put("private/" + a.doc().path(), a.doc().bytes());
                    byte[] pub = renderer.publicAutoconfig(e.provider(), e.domain());
                    sink.put("public/" + e.domain().name() + "/mail/config-v1.1.xml", pub);
                    sink.put("public/" + e.domain().name() + "/.well-known/autoconfig/mail/config-v1.1.xml", pub);
                    SiteRenderer.Doc outlook = renderer.outlook(e.domain());
                    sink.put("private/" + outlook.path(), outlook.bytes());
                    renderer.mobileSync(e.domain()).ifPresent(d -> sink.put("private/" + d.path(), d.bytes()));
                });
            } else {
                entries.parallelStream().forEach(e -> renderer.renderDomain(site, e.provider(), e.domain(), sink));
                renderer.renderSiteFiles(site, sink);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long cpuMillis = (cpuNanos() - cpuStart) / 1_000_000;
            System.out.printf("round %d: %d domains, %d providers, %d files, %d ms elapsed, %d ms CPU (all threads)%n",
                    round, domainCount, providerCount, sink.written.size(), millis, cpuMillis);
        }
    }

    /** CPU time of the whole process: on a shared machine, elapsed time says more about the neighbours. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static Site site(int domainCount, int providerCount) {
        List<Provider> providers = new ArrayList<>(providerCount);
        int perProvider = Math.max(1, domainCount / providerCount);
        int made = 0;
        for (int p = 0; p < providerCount && made < domainCount; p++) {
            String host = "mail.provider" + p + ".example";
            List<MailServer> servers = List.of(
                    TestSites.server(MailServer.Protocol.IMAP, host, 993, MailServer.Security.SSL, 10,
                            MailServer.Authentication.PASSWORD_CLEARTEXT),
                    TestSites.server(MailServer.Protocol.POP3, host, 995, MailServer.Security.SSL, 20,
                            MailServer.Authentication.PASSWORD_CLEARTEXT),
                    TestSites.server(MailServer.Protocol.SMTP, host, 465, MailServer.Security.SSL, 10,
                            MailServer.Authentication.PASSWORD_CLEARTEXT),
                    TestSites.server(MailServer.Protocol.SMTP, host, 587, MailServer.Security.STARTTLS, 20,
                            MailServer.Authentication.PASSWORD_CLEARTEXT));
            List<DavServer> dav = List.of(new DavServer(DavServer.Type.CALDAV,
                    URI.create("https://dav.provider" + p + ".example/"), "%EMAILADDRESS%"));
            List<Domain> domains = new ArrayList<>();
            int count = p == providerCount - 1 ? domainCount - made : Math.min(perProvider, domainCount - made);
            for (int i = 0; i < count; i++, made++) {
                String name = "d" + made + ".provider" + p + ".example";
                domains.add(new Domain(name, servers, dav, Optional.empty(),
                        Optional.of("https://eas.provider" + p + ".example/Microsoft-Server-ActiveSync"),
                        "autodiscover." + name, Optional.empty()));
            }
            providers.add(new Provider("provider" + p + ".example", "Provider " + p, "P" + p, Optional.empty(),
                    domains));
        }
        return new Site(providers, List.of());
    }

    /** Writes each path once (content-addressed documents arrive many times). */
    static final class DirectorySink implements FileSink {
        final Path root;
        final Set<String> written = ConcurrentHashMap.newKeySet();

        DirectorySink(Path root) {
            this.root = root;
        }

        @Override
        public void put(String relativePath, byte[] content) {
            if (!written.add(relativePath) || root == null) {
                return;
            }
            Path file = root.resolve(relativePath);
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
