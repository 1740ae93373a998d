package dev.autogen.render;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import dev.autogen.model.DavServer;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.Provider;
import dev.autogen.text.Escape;


import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Apple configuration profiles ({@code .mobileconfig}, an XML plist) for one domain, in two flavours:
 * <ul>
 *   <li>{@link #perUserTemplate}: a document with substitution slots (docs/site-format.md) that the responder fills
 *       per request: address, display name, logins and per-address UUIDs;</li>
 *   <li>{@link #addressless}: a complete profile without any address-dependent key, so the device asks for the
 *       address and login at install time. Its identifiers are stable per domain.</li>
 * </ul>
 * The profile holds one {@code com.apple.mail.managed} payload (best incoming server, IMAP before POP3, and best SMTP
 * server; omitted when the domain lacks either) and one CalDAV/CardDAV payload per DAV server. It never contains a
 * password and never a {@code %...%} placeholder (profiles do not expand them).
 * <p>
 * Keys are written in insertion order (dd-plist's {@link NSDictionary} keeps it), which is fixed by this code, so the
 * output is deterministic. Pure and thread-safe.
 */
public final class MobileconfigRenderer {
    private MobileconfigRenderer() {}

    /** The per-user profile with slots {@code {{address}}}, {@code {{name}}}, {@code {{login:T}}}, {@code {{uuid:L}}}. */
    public static byte[] perUserTemplate(Provider provider, Domain domain) {
        return render(provider, domain, new SlotIdentity());
    }

    /** The complete address-less profile: no address, name or usernames; UUIDs from the contract with address "". */
    public static byte[] addressless(Provider provider, Domain domain) {
        return fillAddressless(addresslessTemplate(provider, domain), domain.name());
    }

    /**
     * The address-less profile with the domain still open ({@code {{domain}}}, {@code {{uuid:LABEL}}}): the same for
     * every domain of a provider with the same servers, so a large site serialises it once per provider and fills it
     * per domain with {@link #fillAddressless} (a string scan instead of a plist serialisation per domain).
     */
    public static String addresslessTemplate(Provider provider, Domain domain) {
        return new String(render(provider, domain, new OpenDomainIdentity()), StandardCharsets.UTF_8);
    }

    /** Fills {@link #addresslessTemplate}: UUIDs from the contract with address "", the domain name. */
    public static byte[] fillAddressless(String template, String domain) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int pos = 0;
        while (true) {
            int open = template.indexOf("{{", pos);
            if (open < 0) {
                break;
            }
            int close = template.indexOf("}}", open);
            String slot = template.substring(open + 2, close);
            out.append(template, pos, open);
            if (slot.equals("domain")) {
                out.append(domain); // a validated host name: nothing to escape, also inside CDATA
            } else if (slot.startsWith("uuid:")) {
                out.append(contractUuid(slot.substring(5), domain, ""));
            } else {
                throw new IllegalStateException("unexpected slot {{" + slot + "}} in an address-less profile");
            }
            pos = close + 2;
        }
        out.append(template, pos, template.length());
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The slot or value for an address-dependent string. In the template flavour, values that carry a slot are
     * passed to dd-plist as markers and swapped for the slot text after serialisation: dd-plist writes any string
     * containing {@code &} or {@code <} as CDATA, where the responder's XML-escaped substitutions would show
     * literally. The marker {@code {{#n}}} cannot collide with input (input never contains {@code {{}).
     */
    private interface Identity {
        String uuid(String label);

        /** {@code null} when the key is to be left out (address-less profile). */
        String address();

        String name();

        String login(String template);

        /** {@code before + <who the profile is for> + after}: the address in the per-user profile, else the domain. */
        String describe(String before, String after);

        String finish(String xml);
    }

    private static final class SlotIdentity implements Identity {
        private final List<String> slots = new ArrayList<>();

        private String marker(String slotText) {
            slots.add(slotText);
            return "{{#" + (slots.size() - 1) + "}}";
        }

        @Override public String uuid(String label) { return Slots.uuid(label); }

        @Override public String address() { return Slots.ADDRESS; }

        @Override public String name() { return Slots.NAME; }

        @Override public String login(String template) {
            // The contract: TEMPLATE inside the slot is already escaped for the document's context.
            return marker(Slots.login(Escape.plist(template)));
        }

        @Override public String describe(String before, String after) {
            return marker(Escape.plist(before) + Slots.ADDRESS + Escape.plist(after));
        }

        @Override public String finish(String xml) {
            for (int i = 0; i < slots.size(); i++) {
                xml = xml.replace("<string>{{#" + i + "}}</string>", "<string>" + slots.get(i) + "</string>");
            }
            return xml;
        }
    }

    /** Address-less: no address-dependent keys; the domain and its UUIDs left open for {@link #fillAddressless}. */
    private record OpenDomainIdentity() implements Identity {
        @Override public String uuid(String label) { return Slots.uuid(label); }

        @Override public String address() { return null; }

        @Override public String name() { return null; }

        @Override public String login(String template) { return null; }

        @Override public String describe(String before, String after) { return before + Slots.DOMAIN + after; }

        @Override public String finish(String xml) { return xml; }
    }

    /** The {@code {{uuid:LABEL}}} function of docs/site-format.md (one implementation: {@link Slots#uuid}). */
    static String contractUuid(String label, String domain, String address) {
        return Slots.uuid(label, domain, address).toString();
    }

    private static byte[] render(Provider provider, Domain domain, Identity id) {
        // The provider's id, not the domain: the per-user template then holds nothing domain-specific and one copy
        // serves all of a provider's domains in the responder. The UUID keeps it unique per (domain, address).
        String identifier = reversed(provider.id()) + ".autogen." + id.uuid("profile");
        List<NSObject> payloads = new ArrayList<>();
        Optional<NSDictionary> mail = mailPayload(provider, domain, id, identifier);
        mail.ifPresent(payloads::add);
        int caldav = 0;
        int carddav = 0;
        for (DavServer dav : domain.davServers()) {
            String label = dav.type().id() + "-" + (dav.type() == DavServer.Type.CALDAV ? ++caldav : ++carddav);
            payloads.add(davPayload(provider, dav, id, identifier, label));
        }

        NSDictionary profile = new NSDictionary();
        profile.put("PayloadType", "Configuration");
        profile.put("PayloadVersion", 1);
        profile.put("PayloadIdentifier", identifier);
        profile.put("PayloadUUID", id.uuid("profile"));
        profile.put("PayloadDisplayName", provider.name());
        profile.put("PayloadDescription", id.describe(describe(mail.isPresent(), caldav > 0, carddav > 0)
                + " settings for ", " from " + provider.name() + (provider.name().endsWith(".") ? "" : ".")));
        profile.put("PayloadOrganization", provider.name());
        profile.put("PayloadRemovalDisallowed", false);
        profile.put("PayloadContent", new NSArray(payloads.toArray(NSObject[]::new)));
        clean(profile);
        return id.finish(profile.toXMLPropertyList()).getBytes(StandardCharsets.UTF_8);
    }

    /** "Email, calendar and contacts", "Email", "Calendar" …: what the profile actually configures. */
    static String describe(boolean mail, boolean calendar, boolean contacts) {
        List<String> parts = new ArrayList<>();
        if (mail) {
            parts.add("email");
        }
        if (calendar) {
            parts.add("calendar");
        }
        if (contacts) {
            parts.add("contacts");
        }
        if (parts.isEmpty()) {
            return "No";
        }
        String text = parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static Optional<NSDictionary> mailPayload(Provider provider, Domain domain, Identity id, String parent) {
        List<MailServer> imap = domain.servers(MailServer.Protocol.IMAP);
        List<MailServer> incomingCandidates = imap.isEmpty() ? domain.servers(MailServer.Protocol.POP3) : imap;
        List<MailServer> smtp = domain.servers(MailServer.Protocol.SMTP);
        if (incomingCandidates.isEmpty() || smtp.isEmpty()) {
            return Optional.empty(); // com.apple.mail.managed requires both servers
        }
        MailServer in = incomingCandidates.get(0);
        MailServer out = smtp.get(0);

        NSDictionary p = new NSDictionary();
        header(p, "com.apple.mail.managed", parent + ".mail", id.uuid("mail"), "Email");
        // Per user the address tells several accounts of one provider apart; without one, the provider's name.
        p.put("EmailAccountDescription", id.address() != null ? id.address() : provider.name());
        putIfPresent(p, "EmailAccountName", id.name());
        p.put("EmailAccountType", in.protocol() == MailServer.Protocol.IMAP ? "EmailTypeIMAP" : "EmailTypePOP");
        putIfPresent(p, "EmailAddress", id.address());
        p.put("IncomingMailServerAuthentication", authentication(in));
        p.put("IncomingMailServerHostName", in.hostname());
        p.put("IncomingMailServerPortNumber", in.port());
        p.put("IncomingMailServerUseSSL", in.security() != MailServer.Security.NONE);
        putIfPresent(p, "IncomingMailServerUsername", id.login(in.username()));
        p.put("OutgoingMailServerAuthentication", authentication(out));
        p.put("OutgoingMailServerHostName", out.hostname());
        p.put("OutgoingMailServerPortNumber", out.port());
        p.put("OutgoingMailServerUseSSL", out.security() != MailServer.Security.NONE);
        putIfPresent(p, "OutgoingMailServerUsername", id.login(out.username()));
        p.put("OutgoingPasswordSameAsIncomingPassword", true);
        return Optional.of(p);
    }

    private static NSDictionary davPayload(Provider provider, DavServer dav, Identity id, String parent, String label) {
        boolean cal = dav.type() == DavServer.Type.CALDAV;
        String prefix = cal ? "CalDAV" : "CardDAV";
        NSDictionary p = new NSDictionary();
        header(p, cal ? "com.apple.caldav.account" : "com.apple.carddav.account", parent + "." + label,
                id.uuid(label), cal ? "Calendar" : "Contacts");
        p.put(prefix + "AccountDescription", provider.name() + (cal ? " calendar" : " contacts"));
        p.put(prefix + "HostName", dav.url().getHost());
        p.put(prefix + "Port", dav.port());
        if (cal) {
            p.put(prefix + "PrincipalURL", dav.path()); // CardDAVPrincipalURL is not supported on macOS
        }
        p.put(prefix + "UseSSL", dav.tls());
        if (dav.username() != null && !dav.username().isBlank()) {
            putIfPresent(p, prefix + "Username", id.login(dav.username()));
        }
        return p;
    }

    private static void header(NSDictionary p, String type, String identifier, String uuid, String displayName) {
        p.put("PayloadType", type);
        p.put("PayloadVersion", 1);
        p.put("PayloadIdentifier", identifier);
        p.put("PayloadUUID", uuid);
        p.put("PayloadDisplayName", displayName);
    }

    private static void putIfPresent(NSDictionary p, String key, String value) {
        if (value != null) {
            p.put(key, value);
        }
    }

    /**
     * clients.md's table; the first method with an Apple equivalent wins (OAuth2 and GSSAPI have none). Without any,
     * a password: the device then asks for one, which is the only thing a profile can make Apple Mail do.
     */
    static String authentication(MailServer server) {
        for (MailServer.Authentication a : server.authentication()) {
            switch (a) {
                case PASSWORD_CLEARTEXT: return "EmailAuthPassword";
                case PASSWORD_ENCRYPTED: return "EmailAuthCRAMMD5";
                case NTLM: return "EmailAuthNTLM";
                // smtp-after-pop: the SMTP server itself asks for no authentication.
                case NONE: case CLIENT_IP_ADDRESS: case SMTP_AFTER_POP: return "EmailAuthNone";
                default: break;
            }
        }
        return "EmailAuthPassword";
    }

    /** {@code mail.example.com} → {@code com.example.mail}, the reverse-DNS style Apple expects for identifiers. */
    static String reversed(String domain) {
        String[] labels = domain.split("\\.");
        StringBuilder sb = new StringBuilder(domain.length());
        for (int i = labels.length - 1; i >= 0; i--) {
            sb.append(labels[i]);
            if (i > 0) {
                sb.append('.');
            }
        }
        return sb.toString();
    }

    /**
     * Every string replaced by {@link Escape#xmlClean}: what XML 1.0 cannot carry (say U+FFFE in a name from a
     * database) becomes U+FFFD, as in every other document, instead of whatever the serialiser does with it.
     */
    private static void clean(NSObject o) {
        if (o instanceof NSString s) {
            s.setContent(Escape.xmlClean(s.getContent()));
        } else if (o instanceof NSDictionary d) {
            d.values().forEach(MobileconfigRenderer::clean);
        } else if (o instanceof NSArray a) {
            for (NSObject e : a.getArray()) {
                clean(e);
            }
        }
    }

}
