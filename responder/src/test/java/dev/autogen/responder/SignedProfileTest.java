package dev.autogen.responder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-user profiles signed by the real responder over HTTP, RSA-2048 and EC P-256, each verified by the real openssl
 * against a CA made for the test with openssl; a broken key refuses the new version and the old one keeps serving.
 */
class SignedProfileTest {

    @TempDir static Path dir;
    static TestServer signed, plain;

    static final String SITE = """
            providers:
              - id: rsa.example
                name: RSA Mail
                signing:
                  certificate: rsa/signer.pem
                  key: rsa/signer.key
                servers:
                  - type: imap
                    hostname: imap.rsa.example
                  - type: smtp
                    hostname: smtp.rsa.example
                domains: [rsa.example]
              - id: ec.example
                name: EC Mail
                signing:
                  certificate: ec/signer.pem
                  key: ec/signer.key
                  keyPasswordFile: ec/password
                servers:
                  - type: imap
                    hostname: imap.ec.example
                    username: "%EMAILLOCALPART%"
                  - type: smtp
                    hostname: smtp.ec.example
                domains: [ec.example]
            """;

    static String openssl(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new IOException(command + " failed:\n" + out);
        return out;
    }

    /** A CA and a signer under {@code dir/<kind>}, made by openssl: ca.pem, signer.pem (signer + CA), signer.key. */
    static void pki(String kind, String password) throws Exception {
        Path d = Files.createDirectories(dir.resolve(kind));
        String[] newkey = kind.equals("rsa") ? new String[] {"-newkey", "rsa:2048"}
                : new String[] {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"};
        openssl(d, cat(new String[] {"req", "-x509"}, newkey, "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "30", "-subj", "/CN=autogen test CA " + kind));
        openssl(d, cat(new String[] {"req"}, newkey, "-nodes", "-keyout", "plain.key", "-out", "signer.csr",
                "-subj", "/CN=profiles " + kind + "/O=autogen tests"));
        Files.writeString(d.resolve("ext"), "keyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\n");
        openssl(d, "x509", "-req", "-in", "signer.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "10", "-extfile", "ext", "-out", "leaf.pem");
        Files.writeString(d.resolve("signer.pem"), Files.readString(d.resolve("leaf.pem")) + Files.readString(d.resolve("ca.pem")));
        if (password == null) {
            Files.copy(d.resolve("plain.key"), d.resolve("signer.key"));
        } else {
            Files.writeString(d.resolve("password"), password + "\n");
            openssl(d, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "plain.key", "-out", "signer.key",
                    "-passout", "pass:" + password);
        }
    }

    static String[] cat(String[] a, String[] b, String... c) {
        return Stream.of(a, b, c).flatMap(Stream::of).toArray(String[]::new);
    }

    static Path render(String yaml, String name) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".yaml"), yaml);
        Path out = dir.resolve(name);
        StringWriter err = new StringWriter();
        int code = dev.autogen.cli.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "render", file.toString(), "--out", out.toString());
        assertEquals(0, code, err.toString());
        return out;
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(installed(), "openssl not installed: signed profiles not tested for real");
        pki("rsa", null);
        pki("ec", "ec key secret");
        signed = new TestServer(render(SITE, "signed"));
        plain = new TestServer(render(SITE.replaceAll("(?m)^    signing:\\n(      .*\\n)+", ""), "plain"));
    }

    static boolean installed() {
        try {
            openssl(dir, "version");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (signed != null) signed.close();
        if (plain != null) plain.close();
    }

    static int verify(Path profile, String kind, Path content) throws Exception {
        Process p = new ProcessBuilder("openssl", "cms", "-verify", "-inform", "DER", "-in", profile.toString(),
                "-CAfile", dir.resolve(kind + "/ca.pem").toString(), "-purpose", "any", "-out", content.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        p.getInputStream().readAllBytes();
        return p.exitValue();
    }

    @Test
    void opensslVerifiesPerUserProfilesAndTheContentIsTheUnsignedProfile() throws Exception {
        for (String kind : List.of("rsa", "ec")) {
            String query = "/mobileconfig?emailaddress=jane.doe@" + kind + ".example&name=Jane%20Doe";
            HttpResponse<byte[]> r = signed.getBytes(query);
            assertEquals(200, r.statusCode());
            assertEquals("application/x-apple-aspen-config", r.headers().firstValue("content-type").orElseThrow());
            assertEquals(0x30, r.body()[0] & 0xff, "DER");
            Path profile = Files.write(dir.resolve(kind + ".mobileconfig"), r.body());
            Path content = dir.resolve(kind + ".content");
            assertEquals(0, verify(profile, kind, content), kind);
            byte[] unsigned = plain.getBytes(query).body();
            assertArrayEquals(unsigned, Files.readAllBytes(content), kind + ": the signed content is the unsigned profile");
            NSDictionary top = (NSDictionary) PropertyListParser.parse(Files.readAllBytes(content));
            NSDictionary mail = (NSDictionary) ((NSArray) top.get("PayloadContent")).objectAtIndex(0);
            assertEquals("jane.doe@" + kind + ".example", mail.get("EmailAddress").toJavaObject());
            assertEquals("Jane Doe", mail.get("EmailAccountName").toJavaObject());

            // The other CA did not issue the signer; a tampered byte breaks the signature.
            assertNotEquals(0, verify(profile, kind.equals("rsa") ? "ec" : "rsa", content));
            byte[] tampered = r.body().clone();
            int at = new String(tampered, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("jane.doe@");
            tampered[at] = 'J';
            assertNotEquals(0, verify(Files.write(dir.resolve(kind + ".tampered"), tampered), kind, content));
        }
    }

    @Test
    void addresslessProfilesAreSignedWithTheStaticFilesContent() throws Exception {
        for (String kind : List.of("rsa", "ec")) {
            String domain = kind + ".example", path = "/mobileconfig/" + domain + ".mobileconfig";
            HttpResponse<byte[]> r = signed.getBytes(path);
            assertEquals(200, r.statusCode());
            Path content = dir.resolve(kind + ".addressless");
            assertEquals(0, verify(Files.write(dir.resolve(kind + ".addressless.mobileconfig"), r.body()), kind, content));
            // The generator signed the static file: same content, and the unsigned site's answer is that content.
            Path staticContent = dir.resolve(kind + ".static-addressless");
            assertEquals(0, verify(dir.resolve("signed/current/public/" + domain + "/" + domain + ".mobileconfig"), kind, staticContent));
            assertArrayEquals(Files.readAllBytes(staticContent), Files.readAllBytes(content), kind);
            assertArrayEquals(plain.getBytes(path).body(), Files.readAllBytes(content), kind);
            assertArrayEquals(r.body(), signed.getBytes(path).body(), "remembered: the same signed bytes again");
        }
    }

    @Test
    void eachUserGetsTheirOwnProfile() throws Exception {
        byte[] a = signed.getBytes("/mobileconfig?emailaddress=a@ec.example").body();
        byte[] b = signed.getBytes("/mobileconfig?emailaddress=b@ec.example").body();
        Path content = dir.resolve("b.content");
        assertEquals(0, verify(Files.write(dir.resolve("b.mobileconfig"), b), "ec", content));
        String text = Files.readString(content);
        assertTrue(text.contains("b@ec.example") && !text.contains("a@ec.example"), text);
        assertTrue(new String(a, java.nio.charset.StandardCharsets.ISO_8859_1).contains("a@ec.example"));
        // Asked again: the same signed bytes (remembered), still only that user's.
        assertArrayEquals(a, signed.getBytes("/mobileconfig?emailaddress=a@ec.example").body());
        assertArrayEquals(b, signed.getBytes("/mobileconfig?emailaddress=b@ec.example").body());
        byte[] named = signed.getBytes("/mobileconfig?emailaddress=a@ec.example&name=Ann").body();
        assertTrue(new String(named, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Ann"));
    }

    @Test
    void theProbeSaysWhoSignedAndWhetherTheChainIsTrusted() throws Exception {
        StringWriter out = new StringWriter();
        int code = dev.autogen.cli.Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "probe",
                "http://127.0.0.1:" + signed.port, "--email", "jane@ec.example", "--no-static",
                "--cacert", dir.resolve("ec/ca.pem").toString());
        assertTrue(out.toString().contains("signed by 'O=autogen tests,CN=profiles ec'")
                || out.toString().contains("signed by 'CN=profiles ec,O=autogen tests'"), out.toString());
        assertTrue(out.toString().contains("the signature and its chain verify against the system trust store and --cacert"),
                out.toString());
        StringWriter withoutCa = new StringWriter();
        dev.autogen.cli.Main.run(new PrintWriter(withoutCa, true), new PrintWriter(new StringWriter(), true), "probe",
                "http://127.0.0.1:" + signed.port, "--email", "jane@ec.example", "--no-static");
        assertTrue(withoutCa.toString().contains("its chain does not lead to the system trust store"), withoutCa.toString());
        assertTrue(code == 0 || code == 7, out.toString());
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateRefusesTheVersion() throws Exception {
        Path site = dir.resolve("reload");
        render(SITE, "reload");
        Path good = SiteLoader.currentVersion(site);
        try (TestServer s = new TestServer(site)) {
            String before = s.get("/health").body();
            // A copy of the version whose EC provider holds the RSA provider's key with its own certificate.
            Path broken = site.resolve("v-bbbbbbbbbbbbbbbb");
            copy(good, broken);
            Path ecFile = broken.resolve("private/signing/ec.example.pem");
            String rsaKey = Files.readString(broken.resolve("private/signing/rsa.example.pem")).split("(?=-----BEGIN CERTIFICATE)")[0];
            String ecCerts = Files.readString(ecFile).substring(Files.readString(ecFile).indexOf("-----BEGIN CERTIFICATE"));
            Files.writeString(ecFile, rsaKey + ecCerts);
            SiteLoader.InvalidSiteException e = assertThrows(SiteLoader.InvalidSiteException.class,
                    () -> SiteLoader.load(broken, (n, p, ca) -> { throw new AssertionError(); }));
            assertTrue(e.getMessage().contains("ec.example.pem: the key does not match the certificate"), e.getMessage());

            HandBuiltSite.switchTo(site, "bbbbbbbbbbbbbbbb");
            Thread.sleep(2_500);
            // The old version keeps serving; /health says current names another one, and why it is refused.
            String health = s.get("/health").body();
            assertEquals(before.replace("\"status\":\"ok\"", "\"status\":\"degraded\"")
                    .replaceFirst("\"current\":\"[0-9a-f]+\"", "\"current\":\"bbbbbbbbbbbbbbbb\"")
                    .replaceFirst("}\n$", ""), health.substring(0, health.indexOf(",\"reason\":")), health);
            assertTrue(health.contains("ec.example.pem: the key does not match the certificate"), health);
            assertEquals(503, s.get("/health").statusCode());
            assertTrue(s.get("/metrics").body().contains("autogen_site_reload_failures_total 1"));
            Path profile = Files.write(dir.resolve("reload.mobileconfig"), s.getBytes("/mobileconfig?emailaddress=x@ec.example").body());
            assertEquals(0, verify(profile, "ec", dir.resolve("reload.content")));
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
