package dev.autogen.signing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A certificate authority made at test time, and signer certificates from it, written as PEM files the way an admin
 * would have them: {@code ca.pem}, a chain file (signer first, then the CA) and a PKCS#8 key, optionally encrypted.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    public final Path dir;
    public final Path caFile;
    final KeyPair caKeys;
    final X509Certificate ca;

    /** The files of one signer. */
    public record Signer(Path certificate, Path key, X509Certificate leaf, KeyPair keys) {}

    public TestPki(Path dir, String keyType) throws Exception {
        this.dir = Files.createDirectories(dir);
        caKeys = keyPair(keyType);
        X500Name name = new X500Name("O=autogen tests,CN=autogen test CA " + keyType);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(365))),
                name, caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca = sign(b, caKeys);
        caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, pem(ca));
    }

    public static KeyPair keyPair(String keyType) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(keyType);
        if (keyType.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    /** An S/MIME signer valid from yesterday for {@code days} days. */
    public Signer signer(String name, String keyType) throws Exception {
        return signer(name, keyType, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)),
                KeyUsage.digitalSignature, KeyPurposeId.id_kp_emailProtection, null);
    }

    /**
     * @param keyUsage  KeyUsage bits, or -1 for no extension
     * @param purpose   the extended key usage, or null for no extension
     * @param password  encrypts the key file (PKCS#8, AES-256-CBC) when not null
     */
    public Signer signer(String name, String keyType, Instant notBefore, Instant notAfter, int keyUsage,
                         KeyPurposeId purpose, String password) throws Exception {
        KeyPair keys = keyPair(keyType);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), new X500Name("O=autogen tests,CN=" + name),
                keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        if (keyUsage >= 0) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        if (purpose != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        X509Certificate leaf = sign(b, caKeys);
        Path certificate = dir.resolve(name + ".pem");
        Files.writeString(certificate, pem(leaf) + pem(ca));
        Path key = dir.resolve(name + ".key");
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(keys.getPrivate(), password == null ? null
                    : new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                            .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                            .setPassword(password.toCharArray()).build()));
        }
        Files.writeString(key, out.toString());
        return new Signer(certificate, key, leaf, keys);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair issuer) throws Exception {
        String algorithm = issuer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(algorithm).build(issuer.getPrivate())));
    }

    public static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
