package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload while requests run: no failed request, a broken version refused, the old one keeps serving. */
class ReloadTest {

    @TempDir Path dir;

    static HandBuiltSite withImapHost(String host) {
        HandBuiltSite s = new HandBuiltSite();
        String ac = s.doc(HandBuiltSite.AUTOCONFIG.replace("imap.example.com", host), "xml");
        String ol = s.doc(HandBuiltSite.OUTLOOK, "xml"), pl = s.doc(HandBuiltSite.PROFILE, "plist");
        return s.line("example.com", "example.com", ac, ol, "-", pl, "-", "https://autodiscover.example.com/autodiscover/autodiscover.xml", "-");
    }

    String version(TestServer s) throws Exception {
        String body = s.get("/health").body();
        return body.replaceAll(".*\"version\":\"([^\"]+)\".*\\s*", "$1");
    }

    void awaitVersion(TestServer s, String v) throws Exception {
        for (int i = 0; i < 100 && !version(s).equals(v); i++) Thread.sleep(100);
        assertEquals(v, version(s));
    }

    @Test
    void reloadUnderLoadLosesNoRequestAndRefusesABrokenSite() throws Exception {
        withImapHost("imap1.example.com").publish(dir, "1111111111111111");
        try (TestServer s = new TestServer(dir)) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
            Set<String> hostsSeen = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            Future<?>[] workers = new Future<?>[8];
            for (int w = 0; w < workers.length; w++) {
                workers[w] = pool.submit(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = s.get("/mail/config-v1.1.xml?emailaddress=u@example.com");
                            String host = TestServer.text(TestServer.xml(r.body()), "hostname");
                            if (r.statusCode() == 200 && host != null) { ok.incrementAndGet(); hostsSeen.add(host); }
                            else failed.incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(500);
            withImapHost("imap2.example.com").publish(dir, "2222222222222222");
            awaitVersion(s, "2222222222222222");
            Thread.sleep(300);

            // A broken version: the index names a document that does not exist.
            HandBuiltSite broken = withImapHost("imap3.example.com");
            broken.line("broken.example", "x", "docs/" + "0".repeat(64) + ".xml", "docs/" + "0".repeat(64) + ".xml", "-",
                    "docs/" + "0".repeat(64) + ".plist", "-", "https://x.example/autodiscover/autodiscover.xml", "-");
            broken.publish(dir, "3333333333333333");
            Thread.sleep(2_500);
            running.set(false);
            for (Future<?> f : workers) f.get();
            pool.shutdown();

            assertEquals(0, failed.get(), "failed requests");
            assertTrue(ok.get() > 50, "requests made: " + ok.get());
            assertEquals(Set.of("imap1.example.com", "imap2.example.com"), hostsSeen);
            assertEquals("2222222222222222", version(s));
            String metrics = s.get("/metrics").body();
            assertTrue(metrics.contains("autogen_site_reloads_total 1"), metrics);
            assertTrue(metrics.contains("autogen_site_reload_failures_total 1"), metrics);

            // Fixing current (pointing back at a good version) is picked up again.
            HandBuiltSite.switchTo(dir, "1111111111111111");
            awaitVersion(s, "1111111111111111");
        }
    }

    @Test
    void aBrokenSiteAtStartIsRefusedWithTheFileAndLine() throws Exception {
        new HandBuiltSite().rawIndex(SiteLoader.HEADER + "\nexample.com\tonly-two-columns\n").publish(dir, "4444444444444444");
        Path version = SiteLoader.currentVersion(dir);
        SiteLoader.InvalidSiteException e = org.junit.jupiter.api.Assertions.assertThrows(SiteLoader.InvalidSiteException.class,
                () -> SiteLoader.load(version, (n, p, ca) -> { throw new AssertionError(); }));
        assertTrue(e.getMessage().contains("domains.tsv:2: expected 9 or 11 tab-separated columns"), e.getMessage());
        assertEquals(3, Main.run(new String[] {"--site", dir.toString(), "--listen", "127.0.0.1:0"}, System.out, System.err));
        assertTrue(Files.exists(dir.resolve("current")));
    }
}
