package dev.autogen.config;

import dev.autogen.model.DavServer;
import dev.autogen.model.Directory;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import dev.autogen.render.PaccRenderer;
import dev.autogen.text.Domains;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Warnings for {@code autogen check}: settings that load and render, but that some real client will reject or that
 * put users at risk (from what the clients' own parsers accept). Not errors: an admin may have reasons. Each warning names the
 * provider, the domains and the server it is about. A server shared by several domains is warned about once.
 */
public final class Lints {
    /** Clients' hard limits and the recommended lengths (autoconfig displayName / displayShortName). */
    static final int NAME_MAX = 60;
    static final int NAME_RECOMMENDED = 30;
    static final int SHORT_NAME_MAX = 20;
    static final int SHORT_NAME_RECOMMENDED = 12;

    /** The only authentication values Thunderbird for Android / K-9 understands. */
    private static final Set<Authentication> K9_AUTHENTICATION =
            Set.of(Authentication.PASSWORD_CLEARTEXT, Authentication.PASSWORD_ENCRYPTED, Authentication.OAUTH2);
    private static final Set<Authentication> PASSWORDS =
            Set.of(Authentication.PASSWORD_CLEARTEXT, Authentication.PASSWORD_ENCRYPTED);

    private Lints() {}

    /**
     * One warning and what it is about: the provider, a domain (the first of a group), the server, DAV server or
     * directory; {@link SourceLocations} says where the source defined that subject.
     */
    public record Warning(String message, Object subject) {}

    /**
     * Tools on IDNA2003 (earlier autogen versions, {@code java.net.IDN}, Python's {@code idna} codec) turned
     * {@code ß} into {@code ss}, dropped ZWJ/ZWNJ and mapped final sigma: an admin migrating may have DNS records,
     * certificates or web server names for the old name, which clients (IDNA2008) never ask for.
     */
    private static void checkIdna2003(Provider p, String who, List<Warning> warnings) {
        for (Domain d : p.domains()) {
            if (!Domains.differsUnderIdna2003(d.name())) {
                continue;
            }
            String unicode = Domains.toUnicode(d.name());
            String old = Domains.idna2003(d.name());
            warnings.add(new Warning(who + ", domain " + unicode + " (" + d.name() + "): under IDNA2003 (older tools,"
                    + " java.net.IDN) " + (old == null ? "this name is invalid" : "this name is " + old + ", a different"
                    + " domain") + "; autogen and mail clients use IDNA2008, so DNS records, certificates and web server"
                    + " names must be for " + d.name(), d));
        }
    }

    /** The warnings' messages. */
    public static List<String> check(Site site) {
        return warnings(site).stream().map(Warning::message).toList();
    }

    /** Every warning, in a stable order (providers in input order, then directories). */
    public static List<Warning> warnings(Site site) {
        List<Warning> warnings = perProvider(site, Lints::providerWarnings);
        checkSigning(site, java.time.Instant.now(), warnings);
        for (Directory d : site.directories()) {
            if (d.url().startsWith("ldap://") && !d.startTls()) {
                warnings.add(new Warning("directory " + d.name() + ": " + d.url() + " without startTls: the bind"
                        + " password and the users' addresses cross the network unencrypted (use ldaps:// or"
                        + " startTls: true)", d));
            }
            d.tlsCa().ifPresent(ca -> checkCaFile(d, ca, warnings));
        }
        return warnings;
    }

    /** The warnings about one provider's own settings (independent of the others: computed side by side). */
    private static void providerWarnings(Provider p, List<Warning> warnings) {
        String who = "provider " + p.id();
        if (p.name().length() > NAME_MAX) {
            warnings.add(new Warning(who + ": name is " + p.name().length() + " characters; clients show at most "
                    + NAME_MAX + " (" + NAME_RECOMMENDED + " recommended)", p));
        }
        if (p.shortName().length() > SHORT_NAME_MAX) {
            warnings.add(new Warning(who + ": shortName is " + p.shortName().length() + " characters; clients show"
                    + " at most " + SHORT_NAME_MAX + " (" + SHORT_NAME_RECOMMENDED + " recommended)", p));
        }
        for (Map.Entry<String, List<Domain>> e : groupDomains(p, d -> d.servers().stream()
                .noneMatch(s -> s.protocol().incoming()) ? "none" : null).entrySet()) {
            warnings.add(new Warning(who + ", " + names(e.getValue())
                    + ": no IMAP or POP3 server; clients cannot receive mail", e.getValue().get(0)));
        }
        // K-9 reads only IMAP; a POP3-only document is rejected whole, so those users get no autoconfiguration.
        for (Map.Entry<String, List<Domain>> e : groupDomains(p, d -> d.servers().stream()
                .anyMatch(s -> s.protocol() == Protocol.POP3)
                && d.servers().stream().noneMatch(s -> s.protocol() == Protocol.IMAP) ? "pop3-only" : null)
                .entrySet()) {
            warnings.add(new Warning(who + ", " + names(e.getValue()) + ": POP3 but no IMAP server: Thunderbird"
                    + " for Android/K-9 reads only IMAP and rejects the whole autoconfig file", e.getValue().get(0)));
        }
        checkServers(p, who, warnings);
        checkDav(p, who, warnings);
        checkIdna2003(p, who, warnings);
    }

    /**
     * {@code check} applied to each provider, side by side (a million domains over 100,000 providers took seconds of
     * one core while the others waited for the render), the results in the providers' order.
     */
    private static List<Warning> perProvider(Site site, java.util.function.BiConsumer<Provider, List<Warning>> check) {
        List<Warning> all = new ArrayList<>();
        site.providers().parallelStream().map(p -> {
            List<Warning> found = new ArrayList<>();
            check.accept(p, found);
            return found;
        }).toList().forEach(all::addAll);
        return all;
    }

    /**
     * What the PACC documents leave out and why (servers the draft cannot describe, domains without a document), one
     * warning per provider and reason, naming the domains (the first is the subject). Apart from {@link #warnings}
     * so that the client lints stay what they are; {@code check} and {@code render} print both.
     */
    public static List<Warning> pacc(Site site) {
        return perProvider(site, (p, warnings) -> {
            // Domains with the same servers get the same answer: computed once per distinct set.
            Map<List<Object>, List<String>> byServers = new LinkedHashMap<>();
            Map<String, List<Domain>> byReason = new LinkedHashMap<>();
            for (Domain d : p.domains()) {
                List<String> leftOut = byServers.computeIfAbsent(
                        List.of(d.servers(), d.davServers(), d.oauth2()),
                        k -> PaccRenderer.render(p, d, site.pacc()).leftOut());
                for (String reason : leftOut) {
                    byReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(d);
                }
            }
            byReason.forEach((reason, domains) -> warnings.add(new Warning("provider " + p.id() + ", " + names(domains)
                    + ": " + reason, domains.get(0))));
            // The default provider's one document for the domains nobody lists.
            p.anyDomain().ifPresent(h -> PaccRenderer.render(p, h.settings(), site.pacc()).leftOut().forEach(reason ->
                    warnings.add(new Warning("provider " + p.id() + ", domains nobody lists: " + reason, p))));
        });
    }

    /** How long before its end a signing certificate is warned about. */
    static final java.time.Duration SIGNING_RENEWAL = java.time.Duration.ofDays(30);

    /**
     * A signing certificate near its end: once expired the render refuses it (devices would show "Not Verified"),
     * so the admin hears about it a month ahead. Once per certificate file, naming the providers that use it.
     */
    static void checkSigning(Site site, java.time.Instant now, List<Warning> warnings) {
        Map<java.nio.file.Path, List<Provider>> users = new LinkedHashMap<>();
        Map<java.nio.file.Path, dev.autogen.model.Signing> signings = new LinkedHashMap<>();
        for (Provider p : site.providers()) {
            p.signing().ifPresent(s -> {
                signings.putIfAbsent(s.certificateFile(), s);
                users.computeIfAbsent(s.certificateFile(), k -> new ArrayList<>()).add(p);
            });
        }
        for (dev.autogen.model.Signing s : signings.values()) {
            if (s.notAfter().isBefore(now.plus(SIGNING_RENEWAL))) {
                long days = java.time.Duration.between(now, s.notAfter()).toDays();
                List<Provider> providers = users.get(s.certificateFile());
                warnings.add(new Warning((providers.size() == 1 ? "provider " : "providers ")
                        + String.join(", ", providers.stream().map(Provider::id).toList())
                        + ": signing certificate '" + s.subject() + "' (" + s.certificateFile() + ") expires on "
                        + s.notAfter() + ", in " + days + (days == 1 ? " day" : " days")
                        + "; renew it: once expired, render refuses it", providers.get(0)));
            }
        }
    }

    /** An expired CA certificate renders fine and fails every TLS handshake later, quietly (lookups just fail). */
    private static void checkCaFile(Directory d, Directory.CaFile ca, List<Warning> warnings) {
        try {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(ca.pem().getBytes(StandardCharsets.US_ASCII)))) {
                X509Certificate x = (X509Certificate) c;
                String what = "directory " + d.name() + ": tlsCaFile " + ca.file() + ": certificate '"
                        + x.getSubjectX500Principal().getName() + "' ";
                try {
                    x.checkValidity();
                } catch (CertificateExpiredException e) {
                    warnings.add(new Warning(what + "expired on " + x.getNotAfter().toInstant()
                            + "; TLS to the directory fails", d));
                } catch (CertificateNotYetValidException e) {
                    warnings.add(new Warning(what + "is valid only from " + x.getNotBefore().toInstant(), d));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("the reader checked the CA file", e);
        }
    }

    private static void checkServers(Provider p, String who, List<Warning> out) {
        for (Map.Entry<MailServer, List<Domain>> e : serversOf(p, Domain::servers).entrySet()) {
            MailServer s = e.getKey();
            List<String> warnings = new ArrayList<>();
            boolean anyWithoutOAuth2 = e.getValue().stream().anyMatch(d -> d.oauth2().isEmpty());
            String where = who + ", " + names(e.getValue()) + ", " + s.protocol().id() + " server " + s.hostname()
                    + ":" + s.port() + ": ";
            if (s.security() == Security.NONE) {
                warnings.add(where + "security none (no TLS): Thunderbird for Android/K-9 rejects the whole "
                        + "autoconfig file, and everything including the password crosses the network in clear");
                if (s.authentication().contains(Authentication.PASSWORD_CLEARTEXT)) {
                    warnings.add(where + "password-cleartext without TLS: the password is readable on the network");
                }
            }
            if (s.authentication().contains(Authentication.OAUTH2)) {
                if (anyWithoutOAuth2) {
                    List<Domain> without = e.getValue().stream().filter(d -> d.oauth2().isEmpty()).toList();
                    warnings.add(where + "OAuth2 authentication is listed but " + names(without)
                            + " has no oauth2 settings (issuer, scope, authUrl, tokenUrl)");
                }
                if (s.authentication().stream().noneMatch(PASSWORDS::contains)) {
                    warnings.add(where + "OAuth2 without a password fallback: Thunderbird uses OAuth2 only for "
                            + "providers on its built-in list and drops this server for everyone else "
                            + "(list password-cleartext after OAuth2)");
                }
            }
            boolean k9Reads = s.protocol() == Protocol.IMAP || s.protocol() == Protocol.SMTP;
            if (k9Reads && s.authentication().stream().noneMatch(K9_AUTHENTICATION::contains)) {
                warnings.add(where + "Thunderbird for Android/K-9 understands none of the authentication methods "
                        + s.authentication().stream().map(Authentication::id).toList()
                        + " and rejects the whole autoconfig file (it understands password-cleartext, "
                        + "password-encrypted, OAuth2)");
            }
            warnings.forEach(w -> out.add(new Warning(w, s)));
        }
    }

    private static void checkDav(Provider p, String who, List<Warning> warnings) {
        for (Map.Entry<DavServer, List<Domain>> e : serversOf(p, Domain::davServers).entrySet()) {
            DavServer d = e.getKey();
            if (!d.tls()) {
                warnings.add(new Warning(who + ", " + names(e.getValue()) + ", " + d.type().id() + " server " + d.url()
                        + ": plain http; passwords and calendars cross the network unencrypted (use https)", d));
            }
        }
    }

    /** Each distinct server with the domains that use it, in input order. */
    private static <S> Map<S, List<Domain>> serversOf(Provider p, Function<Domain, List<S>> servers) {
        Map<S, List<Domain>> result = new LinkedHashMap<>();
        for (Domain d : linted(p)) {
            for (S s : servers.apply(d)) {
                List<Domain> users = result.computeIfAbsent(s, k -> new ArrayList<>());
                // Only d itself can already be there (a server listed twice), as the last one: users.contains(d)
                // made a hoster's provider of 100,000 domains take minutes (quadratic).
                if (users.isEmpty() || users.get(users.size() - 1) != d) {
                    users.add(d);
                }
            }
        }
        return result;
    }

    /** Domains grouped by a non-null key (null: not reported). */
    private static Map<String, List<Domain>> groupDomains(Provider p, Function<Domain, String> key) {
        Map<String, List<Domain>> result = new LinkedHashMap<>();
        for (Domain d : linted(p)) {
            String k = key.apply(d);
            if (k != null) {
                result.computeIfAbsent(k, x -> new ArrayList<>()).add(d);
            }
        }
        return result;
    }

    /** The listed domains, and a hoster's own settings (rendered for every domain it does not list). */
    private static List<Domain> linted(Provider p) {
        if (p.hosting().isEmpty()) {
            return p.domains();
        }
        List<Domain> all = new ArrayList<>(p.domains());
        all.add(p.hosting().get().settings());
        return all;
    }

    private static String names(List<Domain> domains) {
        return (domains.size() == 1 ? "domain " : "domains ") + String.join(", ", domains.stream()
                .map(d -> d.name().equals(Provider.Hosting.ANY) ? "'*' (unlisted domains)" : d.name()).toList());
    }
}
