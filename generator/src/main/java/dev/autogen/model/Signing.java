package dev.autogen.model;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * The certificate and key that sign a provider's Apple profiles (YAML {@code signing:}).
 *
 * @param certificateFile where the chain was read from (absolute)
 * @param chain           the signer's certificate first, then the rest of its chain, as given
 * @param keyFile         where the key was read from (absolute)
 * @param key             the signer's private key, already decrypted; never printed ({@link #toString})
 */
public record Signing(Path certificateFile, List<X509Certificate> chain, Path keyFile, PrivateKey key) {
    public Signing {
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The signer's subject as a person reads it (RFC 2253). */
    public String subject() {
        return certificate().getSubjectX500Principal().getName();
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "Signing[" + subject() + ", key " + keyFile + " ****]";
    }
}
