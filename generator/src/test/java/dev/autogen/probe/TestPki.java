package dev.autogen.probe;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * A test CA and one server certificate signed by it, made fresh for each test run (nothing is checked in): the
 * server key store for a TLS server, and the CA as a PEM file for {@code --cacert}.
 */
final class TestPki {
    static final char[] PASSWORD = "test".toCharArray();

    final X509Certificate ca;
    final KeyStore serverKeyStore;

    /** @param names the server certificate's DNS names; 127.0.0.1 is added as an IP address */
    TestPki(String... names) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair serverKeys = generator.generateKeyPair();
        Date from = Date.from(Instant.now().minus(Duration.ofHours(1)));
        Date until = Date.from(Instant.now().plus(Duration.ofDays(2)));

        X500Name caName = new X500Name("CN=autogen probe test CA");
        X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, until, caName,
                caKeys.getPublic());
        caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca = new JcaX509CertificateConverter().getCertificate(
                caBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));

        GeneralName[] san = new GeneralName[names.length + 1];
        for (int i = 0; i < names.length; i++) {
            san[i] = new GeneralName(GeneralName.dNSName, names[i]);
        }
        san[names.length] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
        X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, from, until,
                new X500Name("CN=" + names[0]), serverKeys.getPublic());
        serverBuilder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
        serverBuilder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate server = new JcaX509CertificateConverter().getCertificate(
                serverBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));

        serverKeyStore = KeyStore.getInstance("PKCS12");
        serverKeyStore.load(null, null);
        serverKeyStore.setKeyEntry("server", serverKeys.getPrivate(), PASSWORD, new X509Certificate[] {server, ca});
    }

    /** The CA certificate as a PEM file. */
    Path writeCaPem(Path file) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
