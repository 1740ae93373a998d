package dev.autogen.signing;

import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import dev.autogen.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The address-less profiles of samples/example.yaml rendered with a site-wide RSA-2048 signer and one provider with
 * its own EC P-256 signer (encrypted key), each checked by the real openssl against the CA made for the test.
 */
class SignedRenderTest {
    @TempDir
    static Path tmp;
    static TestPki rsa, ec;
    static TestPki.Signer rsaSigner, ecSigner;
    static Path yaml, signedOut, plainOut;

    /** Domains of samples/example.yaml by who signs them. */
    static final List<String> RSA_DOMAINS = List.of("example.com", "example.net", "example.org", "students.example");
    static final List<String> EC_DOMAINS = List.of("ham-n-eggs.example", "xn--bcher-kva.example");

    @BeforeAll
    static void renderBoth() throws Exception {
        rsa = new TestPki(tmp.resolve("rsa"), "RSA");
        ec = new TestPki(tmp.resolve("ec"), "EC");
        rsaSigner = rsa.signer("profiles-rsa", "RSA");
        ecSigner = ec.signer("profiles-ec", "EC", java.time.Instant.now().minusSeconds(3600),
                java.time.Instant.now().plus(java.time.Duration.ofDays(400)),
                org.bouncycastle.asn1.x509.KeyUsage.digitalSignature,
                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth, "ec secret");
        Files.writeString(tmp.resolve("ec/password"), "ec secret\n");
        Files.createDirectories(tmp.resolve("secrets"));
        Files.copy(Path.of("../samples/secrets/ldap-bind-password"), tmp.resolve("secrets/ldap-bind-password"));
        String sample = Files.readString(Path.of("../samples/example.yaml"));
        plainOut = render(write("plain.yaml", sample), "plain");
        String signed = "signing:\n  certificate: rsa/profiles-rsa.pem\n  key: rsa/profiles-rsa.key\n"
                + sample.replace("  - id: mail.ham-n-eggs.example\n", "  - id: mail.ham-n-eggs.example\n"
                + "    signing:\n      certificate: ec/profiles-ec.pem\n      key: ec/profiles-ec.key\n"
                + "      keyPasswordFile: ec/password\n");
        yaml = write("signed.yaml", signed);
        signedOut = render(yaml, "signed");
    }

    static Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    static CliResult cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliResult(code, out.toString(), err.toString());
    }

    record CliResult(int code, String out, String err) {}

    static Path render(Path yaml, String name) {
        Path out = tmp.resolve("out-" + name);
        CliResult r = cli("render", yaml.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        return out;
    }

    static Path profile(Path site, String domain) {
        return site.resolve("current/public/" + domain + "/" + domain + ".mobileconfig");
    }

    @Test
    void opensslVerifiesEveryProfileAndItsContentIsTheUnsignedPlist() throws Exception {
        assumeTrue(OpenSsl.installed(), "openssl not installed: signatures not verified for real");
        for (String domain : Stream.concat(RSA_DOMAINS.stream(), EC_DOMAINS.stream()).toList()) {
            TestPki pki = RSA_DOMAINS.contains(domain) ? rsa : ec;
            Path content = tmp.resolve(domain + ".verified");
            OpenSsl.Result r = OpenSsl.verify(profile(signedOut, domain), pki.caFile, content);
            assertEquals(0, r.exitCode(), domain + ": " + r.output());
            assertTrue(r.output().contains("Verification successful"), r.output());
            byte[] plain = Files.readAllBytes(profile(plainOut, domain));
            assertArrayEquals(plain, Files.readAllBytes(content), domain + ": the signed content is the unsigned plist");
            NSDictionary top = (NSDictionary) PropertyListParser.parse(Files.readAllBytes(content));
            assertEquals("Configuration", top.get("PayloadType").toJavaObject());

            // The other CA did not issue this signer: verification fails.
            TestPki other = pki == rsa ? ec : rsa;
            assertNotEquals(0, OpenSsl.verify(profile(signedOut, domain), other.caFile, content).exitCode(), domain);

            Path signer = tmp.resolve(domain + ".signer.pem");
            assertEquals(0, OpenSsl.signers(profile(signedOut, domain), pki.caFile, signer).exitCode());
            assertTrue(Files.readString(signer).contains(base64Body(pki == rsa ? rsaSigner : ecSigner)), domain);
        }
    }

    @Test
    void aTamperedByteFailsVerification() throws Exception {
        assumeTrue(OpenSsl.installed(), "openssl not installed: signatures not verified for real");
        for (String domain : List.of("example.com", "ham-n-eggs.example")) {
            byte[] signed = Files.readAllBytes(profile(signedOut, domain));
            String text = new String(signed, StandardCharsets.ISO_8859_1);
            int at = text.indexOf("<string>Configuration</string>") + "<string>".length();
            assertTrue(at > 8, domain);
            signed[at] = (byte) 'c';
            Path tampered = Files.write(tmp.resolve(domain + ".tampered"), signed);
            TestPki pki = domain.equals("example.com") ? rsa : ec;
            OpenSsl.Result r = OpenSsl.verify(tampered, pki.caFile, tmp.resolve(domain + ".tampered.out"));
            assertNotEquals(0, r.exitCode(), r.output());
        }
    }

    @Test
    void sameInputSameBytesAndAnUnchangedReRenderWritesNothing() throws Exception {
        Path second = render(yaml, "second");
        assertEquals(texts(signedOut.resolve("current")), texts(second.resolve("current")));
        String before = Files.readSymbolicLink(signedOut.resolve("current")).toString();
        CliResult again = cli("render", yaml.toString(), "--out", signedOut.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("nothing changed"), again.err());
        assertEquals(before, Files.readSymbolicLink(signedOut.resolve("current")).toString());
    }

    @Test
    void theKeyIsOnlyInPrivateAndThereMode0600() throws Exception {
        Path version = signedOut.resolve("current");
        Path rsaFile = version.resolve("private/signing/example.com.pem");
        Path ecFile = version.resolve("private/signing/mail.ham-n-eggs.example.pem");
        assertEquals(secret(rsaSigner.keys().getPrivate()), secret(privateKey(rsaFile)));
        assertEquals(secret(ecSigner.keys().getPrivate()), secret(privateKey(ecFile)), "decrypted for the responder");
        List<byte[]> keyEncodings = List.of(rsaSigner.keys().getPrivate().getEncoded(),
                ecSigner.keys().getPrivate().getEncoded(), privateKey(rsaFile).getEncoded(),
                privateKey(ecFile).getEncoded(), secret(rsaSigner.keys().getPrivate()).toByteArray(),
                secret(ecSigner.keys().getPrivate()).toByteArray());
        Map<String, byte[]> outside = new TreeMap<>(files(version.resolve("public")));
        outside.putAll(files(version.resolve("conf")));
        for (byte[] der : keyEncodings) {
            String base64 = base64(der);
            for (Map.Entry<String, byte[]> f : outside.entrySet()) {
                assertFalse(contains(f.getValue(), der), f.getKey() + " holds the key's DER");
                assertFalse(new String(f.getValue(), StandardCharsets.ISO_8859_1).replace("\n", "").contains(base64),
                        f.getKey() + " holds the key's PEM body");
            }
        }
        for (Path p : List.of(rsaFile, ecFile, rsaFile.getParent())) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            assertTrue(mode.equals("rw-------") || mode.equals("rwx------"), p + " " + mode);
        }
        assertEquals(Files.readString(rsaFile), Files.readString(version.resolve("private/signing/students.example.pem")),
                "the third provider uses the site's key");
    }

    /** The secret number of a key: RSA's private exponent, EC's scalar. */
    static java.math.BigInteger secret(java.security.PrivateKey key) {
        return key instanceof java.security.interfaces.RSAPrivateKey r ? r.getPrivateExponent()
                : ((java.security.interfaces.ECPrivateKey) key).getS();
    }

    static java.security.PrivateKey privateKey(Path file) throws Exception {
        try (org.bouncycastle.openssl.PEMParser p = new org.bouncycastle.openssl.PEMParser(Files.newBufferedReader(file))) {
            return new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter()
                    .getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) p.readObject());
        }
    }

    @Test
    void withoutSigningNothingIsSignedAndNoKeyIsWritten() throws Exception {
        Path version = plainOut.resolve("current");
        assertFalse(Files.exists(version.resolve("private/signing")));
        assertTrue(Files.readString(profile(plainOut, "example.com")).startsWith("<?xml"));
    }

    static String base64Body(TestPki.Signer s) throws Exception {
        return Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(s.leaf().getEncoded()).split("\n")[0];
    }

    static String base64(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> result = new TreeMap<>();
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(paths::add);
        }
        for (Path p : paths) {
            result.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return result;
    }

    /** Contents as Latin-1 strings: maps of them compare by content (byte arrays would compare by identity). */
    static Map<String, String> texts(Path root) throws IOException {
        Map<String, String> result = new TreeMap<>();
        files(root).forEach((k, v) -> result.put(k, new String(v, StandardCharsets.ISO_8859_1)));
        return result;
    }
}
