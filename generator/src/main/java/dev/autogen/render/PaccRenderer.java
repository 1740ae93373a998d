package dev.autogen.render;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.model.Pacc;
import dev.autogen.model.Provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The PACC document of one domain ({@code public/<domain>/.well-known/user-agent-configuration.json}, served at
 * {@code https://ua-auto-config.<domain>/.well-known/user-agent-configuration.json}), and the digest its DNS TXT
 * record {@code _ua-auto-config.<domain>} publishes: {@code v=UAAC1; a=sha256; d=<base64 SHA-256 of the bytes>}.
 *
 * <p>The draft carries no ports or security settings: IMAP is 993, POP3 995 and submission 465, all with implicit
 * TLS, CalDAV/CardDAV URLs are https on 443, and the client logs in with the email address. A server that is not
 * like that cannot be described; it is left out, and {@link Result#leftOut()} says which and why. Without an incoming
 * or an outgoing server left there is no document at all.
 *
 * <p>Canonical bytes: a client compares the SHA-256 of what it downloads with DNS, so any byte change needs a DNS
 * change. The document is written with Jackson's streaming generator, keys always in the same order, compact (no
 * whitespace), UTF-8 without a byte-order mark, no final newline; the same input always gives the same bytes.
 * It holds nothing of the domain itself, so domains with the same provider and servers share one document.
 * Pure and thread-safe.
 */
public final class PaccRenderer {
    private PaccRenderer() {}

    /** The document's path below {@code public/<domain>/} and below the host's web root. */
    public static final String PATH = ".well-known/user-agent-configuration.json";
    public static final String HOST_PREFIX = "ua-auto-config.";
    public static final String TXT_PREFIX = "_ua-auto-config.";

    /** Implicit-TLS ports the draft implies: the only servers it can describe. */
    static final Map<Protocol, Integer> IMPLIED_PORTS = Map.of(Protocol.IMAP, 993, Protocol.POP3, 995,
            Protocol.SMTP, 465);
    private static final Set<Authentication> PASSWORDS =
            Set.of(Authentication.PASSWORD_CLEARTEXT, Authentication.PASSWORD_ENCRYPTED);
    /** PACC clients always log in with the whole address. */
    private static final String ADDRESS = "%EMAILADDRESS%";

    /** Characters outside the BMP (emoji in a provider name) as UTF-8 too, not as escaped surrogate pairs. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    /**
     * @param document the document's bytes, empty when nothing usable is left (or PACC is disabled)
     * @param leftOut  one sentence per server (or per domain, for a missing document) that the document does not
     *                 describe, and why; empty when everything the domain offers is in it
     */
    public record Result(Optional<byte[]> document, List<String> leftOut) {
        public Result {
            leftOut = List.copyOf(leftOut);
        }
    }

    public static Result render(Provider provider, Domain domain, Pacc settings) {
        if (!settings.enabled()) {
            return new Result(Optional.empty(), List.of());
        }
        List<String> leftOut = new ArrayList<>();
        Optional<String> oauthIssuer = domain.oauth2().map(o -> "https://" + o.issuer());
        MailServer imap = first(domain, Protocol.IMAP, oauthIssuer.isPresent(), leftOut);
        MailServer pop3 = first(domain, Protocol.POP3, oauthIssuer.isPresent(), leftOut);
        MailServer smtp = first(domain, Protocol.SMTP, oauthIssuer.isPresent(), leftOut);
        DavServer caldav = firstDav(domain, DavServer.Type.CALDAV, leftOut);
        DavServer carddav = firstDav(domain, DavServer.Type.CARDDAV, leftOut);

        List<MailServer> mail = new ArrayList<>();
        for (MailServer s : new MailServer[] {imap, pop3, smtp}) {
            if (s != null) {
                mail.add(s);
            }
        }
        // One authentication section covers every server: it may say only what all of them accept.
        boolean password = mail.stream().allMatch(s -> s.authentication().stream().anyMatch(PASSWORDS::contains));
        boolean oauth = oauthIssuer.isPresent()
                && mail.stream().allMatch(s -> s.authentication().contains(Authentication.OAUTH2));
        String missing = imap == null && pop3 == null ? "no IMAP or POP3 server" : smtp == null ? "no SMTP server"
                : !password && !oauth ? "no authentication method that all its servers accept (password or OAuth2)"
                : null;
        if (missing != null) {
            leftOut.add("no PACC document: " + missing + " that the draft can describe");
            return new Result(Optional.empty(), leftOut);
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("protocols");
            host(g, "imap", imap);
            host(g, "pop3", pop3);
            host(g, settings.revision().submissionKey(), smtp);
            url(g, "caldav", caldav);
            url(g, "carddav", carddav);
            g.writeEndObject();

            g.writeObjectFieldStart("authentication");
            g.writeBooleanField("password", password);
            if (oauth) {
                g.writeObjectFieldStart("oauth-public");
                g.writeStringField("issuer", oauthIssuer.get());
                g.writeEndObject();
            }
            g.writeEndObject();

            g.writeObjectFieldStart("info");
            g.writeObjectFieldStart("provider");
            g.writeStringField("name", provider.name());
            g.writeStringField("shortName", provider.shortName());
            if (!provider.logos().isEmpty()) {
                g.writeArrayFieldStart("logo");
                for (Provider.Logo logo : provider.logos()) {
                    g.writeStartObject();
                    g.writeStringField("url", logo.url());
                    g.writeStringField("content-type", logo.contentType());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            if (provider.documentation().isPresent()) {
                g.writeObjectFieldStart("help");
                g.writeStringField("documentation", provider.documentation().get().url());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return new Result(Optional.of(bytes.toByteArray()), leftOut);
    }

    /** The TXT record's value for a document: {@code v=UAAC1; a=sha256; d=<base64 SHA-256>}. */
    public static String digestRecord(byte[] document) {
        return "v=UAAC1; a=sha256; d=" + digest(document);
    }

    /** Standard base64 (with padding) of the SHA-256 of the bytes, as the TXT record's {@code d=} tag carries it. */
    public static String digest(byte[] document) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(document));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
    }

    /** The preferred server of a protocol that the draft can describe; every other one is noted in leftOut. */
    private static MailServer first(Domain domain, Protocol protocol, boolean oauthConfigured, List<String> leftOut) {
        List<MailServer> servers = domain.servers(protocol);
        MailServer chosen = null;
        List<String> reasons = new ArrayList<>();
        for (MailServer s : servers) {
            String why = whyNot(s, oauthConfigured);
            if (why == null && chosen == null) {
                chosen = s;
            } else if (why != null) {
                reasons.add(describe(s) + " " + why);
            }
        }
        // Only what a PACC client loses is worth a warning: a STARTTLS server beside an implicit-TLS one of the same
        // protocol is reached by the clients that read the other formats, and PACC lists one host per protocol.
        if (chosen == null && !reasons.isEmpty()) {
            leftOut.add(protocol.id().toUpperCase(java.util.Locale.ROOT) + " left out of the PACC document: "
                    + String.join("; ", reasons));
        }
        return chosen;
    }

    private static String whyNot(MailServer s, boolean oauthConfigured) {
        int implied = IMPLIED_PORTS.get(s.protocol());
        if (s.security() != Security.SSL) {
            return "uses " + (s.security() == Security.STARTTLS ? "STARTTLS" : "no TLS")
                    + "; the draft describes only implicit TLS on port " + implied;
        }
        if (s.port() != implied) {
            return "listens on port " + s.port() + "; the draft implies port " + implied;
        }
        if (!ADDRESS.equals(s.username())) {
            return "logs in as " + s.username() + "; PACC clients log in with the whole address";
        }
        boolean password = s.authentication().stream().anyMatch(PASSWORDS::contains);
        boolean oauth = oauthConfigured && s.authentication().contains(Authentication.OAUTH2);
        if (!password && !oauth) {
            return "accepts " + s.authentication().stream().map(Authentication::id).toList()
                    + "; the draft describes passwords and OAuth2 only";
        }
        return null;
    }

    private static DavServer firstDav(Domain domain, DavServer.Type type, List<String> leftOut) {
        List<String> reasons = new ArrayList<>();
        for (DavServer d : domain.davServers()) {
            if (d.type() != type) {
                continue;
            }
            String why = !d.tls() ? "is plain http; the draft describes https URLs only"
                    : d.port() != 443 ? "uses port " + d.port() + "; the draft implies https on port 443"
                    : !ADDRESS.equals(d.username()) ? "logs in as " + d.username()
                            + "; PACC clients log in with the whole address"
                    : null;
            if (why == null) {
                return d;
            }
            reasons.add(d.url() + " " + why);
        }
        if (!reasons.isEmpty()) {
            leftOut.add((type == DavServer.Type.CALDAV ? "CalDAV" : "CardDAV") + " left out of the PACC document: "
                    + String.join("; ", reasons));
        }
        return null;
    }

    private static String describe(MailServer s) {
        return s.hostname() + ":" + s.port();
    }

    private static void host(JsonGenerator g, String key, MailServer s) throws IOException {
        if (s != null) {
            g.writeObjectFieldStart(key);
            g.writeStringField("host", s.hostname());
            g.writeEndObject();
        }
    }

    private static void url(JsonGenerator g, String key, DavServer d) throws IOException {
        if (d != null) {
            g.writeObjectFieldStart(key);
            // The URL as given, without the implied default port (https://host:443/ and https://host/ are one URL).
            String url = d.url().getPort() == 443 ? d.url().toString().replaceFirst(":443(?=/|$)", "") : d.url().toString();
            g.writeStringField("url", url);
            g.writeEndObject();
        }
    }
}
