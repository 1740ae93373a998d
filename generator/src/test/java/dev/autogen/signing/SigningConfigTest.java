package dev.autogen.signing;

import dev.autogen.cli.Main;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad {@code signing:} input of the issue: each gives its message at file:line:col, all in one run, exit code 3,
 * an existing site untouched, and no key material in any message. A certificate near its end is a warning.
 */
class SigningConfigTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TestPki.Signer good, expired, encipherOnly, timestamping, encrypted, other;

    @BeforeAll
    static void certificates() throws Exception {
        pki = new TestPki(tmp.resolve("pki"), "EC");
        Instant now = Instant.now();
        good = pki.signer("good", "EC");
        other = pki.signer("other", "EC");
        expired = pki.signer("expired", "EC", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(2)),
                KeyUsage.digitalSignature, KeyPurposeId.id_kp_emailProtection, null);
        encipherOnly = pki.signer("encipher-only", "RSA", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)),
                KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth, null);
        timestamping = pki.signer("timestamping", "EC", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)),
                KeyUsage.digitalSignature, KeyPurposeId.id_kp_timeStamping, null);
        encrypted = pki.signer("encrypted", "EC", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)),
                KeyUsage.digitalSignature, KeyPurposeId.id_kp_emailProtection, "right password");
        Files.writeString(tmp.resolve("pki/wrong-password"), "wrong password\n");
    }

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** One provider per case; {@code signing} is the provider's signing block (indented 6). */
    static String provider(int n, String signing) {
        return "  - id: p" + n + ".example\n    name: Provider " + n + "\n    signing:\n" + signing
                + "    servers:\n      - {type: imap, hostname: imap.example.com}\n"
                + "      - {type: smtp, hostname: smtp.example.com}\n    domains: [p" + n + ".example]\n";
    }

    static String files(String certificate, String key, String... more) {
        return "      certificate: " + certificate + "\n      key: " + key + "\n"
                + String.join("", List.of(more).stream().map(m -> "      " + m + "\n").toList());
    }

    @Test
    void everyBadInputIsReportedAtItsPositionInOneRun() throws Exception {
        // value marker in the YAML -> expected message (after "file:line:col: ")
        Map<String, String> cases = new LinkedHashMap<>();
        List<String> blocks = new ArrayList<>();
        blocks.add(files("pki/missing.pem", "pki/good.key"));
        cases.put("pki/missing.pem", "certificate: " + tmp.resolve("pki/missing.pem") + " does not exist");
        blocks.add(files("pki/good.key", "pki/good.key"));
        cases.put("certificate: pki/good.key", "certificate: " + tmp.resolve("pki/good.key") + " is not a PEM file of X.509 certificates");
        blocks.add(files("pki/good.pem", "pki/other.key"));
        cases.put("pki/other.key", "key: " + tmp.resolve("pki/other.key") + " does not match the certificate 'CN=good,O=autogen tests'");
        blocks.add(files("pki/encipher-only.pem", "pki/encipher-only.key"));
        cases.put("pki/encipher-only.pem", "is not valid for signing: its key usage allows neither digitalSignature");
        blocks.add(files("pki/timestamping.pem", "pki/timestamping.key"));
        cases.put("pki/timestamping.pem", "is not valid for signing: its extended key usage is none of");
        blocks.add(files("pki/expired.pem", "pki/expired.key"));
        cases.put("pki/expired.pem", "certificate: 'CN=expired,O=autogen tests' in " + tmp.resolve("pki/expired.pem")
                + " expired on ");
        blocks.add(files("pki/encrypted.pem", "pki/encrypted.key"));
        cases.put("key: pki/encrypted.key\n      #", "key: " + tmp.resolve("pki/encrypted.key")
                + " is encrypted; give its password with keyPassword, keyPasswordFile or keyPasswordEnv");
        blocks.add(files("pki/encrypted.pem", "pki/encrypted.key", "keyPasswordFile: pki/wrong-password"));
        cases.put("key: pki/encrypted.key\n      keyPasswordFile", "key: cannot decrypt " + tmp.resolve("pki/encrypted.key")
                + " with the given password");
        blocks.add(files("pki/encrypted.pem", "pki/encrypted.key", "keyPasswordEnv: AUTOGEN_TEST_UNSET_VARIABLE"));
        cases.put("AUTOGEN_TEST_UNSET_VARIABLE", "keyPasswordEnv: the environment variable AUTOGEN_TEST_UNSET_VARIABLE is not set");
        blocks.add(files("pki/good.pem", "pki/good.key", "keyPassword: x", "keyPasswordFile: pki/../pki/wrong-password"));
        cases.put("keyPasswordFile: pki/../pki/wrong-password", "keyPasswordFile: more than one password source");
        blocks.add("      cert: pki/good.pem\n      key: pki/good.key\n");
        cases.put("cert: pki/good.pem", "unknown key 'cert' in signing; allowed keys: certificate, key,");

        StringBuilder yaml = new StringBuilder("providers:\n");
        for (int i = 0; i < blocks.size(); i++) {
            // the comment line makes the "encrypted, no password" case's marker unique
            yaml.append(provider(i, blocks.get(i) + (i == 6 ? "      # no password\n" : "")));
        }
        Path file = Files.writeString(tmp.resolve("bad.yaml"), yaml.toString());
        Path out = tmp.resolve("site");
        assertEquals(0, cli("render", okYaml().toString(), "--out", out.toString()).code());
        String before = Files.readSymbolicLink(out.resolve("current")).toString();

        Run run = cli("render", file.toString(), "--out", out.toString());
        assertEquals(3, run.code(), run.err());
        String text = yaml.toString();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            int at = text.indexOf(c.getKey());
            assertTrue(at >= 0, c.getKey());
            assertEquals(at, text.lastIndexOf(c.getKey()), "marker not unique: " + c.getKey());
            // Problems about a value sit at the value; the others at the key of their line.
            boolean atValue = !c.getKey().contains(":");
            String where = file + ":" + line(text, at) + ":" + (atValue ? column(text, at) + ": " : "");
            assertTrue(run.err().lines().anyMatch(l -> l.startsWith("autogen: " + where) && l.contains(c.getValue())),
                    "missing: " + where + " " + c.getValue() + "\n" + run.err());
        }
        assertEquals(before, Files.readSymbolicLink(out.resolve("current")).toString(), "the site is untouched");
        for (TestPki.Signer s : List.of(good, other, encrypted)) {
            assertFalse(run.err().contains(Base64.getEncoder().encodeToString(s.keys().getPrivate().getEncoded()).substring(0, 40)));
        }
        assertFalse(run.err().contains("right password") || run.err().contains("wrong password"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());

        Run check = cli("check", file.toString());
        assertEquals(3, check.code(), check.out());
        assertTrue(check.out().contains("does not match the certificate"), check.out());
    }

    static Path okYaml() throws IOException {
        return Files.writeString(tmp.resolve("ok.yaml"), "signing:\n  certificate: pki/good.pem\n  key: pki/good.key\n"
                + "providers:\n  - name: OK\n    servers:\n      - {type: imap, hostname: imap.example.com}\n"
                + "      - {type: smtp, hostname: smtp.example.com}\n    domains: [ok.example]\n");
    }

    @Test
    void aCertificateEndingWithin30DaysIsAWarning() throws Exception {
        TestPki.Signer soon = pki.signer("soon", "RSA", Instant.now().minus(Duration.ofDays(300)),
                Instant.now().plus(Duration.ofDays(10)), KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                KeyPurposeId.id_kp_serverAuth, null);
        Path yaml = Files.writeString(tmp.resolve("soon.yaml"), "signing:\n  certificate: pki/soon.pem\n  key: " + "pki/soon.key\n"
                + "providers:\n  - name: Soon\n    servers:\n      - {type: imap, hostname: imap.example.com}\n"
                + "      - {type: smtp, hostname: smtp.example.com}\n    domains: [soon.example]\n");
        Run check = cli("check", yaml.toString());
        assertEquals(6, check.code(), check.out());
        assertTrue(check.out().contains("warning: provider soon.example: signing certificate 'CN=soon,O=autogen tests' ("
                + soon.certificate() + ") expires on "), check.out());
        assertTrue(check.out().contains("in 9 days") || check.out().contains("in 10 days"), check.out());
        assertEquals(0, cli("check", okYaml().toString()).code(), "90 days left: no warning");
    }

    static int line(String text, int at) {
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    static int column(String text, int at) {
        return at - text.lastIndexOf('\n', at - 1);
    }
}
