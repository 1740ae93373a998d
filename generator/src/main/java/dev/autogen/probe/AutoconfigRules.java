package dev.autogen.probe;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How Thunderbird (desktop) and Thunderbird for Android / K-9 read a Mozilla autoconfig document, following
 * /work/shared/reference/clients.md rule by rule. Pure functions: bytes in, verdict out.
 */
public final class AutoconfigRules {
    private AutoconfigRules() {}

    static final String THUNDERBIRD = "Thunderbird";
    static final String K9 = "K-9 / Thunderbird for Android";

    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private static final Set<String> K9_AUTH = Set.of("password-cleartext", "password-encrypted", "OAuth2");
    private static final Set<String> TB_INCOMING_TYPES = Set.of("imap", "pop3", "exchange", "ews", "graph");
    private static final Set<String> TB_SOCKET = Set.of("plain", "SSL", "STARTTLS");
    private static final Set<String> TB_AUTH = Set.of("password-cleartext", "password-encrypted", "NTLM", "GSSAPI",
            "OAuth2", "plain", "secure");
    private static final Set<String> TB_OUTGOING_ONLY_AUTH = Set.of("none", "client-IP-address", "smtp-after-pop");

    /** A valid DNS host name: what both clients demand of {@code emailProvider@id}, {@code domain} and {@code hostname}. */
    static boolean isHostname(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Replaces the three placeholders the way clients do, with the probe's address. */
    static String substitute(String value, String address) {
        if (value == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        return value.replace("%EMAILADDRESS%", address)
                .replace("%EMAILLOCALPART%", address.substring(0, at))
                .replace("%EMAILDOMAIN%", address.substring(at + 1));
    }

    // ------------------------------------------------------------------------------------------ K-9

    /**
     * Thunderbird for Android / K-9: the first error rejects the whole file. Only the first {@code imap} incoming and
     * the first {@code smtp} outgoing server are read.
     */
    public static ClientVerdict k9(String source, byte[] body, String address) {
        List<String> problems = new ArrayList<>();
        List<ServerSetting> servers = new ArrayList<>();
        if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
            problems.add("the document starts with a UTF-8 byte-order mark: K-9 rejects the file");
            return verdict(K9, source, servers, problems);
        }
        Element provider;
        try {
            provider = emailProvider(SafeXml.parse(body));
        } catch (ProbeException e) {
            problems.add(e.getMessage());
            return verdict(K9, source, servers, problems);
        }
        String id = provider.getAttribute("id");
        if (!isHostname(id)) {
            problems.add("emailProvider id=\"" + id + "\" is not a valid host name: K-9 rejects the file");
        }
        boolean goodDomain = false;
        for (Element domain : SafeXml.children(provider, "domain")) {
            goodDomain |= !SafeXml.hasElementChildren(domain) && isHostname(substitute(domain.getTextContent(), address));
        }
        if (!goodDomain) {
            problems.add("no <domain> with a valid host name: K-9 rejects the file");
        }
        Element imap = firstOfType(SafeXml.children(provider, "incomingServer"), "imap");
        Element smtp = firstOfType(SafeXml.children(provider, "outgoingServer"), "smtp");
        if (imap == null) {
            problems.add("no incomingServer type=\"imap\": K-9 reads no other incoming type and rejects the file");
        } else {
            k9Server("incoming", "IMAP", imap, address, servers, problems);
        }
        if (smtp == null) {
            problems.add("no outgoingServer type=\"smtp\": K-9 rejects the file");
        } else {
            k9Server("outgoing", "SMTP", smtp, address, servers, problems);
        }
        if (!problems.isEmpty()) {
            servers.clear(); // the file is rejected as a whole: K-9 configures nothing from it
        }
        return verdict(K9, source, servers, problems);
    }

    private static void k9Server(String role, String protocol, Element server, String address,
                                 List<ServerSetting> servers, List<String> problems) {
        String where = role + " " + protocol + " server: ";
        int before = problems.size();
        String hostname = k9Value(server, "hostname", where, problems);
        String port = k9Value(server, "port", where, problems);
        String socketType = k9Value(server, "socketType", where, problems);
        String username = k9Value(server, "username", where, problems);
        if (hostname != null && !isHostname(substitute(hostname, address))) {
            problems.add(where + "hostname \"" + hostname + "\" is not a valid host name");
        }
        int portNumber = -1;
        if (port != null) {
            portNumber = PORT.matcher(port).matches() ? Integer.parseInt(port) : -1;
            if (portNumber < 1 || portNumber > 65535) {
                problems.add(where + "port \"" + port + "\" is not a bare integer 1..65535");
            }
        }
        if (socketType != null && !socketType.equals("SSL") && !socketType.equals("STARTTLS")) {
            problems.add(where + "socketType \"" + socketType + "\" is not exactly SSL or STARTTLS: K-9 rejects the file");
        }
        String auth = null;
        for (Element a : SafeXml.children(server, "authentication")) {
            String value = a.getTextContent();
            if (K9_AUTH.contains(value)) {
                auth = value;
                break;
            }
        }
        if (auth == null) {
            problems.add(where + "no authentication K-9 understands (password-cleartext, password-encrypted, OAuth2)"
                    + " — legacy plain/secure are ignored");
        }
        if (problems.size() == before) {
            servers.add(new ServerSetting(role, protocol, substitute(hostname, address), portNumber, socketType, auth,
                    substitute(username, address)));
        }
    }

    /** A required plain-text value: present, no child elements, no padding whitespace. */
    private static String k9Value(Element server, String name, String where, List<String> problems) {
        Element e = SafeXml.child(server, name);
        if (e == null) {
            problems.add(where + "<" + name + "> is missing");
            return null;
        }
        String value = e.getTextContent();
        if (SafeXml.hasElementChildren(e)) {
            problems.add(where + "<" + name + "> contains elements, not plain text");
            return null;
        }
        if (!value.equals(value.strip()) || value.isEmpty()) {
            problems.add(where + "<" + name + "> \"" + value + "\" is empty or padded with whitespace");
            return null;
        }
        return value;
    }

    // ------------------------------------------------------------------------------------------ Thunderbird

    /**
     * Thunderbird desktop: drops a bad server silently while one good incoming and one good outgoing remain; the first
     * good one of each is used. OAuth2 counts only for providers on Thunderbird's built-in list, so it is skipped here.
     */
    public static ClientVerdict thunderbird(String source, byte[] body, String contentType, String address) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<ServerSetting> servers = new ArrayList<>();
        if (contentType != null && !(contentType.startsWith("text/xml") || contentType.startsWith("application/xml")
                || contentType.startsWith("text/rdf"))) {
            problems.add("Content-Type \"" + contentType + "\" does not start with text/xml, application/xml or text/rdf:"
                    + " Thunderbird ignores the answer");
        }
        Element provider;
        try {
            provider = emailProvider(SafeXml.parse(body));
        } catch (ProbeException e) {
            problems.add(e.getMessage());
            return new ClientVerdict(THUNDERBIRD, source, servers, problems, notes);
        }
        if (provider.getAttribute("id").isEmpty()) {
            problems.add("emailProvider has no id");
        }
        boolean goodDomain = false;
        for (Element domain : SafeXml.children(provider, "domain")) {
            goodDomain |= isHostname(substitute(domain.getTextContent().strip(), address));
        }
        if (!goodDomain) {
            problems.add("no <domain> with a valid host name");
        }
        ServerSetting incoming = null;
        for (Element server : SafeXml.children(provider, "incomingServer")) {
            String type = server.getAttribute("type");
            if (!TB_INCOMING_TYPES.contains(type)) {
                notes.add("incomingServer type=\"" + type + "\" is not known to Thunderbird: skipped");
                continue;
            }
            ServerSetting s = thunderbirdServer("incoming", type, server, address, true, Set.of(), notes);
            if (s != null && incoming == null) {
                incoming = s;
            }
        }
        ServerSetting outgoing = null;
        boolean firstOutgoing = true;
        for (Element server : SafeXml.children(provider, "outgoingServer")) {
            String type = server.getAttribute("type");
            if (!type.equals("smtp")) {
                notes.add("outgoingServer type=\"" + type + "\" is not smtp: skipped");
                continue;
            }
            ServerSetting s = thunderbirdServer("outgoing", type, server, address, firstOutgoing,
                    TB_OUTGOING_ONLY_AUTH, notes);
            firstOutgoing = false;
            if (s != null && outgoing == null) {
                outgoing = s;
            }
        }
        if (incoming == null) {
            problems.add("no usable incoming server (see notes)");
        } else {
            servers.add(incoming);
        }
        if (outgoing == null) {
            problems.add("no usable outgoing server (see notes)");
        } else {
            servers.add(outgoing);
        }
        for (ServerSetting s : servers) {
            if ("undefined".equals(s.username())) {
                problems.add(s.role() + " server has no <username>: Thunderbird logs in as the literal \"undefined\"");
            }
            if (s.username().contains("%EMAIL")) {
                problems.add(s.role() + " server " + s.hostname() + ": Thunderbird does not replace placeholders in"
                        + " the second and later outgoing servers; the username stays \"" + s.username() + "\"");
            }
            if ("plain".equals(s.security())) {
                notes.add(s.role() + " server " + s.hostname() + " is used without TLS: passwords travel in cleartext");
            }
        }
        return new ClientVerdict(THUNDERBIRD, source, servers, problems, notes);
    }

    private static ServerSetting thunderbirdServer(String role, String type, Element server, String address,
                                                   boolean substitutes, Set<String> extraAuth, List<String> notes) {
        String hostname = trimmed(SafeXml.text(server, "hostname"));
        String port = trimmed(SafeXml.text(server, "port"));
        String socketType = trimmed(SafeXml.text(server, "socketType"));
        String label = role + " " + type + " server " + hostname + ": ";
        if (substitutes) {
            hostname = substitute(hostname, address);
        }
        if (!isHostname(hostname)) {
            notes.add(label + "invalid hostname: skipped");
            return null;
        }
        int portNumber = port != null && PORT.matcher(port).matches() ? Integer.parseInt(port) : -1;
        if (portNumber < 1 || portNumber > 65535) {
            notes.add(label + "invalid port \"" + port + "\": skipped");
            return null;
        }
        if (socketType == null || !TB_SOCKET.contains(socketType)) {
            notes.add(label + "invalid socketType \"" + socketType + "\": skipped");
            return null;
        }
        String auth = null;
        for (Element a : SafeXml.children(server, "authentication")) {
            String value = a.getTextContent().strip();
            if (value.equals("OAuth2")) {
                notes.add(label + "OAuth2 is used only for providers on Thunderbird's built-in list");
                continue;
            }
            if (TB_AUTH.contains(value) || extraAuth.contains(value)) {
                auth = value;
                break;
            }
        }
        if (auth == null) {
            notes.add(label + "no authentication Thunderbird can use here: skipped");
            return null;
        }
        String username = SafeXml.text(server, "username");
        username = username == null ? "undefined" : username.strip();
        if (substitutes) {
            username = substitute(username, address);
        }
        return new ServerSetting(role, type.toUpperCase(java.util.Locale.ROOT), hostname, portNumber,
                socketType.equals("plain") ? "plain" : socketType, auth, username);
    }

    // ------------------------------------------------------------------------------------------ shared

    private static Element emailProvider(Document document) {
        Element root = document.getDocumentElement();
        if (!"clientConfig".equals(root.getLocalName())) {
            throw new ProbeException("the root element is <" + root.getLocalName() + ">, not <clientConfig>");
        }
        Element provider = SafeXml.child(root, "emailProvider");
        if (provider == null) {
            throw new ProbeException("<clientConfig> has no <emailProvider>");
        }
        return provider;
    }

    private static Element firstOfType(List<Element> servers, String type) {
        for (Element server : servers) {
            if (type.equals(server.getAttribute("type"))) {
                return server;
            }
        }
        return null;
    }

    private static String trimmed(String s) {
        return s == null ? null : s.strip();
    }

    private static ClientVerdict verdict(String client, String source, List<ServerSetting> servers, List<String> problems) {
        return new ClientVerdict(client, source, servers, problems, List.of());
    }
}
