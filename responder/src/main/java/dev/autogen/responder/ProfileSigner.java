package dev.autogen.responder;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;
import org.bouncycastle.util.Store;

/**
 * Signs per-user Apple profiles with a provider's key ({@code private/signing/<provider>.pem}: the PKCS#8 key, then
 * the chain, signer first): CMS SignedData, content attached, DER, SHA-256, chain included, as the generator signs the
 * address-less profile. Read and checked once per site load; a broken file refuses the version.
 * <p>
 * RSA signatures are the JDK's (SunRsaSign, a little faster than Bouncy Castle's); EC signatures are Bouncy Castle's,
 * about five times cheaper than the JDK 17 SunEC's for P-256 (150 against 800 µs of CPU measured on the development
 * VM). ECDSA here is randomised, which is fine: a per-user answer is never compared with a re-signed one.
 * {@link #sign} is CPU work, so the responder runs it on the signing pool, never on an I/O thread. Each call builds
 * its own generator: the Bouncy Castle builders are not thread-safe; certificates and digests are shared.
 */
final class ProfileSigner {
    private final PrivateKey key;
    private final String algorithm;
    private final X509CertificateHolder signer;
    private final Store<X509CertificateHolder> chain;
    private final DigestCalculatorProvider digests;

    /** Not registered globally: only EC signatures use it. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private ProfileSigner(PrivateKey key, List<X509CertificateHolder> chain) throws Exception {
        this.key = key;
        this.algorithm = key instanceof RSAPrivateKey ? "SHA256withRSA" : "SHA256withECDSA";
        this.signer = chain.get(0);
        this.chain = new CollectionStore<>(chain);
        this.digests = new JcaDigestCalculatorProviderBuilder().build();
    }

    /**
     * Answers signed lately, by the exact unsigned profile (which holds the address, name and logins): a repeated
     * request gets the same bytes without signing again, and no two users' profiles can share an entry. Bounded: it
     * forgets everything when full (a few MB at most).
     */
    private final java.util.concurrent.ConcurrentHashMap<java.nio.ByteBuffer, byte[]> recent = new java.util.concurrent.ConcurrentHashMap<>();
    static final int RECENT = 512;

    /** The signed answer for exactly this profile if it was signed lately, else null. Cheap: no signing. */
    byte[] recent(byte[] profile) {
        return recent.get(java.nio.ByteBuffer.wrap(profile));
    }

    /** Threads that sign: half the cores (at least one), so other routes always keep a core; a bounded queue. */
    static java.util.concurrent.ExecutorService pool() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return new java.util.concurrent.ThreadPoolExecutor(threads, threads, 0, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "autogen-sign-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** The signed profile (remembered for {@link #recent}). */
    byte[] sign(byte[] profile) {
        byte[] signed = signNow(profile);
        if (recent.size() >= RECENT) recent.clear();
        recent.put(java.nio.ByteBuffer.wrap(profile), signed);
        return signed;
    }

    private byte[] signNow(byte[] profile) {
        try {
            SignerInfoGenerator info = new JcaSignerInfoGeneratorBuilder(digests)
                    .build(contentSigner(), signer);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(info);
            generator.addCertificates(chain);
            return generator.generate(new CMSProcessableByteArray(profile), true).getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            // The key signed at load time; failing now is a bug, answered with 500 by the responder.
            throw new IllegalStateException("cannot sign a profile: " + e.getMessage(), e);
        }
    }

    /** The text of a signing file, or null when there is no such file (the provider does not sign). */
    static String read(Path file) throws SiteLoader.InvalidSiteException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new SiteLoader.InvalidSiteException(file + ": cannot read the signing key (" + dev.autogen.text.IoErrors.reason(e) + ")");
        }
    }

    private org.bouncycastle.operator.ContentSigner contentSigner() throws org.bouncycastle.operator.OperatorCreationException {
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(algorithm);
        return (key instanceof RSAPrivateKey ? builder : builder.setProvider(BC)).build(key);
    }

    /** The signer of {@code text}, read from {@code file}, checked: the key signs what the certificate verifies. */
    static ProfileSigner load(Path file, String text) throws SiteLoader.InvalidSiteException {
        PrivateKey key = null;
        List<X509CertificateHolder> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info && key == null) {
                    // EC keys as Bouncy Castle's own (named curve, fast arithmetic); converting a JDK key costs on every signature.
                    boolean ec = info.getPrivateKeyAlgorithm().getAlgorithm().equals(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey);
                    key = (ec ? new JcaPEMKeyConverter().setProvider(BC) : new JcaPEMKeyConverter()).getPrivateKey(info);
                }
                else if (o instanceof X509CertificateHolder c) chain.add(c);
                else throw new SiteLoader.InvalidSiteException(file + ": unexpected PEM block (expected one PRIVATE KEY, then CERTIFICATEs)");
            }
        } catch (IOException e) {
            throw new SiteLoader.InvalidSiteException(file + ": not a PEM file of a private key and certificates");
        }
        if (key == null) throw new SiteLoader.InvalidSiteException(file + ": holds no PRIVATE KEY");
        if (chain.isEmpty()) throw new SiteLoader.InvalidSiteException(file + ": holds no CERTIFICATE");
        try {
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(chain.get(0));
            ProfileSigner s = new ProfileSigner(key, chain);
            // A key that does not match its certificate would give profiles every device rejects: refuse the site.
            Signature check = key instanceof RSAPrivateKey ? Signature.getInstance(s.algorithm) : Signature.getInstance(s.algorithm, BC);
            check.initSign(key);
            check.update(file.toString().getBytes(StandardCharsets.UTF_8));
            byte[] signature = check.sign();
            check.initVerify(certificate.getPublicKey());
            check.update(file.toString().getBytes(StandardCharsets.UTF_8));
            if (!check.verify(signature)) throw new GeneralSecurityException("mismatch");
            return s;
        } catch (Exception e) {
            throw new SiteLoader.InvalidSiteException(file + ": the key does not match the certificate '" + chain.get(0).getSubject() + "'");
        }
    }
}
