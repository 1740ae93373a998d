package dev.autogen.db;

import dev.autogen.model.Site;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * Not a test: a runnable harness that measures {@link DatabaseSource#load} on a large automx2 database.
 * <pre>
 * mvn -q -pl generator test-compile
 * java -cp "generator/target/classes:generator/target/test-classes:$(cat cp.txt)" dev.autogen.db.LoadBenchmark [DOMAINS] [URL]
 * </pre>
 * (cp.txt from {@code mvn -q -pl generator dependency:build-classpath -Dmdep.outputFile=cp.txt}, or use
 * generator/target/autogen.jar, which holds every dependency; {@code -Druns=1} loads once). Without URL a
 * temporary SQLite file is used; with one, the database must have automx2's empty schema ({@code autogen initdb}).
 * 100 domains per provider, 4 servers per provider shared by its domains, one CalDAV server per provider.
 */
public final class LoadBenchmark {
    public static void main(String[] args) throws Exception {
        int domains = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path tmp = null;
        String url;
        if (args.length > 1) {
            url = args[1];
        } else {
            tmp = Files.createTempDirectory("autogen-bench");
            url = "jdbc:sqlite:" + tmp.resolve("automx2.sqlite");
            Schema.initialize(DatabaseUrl.parse(url), false);
        }
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        long t0 = System.nanoTime();
        if (Boolean.parseBoolean(System.getProperty("fill", "true"))) { // -Dfill=false: URL is filled already
            try (Connection c = DriverManager.getConnection(parsed.jdbcUrl(), parsed.connectionProperties())) {
                c.setAutoCommit(false);
                fill(c, domains);
                c.commit();
            }
        }
        long t1 = System.nanoTime();
        System.out.printf("filled %d domains in %.2f s%n", domains, (t1 - t0) / 1e9);
        Site site = null;
        int runs = Integer.getInteger("runs", 3);
        for (int run = 1; run <= runs; run++) {
            site = null;
            long s = System.nanoTime();
            site = DatabaseSource.load(url, true, w -> { throw new AssertionError(w); });
            System.out.printf("run %d: loaded %d domains of %d providers in %.2f s%n", run, site.domains().size(),
                    site.providers().size(), (System.nanoTime() - s) / 1e9);
        }
        // What the model holds once loaded (peak RSS of the load: measure outside, with /usr/bin/time -v).
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        System.out.printf("live heap with the model: %d MiB (%d domains)%n", (rt.totalMemory() - rt.freeMemory()) >> 20,
                site == null ? 0 : site.domains().size());
        if (tmp != null) {
            Files.deleteIfExists(tmp.resolve("automx2.sqlite"));
            Files.deleteIfExists(tmp);
        }
    }

    private static void fill(Connection c, int domains) throws Exception {
        try (PreparedStatement provider = c.prepareStatement("INSERT INTO provider (id, name, short_name) VALUES (?, ?, ?)");
             PreparedStatement domain = c.prepareStatement("INSERT INTO domain (id, name, provider_id) VALUES (?, ?, ?)");
             PreparedStatement server = c.prepareStatement("INSERT INTO server (id, prio, name, port, type, socket_type,"
                     + " user_name, authentication) VALUES (?, ?, ?, ?, ?, ?, '%EMAILADDRESS%', 'plain')");
             PreparedStatement link = c.prepareStatement("INSERT INTO server_domain (server_id, domain_id) VALUES (?, ?)");
             PreparedStatement dav = c.prepareStatement("INSERT INTO davserver (id, url, port, type, use_ssl,"
                     + " domain_required, user_name) VALUES (?, ?, 0, 'caldav', TRUE, FALSE, NULL)");
             PreparedStatement davLink = c.prepareStatement(
                     "INSERT INTO davserver_domain (davserver_id, domain_id) VALUES (?, ?)")) {
            int providers = (domains + 99) / 100;
            for (int p = 1; p <= providers; p++) {
                provider.setInt(1, p);
                provider.setString(2, "Provider " + p);
                provider.setString(3, "P" + p);
                provider.addBatch();
                String[][] kinds = {{"imap", "993", "SSL"}, {"imap", "143", "STARTTLS"}, {"smtp", "465", "SSL"},
                        {"smtp", "587", "STARTTLS"}};
                for (int k = 0; k < kinds.length; k++) {
                    server.setInt(1, p * 4 + k);
                    server.setInt(2, 10 + k);
                    server.setString(3, kinds[k][0] + ".p" + p + ".example");
                    server.setInt(4, Integer.parseInt(kinds[k][1]));
                    server.setString(5, kinds[k][0]);
                    server.setString(6, kinds[k][2]);
                    server.addBatch();
                }
                dav.setInt(1, p);
                dav.setString(2, "https://dav.p" + p + ".example/");
                dav.addBatch();
            }
            for (int d = 1; d <= domains; d++) {
                int p = (d - 1) / 100 + 1;
                domain.setInt(1, d);
                domain.setString(2, "d" + d + ".example");
                domain.setInt(3, p);
                domain.addBatch();
                for (int k = 0; k < 4; k++) {
                    link.setInt(1, p * 4 + k);
                    link.setInt(2, d);
                    link.addBatch();
                }
                davLink.setInt(1, p);
                davLink.setInt(2, d);
                davLink.addBatch();
            }
            provider.executeBatch();
            server.executeBatch();
            dav.executeBatch();
            domain.executeBatch();
            link.executeBatch();
            davLink.executeBatch();
        }
    }
}
