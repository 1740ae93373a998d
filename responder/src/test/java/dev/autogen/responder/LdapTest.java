package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LDAP lookups against UnboundID's in-memory server: match, no match, injection, down, slow. */
class LdapTest {

    @TempDir static Path dir;
    static InMemoryDirectoryServer ldap, slowLdap;

    @BeforeAll
    static void startDirectories() throws Exception {
        ldap = directory(false);
        slowLdap = directory(true);
    }

    @AfterAll
    static void stopDirectories() {
        ldap.shutDown(true);
        slowLdap.shutDown(true);
    }

    /** The corp.example directory (alice01, bob); a plain LDAP listener on a free port unless listeners are given. */
    static InMemoryDirectoryServer directory(boolean slow, InMemoryListenerConfig... listeners) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=corp,dc=example");
        config.addAdditionalBindCredentials("cn=reader,dc=corp,dc=example", "s3cret");
        config.setListenerConfigs(listeners.length > 0 ? listeners
                : new InMemoryListenerConfig[] {InMemoryListenerConfig.createLDAPConfig("default", 0)});
        if (slow) config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
                try { Thread.sleep(3_000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
        });
        InMemoryDirectoryServer s = new InMemoryDirectoryServer(config);
        s.add("dn: dc=corp,dc=example", "objectClass: top", "objectClass: domain", "dc: corp");
        s.add("dn: ou=people,dc=corp,dc=example", "objectClass: top", "objectClass: organizationalUnit", "ou: people");
        s.add("dn: uid=alice01,ou=people,dc=corp,dc=example", "objectClass: inetOrgPerson", "uid: alice01",
                "cn: Alice <Admin> & \"Co\"", "sn: A", "mail: alice@corp.example");
        // uid and cn with characters XML 1.0 cannot carry, escaped or not (U+0001, U+FFFE): data a directory holds.
        com.unboundid.ldap.sdk.Entry carol = new com.unboundid.ldap.sdk.Entry("mail=carol@corp.example,ou=people,dc=corp,dc=example");
        carol.addAttribute("objectClass", "inetOrgPerson");
        carol.addAttribute("mail", "carol@corp.example");
        carol.addAttribute("uid", "car\u0001ol\uFFFE");
        carol.addAttribute("cn", "Carol \u0001 \uFFFE <Smith>");
        carol.addAttribute("sn", "S");
        s.add(carol);
        s.add("dn: uid=bob,ou=people,dc=corp,dc=example", "objectClass: inetOrgPerson", "uid: bob", "cn: Bob",
                "sn: B", "mail: bob@corp.example");
        s.startListening();
        return s;
    }

    static TestServer serverFor(String ldapUrl, String name) throws Exception {
        Path out = Files.createDirectories(dir.resolve(name));
        HandBuiltSite.standard(ldapUrl, null).publish(out, "00000000000000" + name.length() + "a");
        return new TestServer(out);
    }

    static String username(TestServer s, String address) throws Exception {
        HttpResponse<String> r = s.get("/mail/config-v1.1.xml?emailaddress=" + URLEncoder.encode(address, StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), address);
        return TestServer.xml(r.body()).getElementsByTagName("username").item(0).getTextContent();
    }

    static long metric(TestServer s, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)").matcher(s.get("/metrics").body());
        assertTrue(m.find(), name);
        return Long.parseLong(m.group(1));
    }

    @Test
    void uidAndCnComeFromTheDirectory() throws Exception {
        try (TestServer s = serverFor("ldap://127.0.0.1:" + ldap.getListenPort(), "live")) {
            assertEquals("alice01", username(s, "alice@corp.example"));
            long lookups = metric(s, "autogen_ldap_lookups_total");
            assertEquals("alice01", username(s, "alice@corp.example")); // cached
            assertEquals(lookups, metric(s, "autogen_ldap_lookups_total"));

            NSDictionary p = (NSDictionary) PropertyListParser.parse(s.getBytes("/mobileconfig?emailaddress=alice@corp.example").body());
            NSDictionary mail = (NSDictionary) ((NSArray) p.get("PayloadContent")).objectAtIndex(0);
            assertEquals("Alice <Admin> & \"Co\"", mail.get("EmailAccountName").toJavaObject()); // cn, escaped in the plist
            assertEquals("alice01", mail.get("IncomingMailServerUsername").toJavaObject());
            p = (NSDictionary) PropertyListParser.parse(s.getBytes("/mobileconfig?emailaddress=alice@corp.example&name=Al").body());
            assertEquals("Al", ((NSDictionary) ((NSArray) p.get("PayloadContent")).objectAtIndex(0)).get("EmailAccountName").toJavaObject());

            HttpResponse<String> ad = s.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest("bob@corp.example"));
            assertEquals("bob", TestServer.text(TestServer.xml(ad.body()), "LoginName"));
            assertEquals("Bob", TestServer.text(TestServer.xml(ad.body()), "DisplayName"));
        }
    }

    /** Every answer that carries directory values parses with a real parser; the bad characters become U+FFFD. */
    @Test
    void valuesXmlCannotCarryBecomeReplacementCharacters() throws Exception {
        String uid = "car\uFFFDol\uFFFD", cn = "Carol \uFFFD \uFFFD <Smith>";
        try (TestServer s = serverFor("ldap://127.0.0.1:" + ldap.getListenPort(), "clean")) {
            assertEquals(uid, username(s, "carol@corp.example"));
            HttpResponse<String> ad = s.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest("carol@corp.example"));
            assertEquals(200, ad.statusCode(), ad.body());
            org.w3c.dom.Document d = TestServer.xml(ad.body());
            assertEquals(cn, TestServer.text(d, "DisplayName"));
            assertEquals(uid, TestServer.text(d, "LoginName"));
            org.w3c.dom.Document get = TestServer.xml(s.get("/autodiscover/autodiscover.xml?emailaddress=carol@corp.example").body());
            assertEquals(cn, TestServer.text(get, "DisplayName"));
            HttpResponse<byte[]> r = s.getBytes("/mobileconfig?emailaddress=carol@corp.example");
            assertEquals(200, r.statusCode());
            NSDictionary mail = (NSDictionary) ((NSArray) ((NSDictionary) PropertyListParser.parse(r.body())).get("PayloadContent")).objectAtIndex(0);
            assertEquals(cn, mail.get("EmailAccountName").toJavaObject());
            assertEquals(uid, mail.get("IncomingMailServerUsername").toJavaObject());
        }
    }

    @Test
    void unknownUsersAndInjectionAttemptsGetTheTemplateLogin() throws Exception {
        try (TestServer s = serverFor("ldap://127.0.0.1:" + ldap.getListenPort(), "inject")) {
            // An unknown user gets the same kind of answer a known one gets: 200, a full document.
            assertEquals("nobody@corp.example", username(s, "nobody@corp.example"));
            // Filter metacharacters are escaped (RFC 4515): they match nothing instead of everyone.
            for (String evil : new String[] {"*@corp.example", "a*@corp.example", "x)(mail=*@corp.example",
                    "*)(uid=*))(|(uid=*@corp.example", "\\2a@corp.example"}) {
                assertEquals(evil, username(s, evil));
            }
            assertEquals(0, metric(s, "autogen_ldap_failures_total"));
        }
    }

    @Test
    void downDirectoryAnswersWithoutDirectoryData() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) { port = free.getLocalPort(); }
        try (TestServer s = serverFor("ldap://127.0.0.1:" + port, "down")) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertEquals("alice@corp.example", username(s, "alice@corp.example"));
                assertTrue(System.nanoTime() - start < 5_000_000_000L, "answer bounded by the timeouts");
            }
            assertTrue(metric(s, "autogen_ldap_failures_total") >= 1);
        }
    }

    @Test
    void slowDirectoryIsCutOffByTheResponseTimeout() throws Exception {
        try (TestServer s = serverFor("ldap://127.0.0.1:" + slowLdap.getListenPort(), "slow")) {
            long start = System.nanoTime();
            HttpResponse<String> r = s.post("/autodiscover/autodiscover.xml", "text/xml", TestServer.outlookRequest("alice@corp.example"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, r.statusCode());
            assertEquals("alice@corp.example", TestServer.text(TestServer.xml(r.body()), "LoginName"));
            // The directory sleeps 3 s; the configured response timeout is 0.5 s. Generous bound: no hang.
            assertTrue(millis < 2_500, millis + " ms");
            assertTrue(metric(s, "autogen_ldap_failures_total") >= 1);
            assertEquals(200, s.get("/health").statusCode());

            // While a lookup waits for the directory (on a worker thread), everything else keeps being answered.
            Thread.sleep(2_100); // the 2 s back-off after the first timeout is over: the next one asks the directory again
            var slow = s.http.sendAsync(java.net.http.HttpRequest.newBuilder(s.uri("/mail/config-v1.1.xml?emailaddress=bob@corp.example")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (int i = 0; i < 20; i++) assertEquals(200, s.get("/mail/config-v1.1.xml?emailaddress=u" + i + "@example.com").statusCode());
            assertEquals(200, slow.get().statusCode());
        }
    }

    @Test
    void filterValuesAreEscaped() {
        assertEquals("(mail=\\2a\\29\\28uid=\\2a@x)", "(mail=%EMAILADDRESS%)".replace("%EMAILADDRESS%",
                com.unboundid.ldap.sdk.Filter.encodeValue("*)(uid=*@x")));
        assertEquals("(&(uid=a\\2a)(d=x.org))", LdapDirectory.fill("(&(uid=%EMAILLOCALPART%)(d=%EMAILDOMAIN%))", "a*@x.org", "a*", "x.org"));
    }
}
