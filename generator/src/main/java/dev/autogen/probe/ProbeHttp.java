package dev.autogen.probe;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The probe's HTTP, on Jetty's {@link HttpClient}: HTTP/1.1, and HTTP/2 where the server offers it over TLS (ALPN);
 * HTTP proxies ({@link Proxies}); TLS checked like a client checks it (the system trust store, plus the
 * certificates of {@code --cacert}; the certificate must name the host; SNI). Redirects are followed here, hop by
 * hop, and reported, so that each client's rules can judge the chain (Thunderbird for Android trusts a result only
 * if every hop was https).
 *
 * <p>A "virtual host" ({@code --host}, or the address's domain for a bare responder at an IP address) is requested
 * like curl's {@code --resolve}: the URL names the virtual host, which resolves to the address of the base URL, so
 * the Host header, TLS SNI and certificate check and HTTP/2's {@code :authority} all agree.
 */
public final class ProbeHttp implements AutoCloseable {
    /** Answers bigger than this are cut off and reported: no discovery document is anywhere near it. */
    static final int MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
    /** More than this many redirects is a loop for every client. */
    static final int MAX_REDIRECTS = 10;

    /** One redirect: the URL asked and the status and Location it answered with. */
    public record Hop(String method, String url, int status, String location) {}

    /**
     * An answer: status, headers (names lower-cased; the last value wins), body, the HTTP version it came over, the
     * URL that gave it, and the redirects followed to get there (empty when none).
     */
    public record Response(int status, Map<String, String> headers, byte[] body, String version, String url,
                           List<Hop> redirects) {
        public Response {
            headers = Map.copyOf(headers);
            redirects = List.copyOf(redirects);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The server (or the proxy) could not be reached at all: refused, unknown name, timeout before connecting. */
    public static final class ConnectFailure extends IOException {
        ConnectFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final URI base;
    private final String hostHeader;
    private final String virtualHost;
    private final Duration timeout;
    private final HttpClient client;

    /** The {@code --cacert} certificates: the probe also trusts them for the Apple profiles' signatures. */
    private final List<X509Certificate> extraCas;

    public List<X509Certificate> extraCas() {
        return extraCas;
    }

    /** Without a proxy, trusting the system's CAs: tests and callers that need nothing else. */
    public ProbeHttp(URI base, String hostHeader, Duration timeout) {
        this(base, hostHeader, timeout, Proxies.NONE, List.of());
    }

    /**
     * @param base       the deployment, e.g. {@code https://autoconfig.example.com} or {@code http://127.0.0.1:8080}
     * @param hostHeader the Host header (virtual host) to ask for, or null for the base URL's own host
     * @param extraCas   certificates trusted besides the system trust store ({@code --cacert})
     */
    public ProbeHttp(URI base, String hostHeader, Duration timeout, Proxies proxies, List<X509Certificate> extraCas) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new IllegalArgumentException("not an http:// or https:// URL: " + base);
        }
        this.base = base;
        this.timeout = timeout;
        if (hostHeader != null) {
            this.hostHeader = hostHeader;
            String name = hostHeader.replaceFirst(":[0-9]+$", "").toLowerCase(Locale.ROOT);
            this.virtualHost = name.equals(base.getHost().toLowerCase(Locale.ROOT)) ? null : name;
        } else {
            this.hostHeader = base.getPort() < 0 ? base.getHost() : base.getHost() + ":" + base.getPort();
            this.virtualHost = null;
        }
        this.client = start(proxies, extraCas);
        this.extraCas = List.copyOf(extraCas);
    }

    /** The Host this probe asks for (shown in the report). */
    public String hostHeader() {
        return hostHeader;
    }

    private HttpClient start(Proxies proxies, List<X509Certificate> extraCas) {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host, as clients require
        if (!extraCas.isEmpty()) {
            tls.setTrustStore(trustStore(extraCas));
        }
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        connector.setConnectTimeout(timeout);
        connector.setIdleTimeout(timeout);
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("autogen-probe");
        threads.setDaemon(true);
        connector.setExecutor(threads);
        // HTTP/1.1 first: it is what plain http:// uses; over TLS the server picks among both by ALPN.
        ClientConnectionFactoryOverHTTP2.HTTP2 http2 = new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector));
        HttpClient c = new HttpClient(new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11, http2));
        c.setExecutor(threads);
        c.setFollowRedirects(false); // followed in get/post, hop by hop, to report each
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "autogen-probe"));
        c.setConnectTimeout(timeout.toMillis());
        if (virtualHost != null) {
            c.setSocketAddressResolver(new VirtualHostResolver(virtualHost, base.getHost(),
                    new SocketAddressResolver.Sync()));
        }
        Set<URI> distinct = new LinkedHashSet<>();
        if (proxies.https() != null) distinct.add(proxies.https());
        if (proxies.http() != null) distinct.add(proxies.http());
        for (URI proxy : distinct) {
            c.getProxyConfiguration().addProxy(new HttpProxy(new Origin.Address(proxy.getHost(), proxy.getPort()), false) {
                @Override
                public boolean matches(Origin origin) {
                    if (getAddress().equals(origin.getAddress())) {
                        return false; // the proxy itself (its CONNECT requests) is reached directly
                    }
                    String host = origin.getAddress().getHost();
                    if (virtualHost != null && host.equalsIgnoreCase(virtualHost)) {
                        host = base.getHost(); // no_proxy is about where the connection goes
                    }
                    return proxy.equals(proxies.proxyFor(origin.getScheme(), host));
                }
            });
        }
        try {
            c.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client: " + e.getMessage(), e);
        }
        return c;
    }

    /** The system's trusted CAs plus {@code extra}. */
    private static KeyStore trustStore(List<X509Certificate> extra) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + n++, ca);
                    }
                }
            }
            for (X509Certificate ca : extra) {
                store.setCertificateEntry("cacert-" + n++, ca);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the trust store: " + e.getMessage(), e);
        }
    }

    /** The virtual host resolves to the base URL's address; every other name as usual. */
    private record VirtualHostResolver(String name, String address, SocketAddressResolver fallback)
            implements SocketAddressResolver {
        @Override
        public void resolve(String host, int port, Promise<List<InetSocketAddress>> promise) {
            fallback.resolve(host.equalsIgnoreCase(name) ? address : host, port, promise);
        }
    }

    public Response get(String pathAndQuery) throws IOException {
        return exchange("GET", pathAndQuery, null, null);
    }

    public Response post(String pathAndQuery, String contentType, byte[] body) throws IOException {
        return exchange("POST", pathAndQuery, contentType, body);
    }

    private Response exchange(String method, String pathAndQuery, String contentType, byte[] body) throws IOException {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String authority = (virtualHost != null ? bracketed(virtualHost) : bracketed(base.getHost()))
                + (base.getPort() < 0 ? "" : ":" + base.getPort());
        URI first = URI.create(base.getScheme().toLowerCase(Locale.ROOT) + "://" + authority + prefix + pathAndQuery);
        URI uri = first;
        List<Hop> hops = new ArrayList<>();
        while (true) {
            // The chosen Host header goes to the deployment asked for; a redirect elsewhere gets that host's own.
            boolean sameHost = uri.getRawAuthority().equalsIgnoreCase(first.getRawAuthority());
            ContentResponse r = send(method, uri, sameHost ? hostHeader : null, contentType, body);
            int status = r.getStatus();
            String location = r.getHeaders().get(HttpHeader.LOCATION);
            if (!isRedirect(status) || location == null) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (HttpField f : r.getHeaders()) {
                    headers.put(f.getName().toLowerCase(Locale.ROOT), f.getValue());
                }
                return new Response(status, headers, r.getContent(), r.getVersion().asString(), uri.toString(), hops);
            }
            hops.add(new Hop(method, uri.toString(), status, location));
            if (hops.size() > MAX_REDIRECTS) {
                throw new IOException("more than " + MAX_REDIRECTS + " redirects (a loop?), last to " + location);
            }
            URI next;
            try {
                next = uri.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                throw new IOException("redirect to an unusable Location: " + location);
            }
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme()) || next.getHost() == null) {
                throw new IOException("redirect to a non-HTTP Location: " + location);
            }
            if (status == 303 && !method.equals("GET")) {
                method = "GET"; // 303 See Other: every client fetches the target with GET
                body = null;
            }
            uri = next;
        }
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private ContentResponse send(String method, URI uri, String host, String contentType, byte[] body) throws IOException {
        Request request = client.newRequest(uri).method(method).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> {
                    h.put(HttpHeader.ACCEPT, "*/*");
                    // Exactly the Host asked for over plain HTTP/1.1 (a bare responder); over TLS (maybe HTTP/2, whose
                    // :authority must equal any Host) the URL's own authority, which names the same virtual host.
                    if (host != null && uri.getScheme().equals("http")) h.put(HttpHeader.HOST, host);
                });
        if (body != null) {
            request.body(new BytesRequestContent(contentType, body));
        }
        try {
            return request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failure(uri, e.getCause() == null ? e : e.getCause());
        }
    }

    /** A failure as a one-line message without Java class names; connection failures as {@link ConnectFailure}. */
    static IOException failure(URI uri, Throwable t) {
        String where = uri.getScheme() + "://" + uri.getRawAuthority();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return new ConnectFailure("could not connect to " + where + ": unknown host", t);
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
                return new ConnectFailure("could not connect to " + where + ": " + message(c, "connection refused"), t);
            }
            if (c instanceof SocketTimeoutException && String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT).contains("connect")) {
                return new ConnectFailure("could not connect to " + where + ": connect timeout", t);
            }
            if (c instanceof SSLException) {
                return new IOException("TLS with " + where + " failed: " + message(c, "handshake failed"), t);
            }
        }
        String m = String.valueOf(t.getMessage());
        if (m.contains("Buffering capacity")) {
            return new IOException("the answer is larger than " + MAX_RESPONSE_BYTES + " bytes", t);
        }
        if (t instanceof org.eclipse.jetty.client.HttpResponseException) {
            return new IOException("the proxy did not open a tunnel to " + where, t);
        }
        if (t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException
                || m.contains("@") && m.contains("[")) { // Jetty puts its connection's state in such messages
            return new IOException("the connection to " + where + " was closed without an answer", t);
        }
        return new IOException(message(t, "the connection failed") + " (" + where + ")", t);
    }

    private static String message(Throwable t, String fallback) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? fallback : m.lines().findFirst().orElse(fallback);
    }

    /** True for an IP address literal or localhost: a bare responder rather than a named web server. */
    public static boolean isAddressOrLocalhost(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && h.indexOf(':') < 0) {
            return false;
        }
        try {
            return InetAddress.getByName(h) != null; // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // closing after the report is written: nothing left to tell
        }
    }
}
