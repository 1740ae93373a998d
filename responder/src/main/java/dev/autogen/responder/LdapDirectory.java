package dev.autogen.responder;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * One LDAP directory from {@code private/ldap/<name>.properties}: a connection pool, a bounded cache of answers
 * (positive and negative, with TTL) and a short back-off after a failure, so a down or slow directory costs each
 * request at most the configured timeouts and usually nothing.
 */
final class LdapDirectory implements AutoCloseable {

    /** What the directory says about an address; {@link #NONE} when it knows nothing (or failed). */
    record Person(String uid, String cn) {
        static final Person NONE = new Person(null, null);
    }

    static final int CACHE_ENTRIES = 20_000;
    private static final long BACKOFF_MILLIS = 2_000;

    final String name;
    final Properties settings;
    private final LDAPConnectionPool pool;
    private final String baseDn, filter, uidAttribute, cnAttribute;
    private final long responseTimeoutMillis, cacheTtlNanos;
    private final Metrics metrics;
    private volatile long downUntilNanos;
    private final Map<String, Cached> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) { return size() > CACHE_ENTRIES; }
    };

    private record Cached(Person person, long expiresNanos) {}

    /**
     * @param trusted the certificates of the settings' {@code caFile}, read by the site loader; when not empty, TLS
     *                trusts exactly these instead of the JVM's default certificate authorities
     */
    LdapDirectory(String name, Properties p, List<X509Certificate> trusted, Metrics metrics)
            throws LDAPException, GeneralSecurityException {
        this.name = name;
        this.settings = p;
        this.metrics = metrics;
        LDAPURL url = new LDAPURL(required(p, "url"));
        boolean ldaps = url.getScheme().equalsIgnoreCase("ldaps");
        boolean startTls = Boolean.parseBoolean(p.getProperty("startTls", "false"));
        this.baseDn = required(p, "baseDn");
        this.filter = p.getProperty("filter", "(mail=%EMAILADDRESS%)");
        Filter.create(fill(filter, "x@example.com", "x", "example.com")); // refuse a broken filter at load time
        this.uidAttribute = p.getProperty("uidAttribute", "uid");
        this.cnAttribute = p.getProperty("cnAttribute", "cn");
        long connectTimeout = Long.parseLong(p.getProperty("connectTimeoutMillis", "2000"));
        this.responseTimeoutMillis = Long.parseLong(p.getProperty("responseTimeoutMillis", "2000"));
        this.cacheTtlNanos = Long.parseLong(p.getProperty("cacheTtlSeconds", "300")) * 1_000_000_000L;

        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) connectTimeout);
        options.setResponseTimeoutMillis(responseTimeoutMillis);
        options.setAbandonOnTimeout(true);
        SSLUtil ssl = new SSLUtil(trusted.isEmpty() ? JVMDefaultTrustManager.getInstance() : trustOnly(trusted));
        if (ldaps || startTls) options.setSSLSocketVerifier(new HostNameVerifier());
        SingleServerSet servers = ldaps
                ? new SingleServerSet(url.getHost(), url.getPort(), ssl.createSSLSocketFactory(), options)
                : new SingleServerSet(url.getHost(), url.getPort(), options);
        String bindDn = p.getProperty("bindDn");
        BindRequest bind = bindDn == null || bindDn.isEmpty() ? null
                : new SimpleBindRequest(bindDn, p.getProperty("bindPassword", ""));
        // No connection at start: a directory that is down must not stop the site from loading.
        this.pool = new LDAPConnectionPool(servers, bind, 0, 8,
                startTls && !ldaps ? new StartTLSPostConnectProcessor(ssl.createSSLContext()) : null, false);
        pool.setMaxWaitTimeMillis(responseTimeoutMillis);
        pool.setConnectionPoolName("autogen-" + name);
    }

    /**
     * The JDK's PKIX validation with the given certificates as the only trust anchors. Not UnboundID's
     * PEMFileTrustManager: that reads a file, and the certificates are already in memory (read once when the site
     * was loaded, so a reload can tell whether they changed).
     */
    private static X509TrustManager trustOnly(List<X509Certificate> trusted) throws GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        try {
            anchors.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e); // an empty in-memory key store: no I/O
        }
        for (int i = 0; i < trusted.size(); i++) anchors.setCertificateEntry("ca" + i, trusted.get(i));
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(anchors);
        for (var tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) return x509;
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /**
     * UnboundID's host-name check (no wildcards), except that it accepts any certificate when the host is a numeric
     * loopback address: then any process that takes the directory's port on this machine could stand in for it with
     * any certificate the trust store accepts. For such an address the certificate must name the address itself.
     */
    static final class HostNameVerifier extends SSLSocketVerifier {
        private final HostNameSSLSocketVerifier names = new HostNameSSLSocketVerifier(false);

        @Override
        public void verifySSLSocket(String host, int port, SSLSocket socket) throws LDAPException {
            names.verifySSLSocket(host, port, socket);
            InetAddress loopback = numericLoopback(host);
            if (loopback == null) return;
            try {
                var sans = ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectAlternativeNames();
                for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
                    // Type 7: iPAddress, given as a numeric string, so getByName does no lookup.
                    if (Integer.valueOf(7).equals(san.get(0)) && loopback.equals(InetAddress.getByName((String) san.get(1)))) return;
                }
            } catch (IOException | GeneralSecurityException e) {
                // No certificate or no readable names: not verified.
            }
            throw new LDAPException(ResultCode.CONNECT_ERROR, "Hostname verification failed: the certificate of "
                    + host + ":" + port + " does not list the IP address " + host);
        }

        /** The address when {@code host} is a numeric loopback address; null for anything else, without DNS. */
        private static InetAddress numericLoopback(String host) {
            if (!(host.indexOf(':') >= 0 || host.matches("[0-9.]+"))) return null;
            try {
                InetAddress a = InetAddress.getByName(host);
                return a.isLoopbackAddress() ? a : null;
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("missing key '" + key + "'");
        return v.trim();
    }

    /** Substitutes RFC 4515-escaped address parts into the configured filter. */
    static String fill(String filter, String address, String local, String domain) {
        return filter.replace("%EMAILADDRESS%", Filter.encodeValue(address))
                .replace("%EMAILLOCALPART%", Filter.encodeValue(local))
                .replace("%EMAILDOMAIN%", Filter.encodeValue(domain));
    }

    /** The answer when it needs no network round trip (cached, or the directory is backing off); else null. */
    Person withoutWaiting(EmailAddress a) {
        long now = System.nanoTime();
        synchronized (cache) {
            Cached c = cache.get(a.address());
            if (c != null && c.expiresNanos - now > 0) return c.person;
        }
        if (downUntilNanos - now > 0) { metrics.ldapFailure(); return Person.NONE; }
        return null;
    }

    /** Never throws and never waits longer than the configured timeouts; failures count and yield NONE. */
    Person lookup(EmailAddress a) {
        Person known = withoutWaiting(a);
        if (known != null) return known;
        long start = System.nanoTime();
        try {
            SearchRequest search = new SearchRequest(baseDn, SearchScope.SUB, DereferencePolicy.NEVER, 2,
                    (int) Math.max(1, responseTimeoutMillis / 1000), false,
                    Filter.create(fill(filter, a.address(), a.localPart(), a.domain())), uidAttribute, cnAttribute);
            search.setResponseTimeoutMillis(responseTimeoutMillis);
            SearchResult result = pool.search(search);
            // Exactly one entry or nothing: an ambiguous match must not hand out someone's login.
            Person person = Person.NONE;
            if (result.getEntryCount() == 1) {
                SearchResultEntry e = result.getSearchEntries().get(0);
                person = new Person(e.getAttributeValue(uidAttribute), e.getAttributeValue(cnAttribute));
            }
            metrics.ldapLookup(System.nanoTime() - start);
            synchronized (cache) { cache.put(a.address(), new Cached(person, System.nanoTime() + cacheTtlNanos)); }
            return person;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                metrics.ldapLookup(System.nanoTime() - start);
                return Person.NONE;
            }
            metrics.ldapLookup(System.nanoTime() - start);
            metrics.ldapFailure();
            downUntilNanos = System.nanoTime() + BACKOFF_MILLIS * 1_000_000L;
            // Connection failures (TLS included: untrusted certificate, wrong host name) get the SDK's reason, which
            // names the server and never the address; other results may echo the filter, so only their code.
            ResultCode code = e.getResultCode();
            String why = code == ResultCode.CONNECT_ERROR || code == ResultCode.LOCAL_ERROR ? ": " + e.getMessage() : "";
            System.err.println("autogen-responder: LDAP directory '" + name + "' failed: " + code + why
                    + " (answering without directory data for " + BACKOFF_MILLIS / 1000 + " s)");
            return Person.NONE;
        }
    }

    @Override public void close() {
        pool.close();
    }
}
