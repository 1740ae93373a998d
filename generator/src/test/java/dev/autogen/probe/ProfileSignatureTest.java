package dev.autogen.probe;

import dev.autogen.model.Signing;
import dev.autogen.render.ProfileSigner;
import dev.autogen.signing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import static dev.autogen.probe.Documents.ADDRESS;
import static dev.autogen.probe.Documents.plist;
import static dev.autogen.probe.Documents.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the probe says about signed and unsigned profiles (signed here by the generator's own signer). */
class ProfileSignatureTest {
    private static final String TYPE = "application/x-apple-aspen-config";

    @TempDir
    Path tmp;

    private static List<X509Certificate> read(Path pem) throws Exception {
        try (var in = java.nio.file.Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
        }
    }

    @Test
    void reportsTheSignerItsEndAndWhetherTheChainIsTrusted() throws Exception {
        for (String type : List.of("RSA", "EC")) {
            TestPki pki = new TestPki(tmp.resolve(type), type);
            TestPki.Signer s = pki.signer("probe-" + type, type);
            byte[] plain = plist(profile(ADDRESS));
            byte[] signed = ProfileSigner.sign(plain, new Signing(s.certificate(), read(s.certificate()), s.key(),
                    s.keys().getPrivate()));

            ClientVerdict trusted = ProfileRules.apple("test", signed, TYPE, ADDRESS, read(pki.caFile));
            assertEquals(List.of(), trusted.problems(), type);
            assertEquals(2, trusted.servers().size(), "the signed plist is evaluated like an unsigned one");
            assertTrue(trusted.notes().contains("signed by 'CN=probe-" + type + ",O=autogen tests' (issued by 'CN=autogen "
                    + "test CA " + type + ",O=autogen tests'), valid until " + s.leaf().getNotAfter().toInstant()),
                    trusted.notes()::toString);
            assertTrue(trusted.notes().contains("the signature and its chain verify against the system trust store and --cacert"),
                    trusted.notes()::toString);

            ClientVerdict system = ProfileRules.apple("test", signed, TYPE, ADDRESS);
            assertEquals(List.of(), system.problems());
            assertTrue(system.notes().stream().anyMatch(n -> n.startsWith("the signature verifies, but its chain does not "
                    + "lead to the system trust store")), system.notes()::toString);

            byte[] tampered = signed.clone();
            int at = new String(tampered, StandardCharsets.ISO_8859_1).indexOf("imap.example.com");
            tampered[at] = 'I';
            ClientVerdict broken = ProfileRules.apple("test", tampered, TYPE, ADDRESS, read(pki.caFile));
            assertTrue(broken.problems().stream().anyMatch(p -> p.contains("signature does not verify")),
                    broken.problems()::toString);
        }
    }

    @Test
    void anUnsignedProfileIsSaidToBeUnsigned() {
        ClientVerdict v = ProfileRules.apple("test", plist(profile(ADDRESS)), TYPE, ADDRESS);
        assertEquals(List.of(), v.problems());
        assertTrue(v.notes().contains("the profile is not signed: iOS and macOS show it as \"Not Verified\""), v.notes()::toString);
    }
}
