package dev.autogen.responder;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every test of {@link NginxTlsEndToEndTest} again, on a site rendered in the compact layout: NGINX's config has no
 * line per domain and proxies everything to the responder, which must answer exactly what the static files did.
 */
class NginxTlsCompactEndToEndTest extends NginxTlsEndToEndTest implements NginxTlsEndToEndTest.CompactLayout {
    @Test
    void nothingPerDomainOnDisk() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(work.resolve("site/current")), "not rendered");
        assertFalse(Files.exists(work.resolve("site/current/public/example.com")));
        assertFalse(Files.exists(work.resolve("site/current/conf/dns/example.com.zone")));
    }
}
