package dev.autogen.probe;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy environment variables read the way curl reads them. */
class ProxiesTest {
    @Test
    void perSchemeVariablesLowerCaseFirst() {
        Proxies p = Proxies.fromEnvironment(Map.of("https_proxy", "http://proxy.example:3128", "HTTPS_PROXY", "http://other:1",
                "HTTP_PROXY", "proxy.example"));
        assertEquals(URI.create("http://proxy.example:3128"), p.proxyFor("https", "autoconfig.example.com"));
        assertEquals(URI.create("http://proxy.example:80"), p.proxyFor("http", "autoconfig.example.com"));
        assertNull(Proxies.fromEnvironment(Map.of("http_proxy", "proxy:8080")).proxyFor("https", "a.example"));
        assertNull(Proxies.fromEnvironment(Map.of()).proxyFor("http", "a.example"));
    }

    @Test
    void noProxyMatchesNamesTheirSubdomainsAddressesAndStar() {
        Map<String, String> env = Map.of("http_proxy", "proxy:8080", "no_proxy", " localhost, .internal.example,127.0.0.1,[::1] ");
        Proxies p = Proxies.fromEnvironment(env);
        assertNull(p.proxyFor("http", "localhost"));
        assertNull(p.proxyFor("http", "internal.example"));
        assertNull(p.proxyFor("http", "autoconfig.internal.example"));
        assertNull(p.proxyFor("http", "127.0.0.1"));
        assertNull(p.proxyFor("http", "[::1]"));
        assertEquals(URI.create("http://proxy:8080"), p.proxyFor("http", "notinternal.example"));
        assertEquals(URI.create("http://proxy:8080"), p.proxyFor("http", "127.0.0.10"));
        assertNull(Proxies.fromEnvironment(Map.of("http_proxy", "proxy:8080", "NO_PROXY", "*")).proxyFor("http", "a.example"));
        // --proxy overrides the per-scheme variables; no_proxy still applies, as with curl.
        Proxies explicit = Proxies.of("http://p:3128", env);
        assertEquals(URI.create("http://p:3128"), explicit.proxyFor("https", "a.example"));
        assertNull(explicit.proxyFor("https", "x.internal.example"));
    }

    @Test
    void unusableProxiesAreNamedErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Proxies.of("socks5://p:1080", Map.of()))
                .getMessage().startsWith("--proxy: only http:// proxies are supported"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Proxies.fromEnvironment(Map.of("https_proxy", "http://user:secret@p:3128"))).getMessage()
                .equals("https_proxy: proxy credentials are not supported"));
    }
}
