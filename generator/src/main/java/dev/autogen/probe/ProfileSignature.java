package dev.autogen.probe;

import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Whether an Apple profile is signed, by whom, until when, and whether its chain leads to a trusted authority: the
 * system's (the JDK's trust store, close to what devices ship) or, besides those, the {@code --cacert} file's (a
 * private CA that devices get through MDM). A profile whose
 * signature does not verify is refused by devices (a problem); one whose chain is not trusted installs as
 * "Not Verified" (a note: devices that got the CA through MDM do trust it).
 */
final class ProfileSignature {
    private ProfileSignature() {}

    /**
     * The plist inside {@code body}: the signed content of a CMS SignedData (DER), or {@code body} itself when it is
     * not signed. What was found goes to {@code notes} and {@code problems}.
     *
     * @param extra authorities to trust besides the system trust store (--cacert); empty for none
     */
    static byte[] plist(byte[] body, Collection<X509Certificate> extra, Instant now, List<String> notes,
                        List<String> problems) {
        if (body.length == 0 || (body[0] & 0xff) != 0x30) {
            notes.add("the profile is not signed: iOS and macOS show it as \"Not Verified\"");
            return body;
        }
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(ContentInfo.getInstance(body));
        } catch (CMSException | RuntimeException e) {
            throw new ProbeException("the profile looks signed (DER) but is not CMS SignedData");
        }
        if (signed.getSignedContent() == null || !(signed.getSignedContent().getContent() instanceof byte[] content)) {
            throw new ProbeException("the signed profile carries no content (a detached signature)");
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            problems.add("the profile has " + signers.size() + " signatures; devices expect exactly one");
            return content;
        }
        SignerInformation signer = signers.iterator().next();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches(signer.getSID());
        if (matches.isEmpty()) {
            problems.add("the profile's signer certificate is not included; devices cannot verify it");
            return content;
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        X509Certificate certificate;
        List<X509Certificate> included = new ArrayList<>();
        try {
            certificate = converter.getCertificate(matches.iterator().next());
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> all = signed.getCertificates().getMatches(null);
            for (X509CertificateHolder h : all) {
                included.add(converter.getCertificate(h));
            }
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
                problems.add("the profile's signature does not verify: the content was changed after signing");
                return content;
            }
        } catch (GeneralSecurityException | OperatorCreationException | CMSException e) {
            problems.add("the profile's signature does not verify (" + e.getMessage() + ")");
            return content;
        }
        Instant notAfter = certificate.getNotAfter().toInstant();
        notes.add("signed by '" + certificate.getSubjectX500Principal().getName() + "' (issued by '"
                + certificate.getIssuerX500Principal().getName() + "'), valid until " + notAfter);
        if (now.isAfter(notAfter) || now.isBefore(certificate.getNotBefore().toInstant())) {
            problems.add("the signing certificate is not valid now (valid " + certificate.getNotBefore().toInstant()
                    + " to " + notAfter + "): devices show the profile as \"Not Verified\"");
            return content;
        }
        String store = extra.isEmpty() ? "the system trust store" : "the system trust store and --cacert";
        String chainProblem = chainProblem(certificate, included, extra, now);
        if (chainProblem == null) {
            notes.add("the signature and its chain verify against " + store);
        } else {
            notes.add("the signature verifies, but its chain does not lead to " + store + " (" + chainProblem
                    + "): devices show \"Not Verified\" unless they trust that authority (e.g. installed by MDM)");
        }
        return content;
    }

    /** Null when {@code signer} chains up to a system authority or one of {@code extra}; else why not. */
    private static String chainProblem(X509Certificate signer, List<X509Certificate> included,
                                       Collection<X509Certificate> extra, Instant now) {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            List<X509Certificate> authorities = new ArrayList<>(systemAuthorities());
            authorities.addAll(extra);
            for (X509Certificate c : authorities) {
                anchors.add(new TrustAnchor(c, null));
            }
            if (anchors.isEmpty()) {
                return "no trusted authorities";
            }
            // The path: the signer, then the included certificates that are not anchors themselves, in order.
            List<X509Certificate> path = new ArrayList<>();
            path.add(signer);
            X509Certificate last = signer;
            for (int i = 0; i < included.size(); i++) {
                for (X509Certificate c : included) {
                    if (!path.contains(c) && c.getSubjectX500Principal().equals(last.getIssuerX500Principal())
                            && !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                        path.add(c);
                        last = c;
                    }
                }
            }
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false); // no network from the probe beyond the server it probes
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            return null;
        } catch (CertPathValidatorException e) {
            return e.getMessage();
        } catch (GeneralSecurityException e) {
            return e.getMessage();
        }
    }

    private static List<X509Certificate> systemAuthorities() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        List<X509Certificate> result = new ArrayList<>();
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x) {
                result.addAll(List.of(x.getAcceptedIssuers()));
            }
        }
        return result;
    }
}
