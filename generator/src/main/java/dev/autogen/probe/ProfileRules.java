package dev.autogen.probe;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How Apple Mail (macOS) and iOS read a configuration profile ({@code .mobileconfig}), per clients.md. */
public final class ProfileRules {
    private ProfileRules() {}

    static final String APPLE = "Apple Mail / iOS";
    private static final Set<String> AUTH = Set.of("EmailAuthNone", "EmailAuthPassword", "EmailAuthCRAMMD5",
            "EmailAuthNTLM", "EmailAuthHTTPMD5");

    /**
     * @param address the address asked for, or null for the address-less profile (which must then not name one:
     *                the device asks at install time)
     */
    public static ClientVerdict apple(String source, byte[] body, String contentType, String address) {
        return apple(source, body, contentType, address, List.of());
    }

    /** @param extra authorities a signature's chain may lead to besides the system trust store (--cacert) */
    public static ClientVerdict apple(String source, byte[] body, String contentType, String address,
                                      java.util.Collection<java.security.cert.X509Certificate> extra) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<ServerSetting> servers = new ArrayList<>();
        if (contentType == null || !contentType.startsWith("application/x-apple-aspen-config")) {
            problems.add("Content-Type \"" + contentType + "\" is not application/x-apple-aspen-config: devices"
                    + " show the file instead of offering to install it");
        }
        try {
            evaluate(ProfileSignature.plist(body, extra, java.time.Instant.now(), notes, problems), address, servers,
                    problems, notes);
        } catch (ProbeException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            servers.clear();
        }
        return new ClientVerdict(APPLE, source, servers, problems, notes);
    }

    private static void evaluate(byte[] plist, String address, List<ServerSetting> servers, List<String> problems,
                                 List<String> notes) {
        NSObject parsed;
        try {
            parsed = PropertyListParser.parse(plist);
        } catch (Exception e) {
            throw new ProbeException("not a property list: " + e.getMessage());
        }
        if (!(parsed instanceof NSDictionary top)) {
            throw new ProbeException("the profile is not a dictionary");
        }
        requirePayloadKeys(top, "the profile", problems);
        if (!"Configuration".equals(string(top, "PayloadType"))) {
            problems.add("top-level PayloadType is \"" + string(top, "PayloadType") + "\", not Configuration");
        }
        if (!(top.get("PayloadContent") instanceof NSArray content)) {
            throw new ProbeException("the profile has no PayloadContent array");
        }
        List<String> placeholders = new ArrayList<>();
        findPlaceholders(top, placeholders);
        for (String p : placeholders) {
            problems.add("\"" + p + "\": profiles do not expand %...% placeholders");
        }
        int mailPayloads = 0;
        for (NSObject item : content.getArray()) {
            if (!(item instanceof NSDictionary payload)) {
                problems.add("a PayloadContent entry is not a dictionary");
                continue;
            }
            String type = string(payload, "PayloadType");
            requirePayloadKeys(payload, "payload " + type, problems);
            if ("com.apple.mail.managed".equals(type)) {
                mailPayloads++;
                mailPayload(payload, address, servers, problems, notes);
            } else if ("com.apple.caldav.account".equals(type) || "com.apple.carddav.account".equals(type)) {
                String prefix = type.contains("caldav") ? "CalDAV" : "CardDAV";
                if (string(payload, prefix + "HostName") == null) {
                    problems.add(type + ": " + prefix + "HostName is missing");
                }
                integer(payload, prefix + "Port", type, problems);
            }
        }
        if (mailPayloads == 0) {
            problems.add("no com.apple.mail.managed payload");
        }
    }

    private static void mailPayload(NSDictionary p, String address, List<ServerSetting> servers, List<String> problems,
                                    List<String> notes) {
        String accountType = string(p, "EmailAccountType");
        if (!"EmailTypeIMAP".equals(accountType) && !"EmailTypePOP".equals(accountType)) {
            problems.add("EmailAccountType \"" + accountType + "\" is not EmailTypeIMAP or EmailTypePOP");
        }
        String emailAddress = string(p, "EmailAddress");
        if (address == null && emailAddress != null) {
            problems.add("the address-less profile names the address " + emailAddress);
        } else if (address != null && emailAddress == null) {
            notes.add("the per-user profile has no EmailAddress: the device asks for it");
        } else if (address != null && !address.equalsIgnoreCase(emailAddress)) {
            problems.add("EmailAddress is " + emailAddress + ", not the address asked for (" + address + ")");
        }
        String protocol = "EmailTypePOP".equals(accountType) ? "POP3" : "IMAP";
        for (String[] side : new String[][] {{"Incoming", "incoming", protocol}, {"Outgoing", "outgoing", "SMTP"}}) {
            String key = side[0] + "MailServer";
            String host = string(p, key + "HostName");
            String auth = string(p, key + "Authentication");
            if (host == null || !AutoconfigRules.isHostname(host)) {
                problems.add(key + "HostName \"" + host + "\" is missing or not a host name");
                continue;
            }
            if (auth == null || !AUTH.contains(auth)) {
                problems.add(key + "Authentication \"" + auth + "\" is missing or unknown");
                continue;
            }
            Integer port = integer(p, key + "PortNumber", "mail payload", problems);
            NSObject useSsl = p.get(key + "UseSSL");
            if (useSsl != null && !(useSsl instanceof NSNumber n && n.type() == NSNumber.BOOLEAN)) {
                problems.add(key + "UseSSL is not a boolean");
            }
            boolean ssl = useSsl instanceof NSNumber n && n.type() == NSNumber.BOOLEAN && n.boolValue();
            servers.add(new ServerSetting(side[1], side[2], host, port == null ? -1 : port,
                    ssl ? "TLS" : "none", auth, string(p, side[0] + "MailServerUsername")));
        }
    }

    private static void requirePayloadKeys(NSDictionary d, String what, List<String> problems) {
        for (String key : List.of("PayloadType", "PayloadIdentifier", "PayloadUUID")) {
            if (string(d, key) == null) {
                problems.add(what + ": " + key + " is missing");
            }
        }
        NSObject version = d.get("PayloadVersion");
        if (!(version instanceof NSNumber n && n.type() == NSNumber.INTEGER && n.intValue() == 1)) {
            problems.add(what + ": PayloadVersion is not the integer 1");
        }
    }

    private static Integer integer(NSDictionary d, String key, String what, List<String> problems) {
        NSObject value = d.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof NSNumber n && n.type() == NSNumber.INTEGER) {
            return n.intValue();
        }
        problems.add(what + ": " + key + " is not an <integer>");
        return null;
    }

    private static String string(NSDictionary d, String key) {
        return d.get(key) instanceof NSString s ? s.getContent() : null;
    }

    private static void findPlaceholders(NSObject o, List<String> found) {
        if (o instanceof NSString s && s.getContent().matches("(?s).*%EMAIL[A-Z]*%.*")) {
            found.add(s.getContent());
        } else if (o instanceof NSDictionary d) {
            for (NSObject v : d.values()) {
                findPlaceholders(v, found);
            }
        } else if (o instanceof NSArray a) {
            for (NSObject v : a.getArray()) {
                findPlaceholders(v, found);
            }
        }
    }
}
