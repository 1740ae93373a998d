package dev.autogen.render;

import dev.autogen.model.Signing;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.jcajce.io.OutputStreamFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;

/**
 * Signs the address-less Apple profile: CMS SignedData, content attached, DER, SHA-256, the signer's certificate and
 * chain included; what iOS and macOS verify to show a profile as "Verified".
 * <p>
 * Deterministic, so an unchanged site re-renders to the same bytes and publishes nothing: no signing-time attribute
 * (CMS adds one by default), RSA PKCS#1 v1.5 (deterministic by construction) and, for EC keys, RFC 6979 deterministic
 * ECDSA (Bouncy Castle's {@code SHA256withECDDSA}; the JDK's ECDSA draws a random nonce per signature). Thread-safe.
 * <p>
 * Cost, CPU per profile on the development VM: about 0.3 ms for EC P-256, 1.2–2 ms for RSA-2048, i.e. 30 s and
 * 2–3 minutes of CPU for a 100,000-domain site (shared by the render's threads).
 */
public final class ProfileSigner {
    private ProfileSigner() {}

    /** Not registered globally: only these calls use it. */
    private static final Provider BC = new BouncyCastleProvider();

    /** The standard signed attributes (content type, message digest, algorithm protection) without the time. */
    private static final CMSAttributeTableGenerator NO_SIGNING_TIME = parameters ->
            new DefaultSignedAttributeTableGenerator().getAttributes(parameters).remove(CMSAttributes.signingTime);

    public static byte[] sign(byte[] content, Signing signing) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(
                    new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider(BC).build())
                            .setSignedAttributeGenerator(NO_SIGNING_TIME)
                            .build(contentSigner(signing.key()), signing.certificate()));
            generator.addCertificates(new JcaCertStore(signing.chain()));
            return generator.generate(new CMSProcessableByteArray(content), true).getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | GeneralSecurityException | CMSException | IOException e) {
            // The reader already signed with this key and certificate: this is not the input's fault.
            throw new IllegalStateException("cannot sign a profile with " + signing, e);
        }
    }

    /**
     * RSA through Bouncy Castle's builder; EC as deterministic ECDSA, which that builder cannot name, so its
     * signature (the same ASN.1 as any ECDSA with SHA-256: devices and openssl verify it as such) is wired by hand.
     */
    private static ContentSigner contentSigner(PrivateKey key) throws OperatorCreationException,
            GeneralSecurityException {
        if (key instanceof RSAPrivateKey) {
            return new JcaContentSignerBuilder("SHA256withRSA").build(key); // the JDK's: a little cheaper than BC's
        }
        Signature signature = Signature.getInstance("SHA256withECDDSA", BC);
        signature.initSign(key);
        AlgorithmIdentifier algorithm = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
        OutputStream stream = OutputStreamFactory.createStream(signature);
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public OutputStream getOutputStream() {
                return stream;
            }

            @Override
            public byte[] getSignature() {
                try {
                    return signature.sign();
                } catch (SignatureException e) {
                    throw new IllegalStateException("cannot sign a profile", e);
                }
            }
        };
    }

    /**
     * {@code private/signing/<provider>.pem} for the responder: the key (unencrypted PKCS#8: the responder has no
     * password) then the chain, signer first. Only ever written to {@code private/} (0600).
     */
    public static byte[] privateFile(Signing signing) {
        StringWriter out = new StringWriter();
        pem(out, "PRIVATE KEY", signing.key().getEncoded());
        try {
            for (X509Certificate c : signing.chain()) {
                pem(out, "CERTIFICATE", c.getEncoded());
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the reader parsed this certificate", e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void pem(StringWriter out, String type, byte[] der) {
        out.append("-----BEGIN ").append(type).append("-----\n")
                .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der))
                .append("\n-----END ").append(type).append("-----\n");
    }
}
