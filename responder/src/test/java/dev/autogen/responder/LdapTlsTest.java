package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.cert.ManageCertificates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LDAP over TLS against UnboundID's in-memory server with certificates made at test time by a private CA: ldaps://
 * and StartTLS with the directory's CA file, an unrelated CA, a certificate for another host name, a broken CA file.
 */
class LdapTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir static Path dir;
    static InMemoryDirectoryServer ldap;
    static String caPem, otherCaPem;

    @BeforeAll
    static void startDirectory() throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        caPem = ca(pki, "ca");
        otherCaPem = ca(pki, "other");
        Path good = server(pki, "good", "localhost", "--subject-alternative-name-dns", "localhost",
                "--subject-alternative-name-ip-address", "127.0.0.1");
        Path wrongName = server(pki, "wrongname", "ldap.invalid", "--subject-alternative-name-dns", "ldap.invalid");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        SSLUtil goodTls = serverTls(good), wrongNameTls = serverTls(wrongName);
        ldap = LdapTest.directory(false,
                InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0, goodTls.createSSLServerSocketFactory(), null),
                InMemoryListenerConfig.createLDAPConfig("starttls", loopback, 0, goodTls.createSSLSocketFactory()),
                InMemoryListenerConfig.createLDAPSConfig("ldaps-wrongname", loopback, 0, wrongNameTls.createSSLServerSocketFactory(), null),
                InMemoryListenerConfig.createLDAPConfig("starttls-wrongname", loopback, 0, wrongNameTls.createSSLSocketFactory()));
    }

    @AfterAll
    static void stopDirectory() {
        if (ldap != null) ldap.shutDown(true);
    }

    // ---- the certificates

    /** A CA (self-signed, may sign certificates) in {@code pki/<name>.p12}; returns its certificate as PEM. */
    private static String ca(Path pki, String name) throws Exception {
        tool("generate-self-signed-certificate", "--keystore", pki.resolve(name + ".p12").toString(), "--keystore-type", "PKCS12",
                "--keystore-password", PASSWORD, "--alias", "ca", "--subject-dn", "CN=autogen test CA " + name,
                "--key-algorithm", "EC", "--key-size-bits", "256", "--signature-algorithm", "SHA256withECDSA",
                "--basic-constraints-is-ca", "true", "--key-usage", "key-cert-sign", "--days-valid", "2");
        Path pem = pki.resolve(name + ".pem");
        tool("export-certificate", "--keystore", pki.resolve(name + ".p12").toString(), "--keystore-password", PASSWORD,
                "--alias", "ca", "--output-format", "PEM", "--output-file", pem.toString());
        return Files.readString(pem, StandardCharsets.US_ASCII);
    }

    /** A server key store {@code pki/<name>.p12} whose certificate the CA "ca" signed, with the given names. */
    private static Path server(Path pki, String name, String cn, String... subjectAltNames) throws Exception {
        Path keystore = pki.resolve(name + ".p12"), csr = pki.resolve(name + ".csr"), cert = pki.resolve(name + ".pem");
        List<String> args = new ArrayList<>(List.of("generate-certificate-signing-request", "--keystore", keystore.toString(),
                "--keystore-type", "PKCS12", "--keystore-password", PASSWORD, "--alias", "server", "--subject-dn", "CN=" + cn,
                "--key-algorithm", "EC", "--key-size-bits", "256", "--signature-algorithm", "SHA256withECDSA",
                "--extended-key-usage", "server-auth", "--output-file", csr.toString(), "--output-format", "PEM"));
        args.addAll(List.of(subjectAltNames));
        tool(args.toArray(String[]::new));
        tool("sign-certificate-signing-request", "--request-input-file", csr.toString(), "--keystore", pki.resolve("ca.p12").toString(),
                "--keystore-password", PASSWORD, "--signing-certificate-alias", "ca", "--certificate-output-file", cert.toString(),
                "--output-format", "PEM", "--include-requested-extensions", "--days-valid", "2", "--no-prompt");
        // The server presents its certificate and the CA's, as a real directory does.
        tool("import-certificate", "--keystore", keystore.toString(), "--keystore-password", PASSWORD, "--alias", "server",
                "--certificate-file", cert.toString(), "--certificate-file", pki.resolve("ca.pem").toString(), "--no-prompt");
        return keystore;
    }

    private static void tool(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultCode rc = ManageCertificates.main(new ByteArrayInputStream(new byte[0]), out, out, args);
        assertEquals(ResultCode.SUCCESS, rc, out.toString(StandardCharsets.UTF_8));
    }

    private static SSLUtil serverTls(Path keystore) throws Exception {
        return new SSLUtil(new KeyStoreKeyManager(keystore.toFile(), PASSWORD.toCharArray(), "PKCS12", "server"),
                new TrustAllTrustManager());
    }

    // ---- sites

    /** The directory by name; {@link #urlByAddress} by numeric address. Both must match the certificate. */
    private static String url(String scheme, String listener) {
        return scheme + "://localhost:" + ldap.getListenPort(listener);
    }

    private static String urlByAddress(String scheme, String listener) {
        return scheme + "://127.0.0.1:" + ldap.getListenPort(listener);
    }

    /** The standard hand-built site, its directory at {@code url}, with {@code caPem} (null: none) as its CA file. */
    private static HandBuiltSite site(String url, boolean startTls, String caPem) {
        // Later keys win in a properties file: these override the standard site's startTls=false.
        String extra = "startTls=" + startTls + "\n" + (caPem == null ? "" : "caFile=corp.ca.pem\n");
        HandBuiltSite s = HandBuiltSite.standard(url, extra);
        return caPem == null ? s : s.privateFile("ldap/corp.ca.pem", caPem);
    }

    private static TestServer serve(String name, HandBuiltSite site) throws Exception {
        Path out = Files.createDirectories(dir.resolve(name));
        site.publish(out, "00000000000000aa");
        return new TestServer(out);
    }

    /** The uid from all three per-user answers (autoconfig, Apple profile, Autodiscover) for alice. */
    private static void assertLogin(TestServer s, String expected) throws Exception {
        assertEquals(expected, LdapTest.username(s, "alice@corp.example"));
        HttpResponse<byte[]> mc = s.getBytes("/mobileconfig?emailaddress=alice@corp.example");
        assertEquals(200, mc.statusCode());
        NSDictionary mail = (NSDictionary) ((NSArray) ((NSDictionary) PropertyListParser.parse(mc.body())).get("PayloadContent")).objectAtIndex(0);
        assertEquals(expected, mail.get("IncomingMailServerUsername").toJavaObject());
        HttpResponse<String> ad = s.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest("alice@corp.example"));
        assertEquals(200, ad.statusCode());
        assertEquals(expected, TestServer.text(TestServer.xml(ad.body()), "LoginName"));
    }

    /** Refused TLS: answered at once without directory data, counted, never a hang or a 500. */
    private static void assertRefused(TestServer s) throws Exception {
        long start = System.nanoTime();
        assertLogin(s, "alice@corp.example");
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "answers bounded by the timeouts");
        assertTrue(LdapTest.metric(s, "autogen_ldap_failures_total") >= 1);
        assertEquals(200, s.get("/health").statusCode());
    }

    // ---- the cases

    @Test
    void ldapsWithTheCaFileFindsTheUser() throws Exception {
        try (TestServer s = serve("ldaps", site(url("ldaps", "ldaps"), false, caPem))) {
            assertLogin(s, "alice01");
            assertEquals(0, LdapTest.metric(s, "autogen_ldap_failures_total"));
        }
    }

    @Test
    void startTlsWithTheCaFileFindsTheUser() throws Exception {
        try (TestServer s = serve("starttls", site(url("ldap", "starttls"), true, caPem))) {
            assertLogin(s, "alice01");
            assertEquals(0, LdapTest.metric(s, "autogen_ldap_failures_total"));
        }
    }

    @Test
    void aCaFileWithSeveralCertificatesTrustsEachOfThem() throws Exception {
        try (TestServer s = serve("bundle", site(url("ldaps", "ldaps"), false, otherCaPem + caPem))) {
            assertLogin(s, "alice01");
        }
    }

    @Test
    void theRealGeneratorsCaFileWorksEndToEnd() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("generated/conf"));
        Files.writeString(conf.resolve("corp-ca.pem"), "# the corp CA\n" + caPem);
        Files.writeString(conf.resolve("site.yaml"), """
                providers:
                  - name: Corp
                    ldap: corp
                    domains: [corp.example]
                    servers:
                      - {type: imap, hostname: imap.corp.example}
                      - {type: smtp, hostname: smtp.corp.example}
                directories:
                  corp:
                    url: %s
                    tlsCaFile: corp-ca.pem
                    base: dc=corp,dc=example
                    bindDn: cn=reader,dc=corp,dc=example
                    bindPassword: s3cret
                """.formatted(url("ldaps", "ldaps")));
        Path out = dir.resolve("generated/site");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.autogen.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true),
                "render", conf.resolve("site.yaml").toString(), "--out", out.toString());
        assertEquals(0, code, err.toString());
        try (TestServer s = new TestServer(out)) {
            assertLogin(s, "alice01");
            assertEquals(0, LdapTest.metric(s, "autogen_ldap_failures_total"));
        }
    }

    @Test
    void anotherCaIsRefused() throws Exception {
        try (TestServer s = serve("otherca", site(url("ldaps", "ldaps"), false, otherCaPem))) {
            assertRefused(s);
        }
        try (TestServer s = serve("otherca-starttls", site(url("ldap", "starttls"), true, otherCaPem))) {
            assertRefused(s);
        }
    }

    @Test
    void withoutCaFileThePrivateCaIsNotTrusted() throws Exception {
        // The JVM's default trust store does not know the test CA: the CA file is what makes the good cases work.
        try (TestServer s = serve("jvmdefault", site(url("ldaps", "ldaps"), false, null))) {
            assertRefused(s);
        }
    }

    @Test
    void aCertificateForAnotherHostNameIsRefused() throws Exception {
        // Trusted CA, but the certificate names only ldap.invalid and the directory is reached as localhost (the
        // good cases reach the other listeners by the same name, so the connection itself works).
        try (TestServer s = serve("wrongname", site(url("ldaps", "ldaps-wrongname"), false, caPem))) {
            assertRefused(s);
        }
        try (TestServer s = serve("wrongname-starttls", site(url("ldap", "starttls-wrongname"), true, caPem))) {
            assertRefused(s);
        }
    }

    @Test
    void aLoopbackAddressMustBeInTheCertificateToo() throws Exception {
        // UnboundID's own check accepts any certificate for a numeric loopback address; ours does not.
        try (TestServer s = serve("byaddress", site(urlByAddress("ldaps", "ldaps"), false, caPem))) {
            assertLogin(s, "alice01");
        }
        try (TestServer s = serve("byaddress-wrongname", site(urlByAddress("ldaps", "ldaps-wrongname"), false, caPem))) {
            assertRefused(s);
        }
        try (TestServer s = serve("byaddress-wrongname-starttls", site(urlByAddress("ldap", "starttls-wrongname"), true, caPem))) {
            assertRefused(s);
        }
    }

    @Test
    void aBrokenCaFileRefusesTheSite() throws Exception {
        Path out = Files.createDirectories(dir.resolve("broken"));
        site(url("ldaps", "ldaps"), false, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n")
                .publish(out, "00000000000000bb");
        SiteLoader.InvalidSiteException e = assertThrows(SiteLoader.InvalidSiteException.class,
                () -> SiteLoader.load(SiteLoader.currentVersion(out), (n, p, ca) -> { throw new AssertionError(); }));
        assertTrue(e.getMessage().contains("ldap/corp.ca.pem: not a PEM file of X.509 certificates"), e.getMessage());
        assertEquals(3, Main.run(new String[] {"--site", out.toString(), "--check"}, System.out, System.err));

        Path empty = Files.createDirectories(dir.resolve("empty"));
        site(url("ldaps", "ldaps"), false, "").publish(empty, "00000000000000cc");
        e = assertThrows(SiteLoader.InvalidSiteException.class,
                () -> SiteLoader.load(SiteLoader.currentVersion(empty), (n, p, ca) -> { throw new AssertionError(); }));
        assertTrue(e.getMessage().contains("ldap/corp.ca.pem: holds no X.509 certificate"), e.getMessage());

        Path missing = Files.createDirectories(dir.resolve("missing"));
        HandBuiltSite.standard(url("ldaps", "ldaps"), "caFile=corp.ca.pem\n").publish(missing, "00000000000000dd");
        e = assertThrows(SiteLoader.InvalidSiteException.class,
                () -> SiteLoader.load(SiteLoader.currentVersion(missing), (n, p, ca) -> { throw new AssertionError(); }));
        assertTrue(e.getMessage().contains("ldap/corp.ca.pem: cannot read the LDAP CA file (no such file or directory)"), e.getMessage());

        Path escape = Files.createDirectories(dir.resolve("escape"));
        HandBuiltSite.standard(url("ldaps", "ldaps"), "caFile=../../../pki/ca.pem\n").publish(escape, "00000000000000ee");
        e = assertThrows(SiteLoader.InvalidSiteException.class,
                () -> SiteLoader.load(SiteLoader.currentVersion(escape), (n, p, ca) -> { throw new AssertionError(); }));
        assertTrue(e.getMessage().contains("caFile '../../../pki/ca.pem' is not a file name"), e.getMessage());
    }

    @Test
    void aBrokenCaFileInANewVersionKeepsTheOldOneServing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("reload"));
        site(url("ldaps", "ldaps"), false, caPem).publish(out, "1111111111111111");
        try (TestServer s = new TestServer(out)) {
            assertLogin(s, "alice01");
            site(url("ldaps", "ldaps"), false, "not a certificate\n").publish(out, "2222222222222222");
            for (int i = 0; i < 50 && !s.get("/metrics").body().contains("autogen_site_reload_failures_total 1"); i++) Thread.sleep(100);
            assertTrue(s.get("/metrics").body().contains("autogen_site_reload_failures_total 1"));
            assertTrue(s.get("/health").body().contains("\"version\":\"1111111111111111\""));
            assertLogin(s, "alice01");

            // A new version whose CA file changed (the properties did not) gets a new client with the new trust.
            site(url("ldaps", "ldaps"), false, otherCaPem).publish(out, "3333333333333333");
            for (int i = 0; i < 50 && !s.get("/health").body().contains("3333333333333333"); i++) Thread.sleep(100);
            assertTrue(s.get("/health").body().contains("\"version\":\"3333333333333333\""));
            assertRefused(s);
        }
    }
}
