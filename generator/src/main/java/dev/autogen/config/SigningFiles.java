package dev.autogen.config;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and checks the files of a {@code signing:} section: the certificate chain and the private key. Each method
 * throws {@link IllegalArgumentException} with a message for the admin (no key material, no Java class names); the
 * reader puts it at the YAML position of the key that named the file.
 */
final class SigningFiles {
    private SigningFiles() {}

    /** Not registered globally: only these calls use it (key decryption of the PEM formats the JDK lacks). */
    private static final Provider BC = new BouncyCastleProvider();

    /** Extended key usages a profile signer may have: S/MIME, TLS server or client, code signing, any. */
    private static final Set<String> SIGNING_USAGES = Set.of("1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.1",
            "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.3", "2.5.29.37.0");

    /** The certificates of a PEM file, in file order (the signer's first). */
    static List<X509Certificate> certificates(byte[] pem, String file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem))) {
                chain.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + " is not a PEM file of X.509 certificates");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate child = chain.get(i);
            X509Certificate parent = chain.get(i + 1);
            if (!child.getIssuerX500Principal().equals(parent.getSubjectX500Principal())) {
                throw new IllegalArgumentException(file + ": certificate " + (i + 2) + " ('"
                        + parent.getSubjectX500Principal().getName() + "') did not issue certificate " + (i + 1)
                        + "; put the signer's certificate first, then each issuer in turn");
            }
        }
        return List.copyOf(chain);
    }

    /**
     * The private key of a PEM file: PKCS#8 ({@code PRIVATE KEY} or {@code ENCRYPTED PRIVATE KEY}), also the
     * traditional OpenSSL RSA/EC formats. {@code password} is null when none was configured.
     */
    static PrivateKey key(byte[] pem, String file, char[] password) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            parsed = parser.readObject();
            while (parsed != null && !isKey(parsed)) {
                parsed = parser.readObject(); // e.g. "EC PARAMETERS" before the key
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a PEM private key");
        }
        if (parsed == null) {
            throw new IllegalArgumentException(file + " holds no private key (expected -----BEGIN PRIVATE KEY----- "
                    + "or -----BEGIN ENCRYPTED PRIVATE KEY-----)");
        }
        boolean encrypted = parsed instanceof PKCS8EncryptedPrivateKeyInfo || parsed instanceof PEMEncryptedKeyPair;
        if (encrypted && password == null) {
            throw new IllegalArgumentException(file + " is encrypted; give its password with keyPassword, "
                    + "keyPasswordFile or keyPasswordEnv");
        }
        if (!encrypted && password != null) {
            throw new IllegalArgumentException(file + " is not encrypted, but a key password is given; remove it");
        }
        // Bouncy Castle's key objects: its deterministic ECDSA signs them without converting each time.
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
        PrivateKey key;
        try {
            if (parsed instanceof PKCS8EncryptedPrivateKeyInfo info) {
                key = converter.getPrivateKey(info.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password)));
            } else if (parsed instanceof PEMEncryptedKeyPair pair) {
                key = converter.getKeyPair(pair.decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password))).getPrivate();
            } else if (parsed instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            } else {
                key = converter.getPrivateKey((PrivateKeyInfo) parsed);
            }
        } catch (PKCSException | IOException | OperatorCreationException e) {
            throw new IllegalArgumentException(encrypted ? "cannot decrypt " + file + " with the given password"
                    : file + " is not a readable private key");
        }
        if (!(key instanceof RSAPrivateKey) && !(key instanceof ECPrivateKey)) {
            throw new IllegalArgumentException(file + " holds a " + key.getAlgorithm() + " key; profiles are "
                    + "signed with RSA or EC keys");
        }
        if (key instanceof RSAPrivateKey) {
            // RSA is signed by the JDK (about 10 % cheaper than Bouncy Castle's): give it a key of its own kind.
            try {
                key = java.security.KeyFactory.getInstance("RSA")
                        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(file + " is not a readable RSA private key");
            }
        }
        return key;
    }

    private static boolean isKey(Object o) {
        return o instanceof PrivateKeyInfo || o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMKeyPair
                || o instanceof PEMEncryptedKeyPair;
    }

    /** The problem with signing with {@code key} and {@code chain} at {@code now}, or null when there is none. */
    static String keyProblem(PrivateKey key, X509Certificate signer) {
        String algorithm = key instanceof RSAPrivateKey ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "autogen signing key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature s = Signature.getInstance(algorithm, BC);
            s.initSign(key);
            s.update(probe);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm, BC);
            v.initVerify(signer.getPublicKey());
            v.update(probe);
            if (v.verify(signature)) {
                return null;
            }
        } catch (GeneralSecurityException e) {
            // a key of one kind and a certificate of the other: does not match either
        }
        return "does not match the certificate '" + signer.getSubjectX500Principal().getName() + "'";
    }

    /** The problem with the signer certificate's usage or validity at {@code now}, or null when there is none. */
    static String certificateProblem(X509Certificate signer, Instant now) {
        boolean[] usage = signer.getKeyUsage();
        if (usage != null && !usage[0] && !usage[1]) {
            return "is not valid for signing: its key usage allows neither digitalSignature nor nonRepudiation";
        }
        try {
            List<String> extended = signer.getExtendedKeyUsage();
            if (extended != null && extended.stream().noneMatch(SIGNING_USAGES::contains)) {
                return "is not valid for signing: its extended key usage is none of emailProtection (S/MIME), "
                        + "serverAuth, clientAuth, codeSigning";
            }
        } catch (CertificateException e) {
            return "has an unreadable extended key usage extension";
        }
        if (now.isAfter(signer.getNotAfter().toInstant())) {
            return "expired on " + signer.getNotAfter().toInstant() + "; devices would show the profile as not "
                    + "verified";
        }
        if (now.isBefore(signer.getNotBefore().toInstant())) {
            return "is valid only from " + signer.getNotBefore().toInstant();
        }
        return null;
    }
}
