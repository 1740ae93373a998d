package dev.autogen.render;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules Thunderbird for Android / K-9 applies to an autoconfig document (clients.md): the strictest client, and
 * the first violation rejects the whole file. {@link #violations} lists every violation, empty when K-9 accepts it.
 */
final class K9Rules {
    private K9Rules() {}

    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern PLACEHOLDER = Pattern.compile("%EMAIL(ADDRESS|LOCALPART|DOMAIN)%");
    private static final Set<String> SOCKET_TYPES = Set.of("SSL", "STARTTLS");
    private static final Set<String> KNOWN_AUTH = Set.of("password-cleartext", "password-encrypted", "OAuth2");
    /** Where K-9 replaces placeholders; anywhere else a placeholder would reach the user as is. */
    private static final Set<String> PLACEHOLDER_ELEMENTS = Set.of("domain", "hostname", "username");
    /** Elements K-9 reads as plain text values. */
    private static final Set<String> VALUE_ELEMENTS = Set.of("domain", "displayName", "displayShortName", "hostname",
            "port", "socketType", "username", "authentication", "issuer", "scope", "authURL", "tokenURL");

    /**
     * What K-9 must say about the public autoconfig of {@code domain}: nothing, unless the domain itself offers K-9
     * nothing it can use (no IMAP server, or a first IMAP/SMTP server without TLS). No rendering can fix those; any
     * other violation is a rendering bug.
     */
    static List<String> expectedFor(dev.autogen.model.Domain domain) {
        List<String> expected = new ArrayList<>();
        expectedFor(domain, dev.autogen.model.MailServer.Protocol.IMAP, "first imap incomingServer", expected);
        expectedFor(domain, dev.autogen.model.MailServer.Protocol.SMTP, "first smtp outgoingServer", expected);
        return expected;
    }

    private static void expectedFor(dev.autogen.model.Domain domain, dev.autogen.model.MailServer.Protocol protocol,
                                    String what, List<String> expected) {
        var servers = domain.servers(protocol);
        if (servers.isEmpty()) {
            expected.add("no " + what);
        } else if (servers.get(0).security() == dev.autogen.model.MailServer.Security.NONE) {
            expected.add(what + ": socketType must be SSL or STARTTLS, is 'plain'");
        }
    }

    static List<String> violations(byte[] document) {
        List<String> problems = new ArrayList<>();
        if (document.length >= 3 && (document[0] & 0xff) == 0xEF && (document[1] & 0xff) == 0xBB
                && (document[2] & 0xff) == 0xBF) {
            problems.add("starts with a UTF-8 byte-order mark");
            return problems;
        }
        String text = new String(document, java.nio.charset.StandardCharsets.UTF_8);
        if (text.contains("{{") || text.contains("}}")) {
            problems.add("contains an unfilled slot");
        }
        Document doc = Xml.parse(document);
        Element root = doc.getDocumentElement();
        if (!root.getLocalName().equals("clientConfig")) {
            problems.add("root element is " + root.getLocalName() + ", not clientConfig");
            return problems;
        }
        Element provider = firstChild(root, "emailProvider", null);
        if (provider == null) {
            problems.add("no emailProvider");
            return problems;
        }
        String id = provider.getAttribute("id");
        if (!HOSTNAME.matcher(id).matches()) {
            problems.add("emailProvider id is not a hostname: '" + id + "'");
        }
        boolean validDomain = false;
        for (Element domain : children(provider, "domain")) {
            validDomain |= HOSTNAME.matcher(sample(domain.getTextContent())).matches();
        }
        if (!validDomain) {
            problems.add("no <domain> that is a valid hostname");
        }
        checkServer(firstChild(provider, "incomingServer", "imap"), "first imap incomingServer", problems);
        checkServer(firstChild(provider, "outgoingServer", "smtp"), "first smtp outgoingServer", problems);
        checkValues(root, problems);
        return problems;
    }

    private static void checkServer(Element server, String what, List<String> problems) {
        if (server == null) {
            problems.add("no " + what);
            return;
        }
        String hostname = value(server, "hostname");
        if (hostname == null || !HOSTNAME.matcher(sample(hostname)).matches()) {
            problems.add(what + ": hostname missing or invalid: " + hostname);
        }
        String port = value(server, "port");
        if (port == null || !PORT.matcher(port).matches() || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            problems.add(what + ": port is not a bare integer 1..65535: '" + port + "'");
        }
        String socketType = value(server, "socketType");
        if (!SOCKET_TYPES.contains(socketType)) {
            problems.add(what + ": socketType must be SSL or STARTTLS, is '" + socketType + "'");
        }
        String username = value(server, "username");
        if (username == null || username.isEmpty()) {
            problems.add(what + ": no username");
        }
        if (children(server, "authentication").stream().noneMatch(a -> KNOWN_AUTH.contains(a.getTextContent()))) {
            problems.add(what + ": no authentication K-9 understands");
        }
    }

    /** Plain text values without padding, placeholders only where K-9 replaces them. */
    private static void checkValues(Element element, List<String> problems) {
        String name = element.getLocalName();
        NodeList nodes = element.getChildNodes();
        boolean hasChildElements = false;
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element child) {
                hasChildElements = true;
                checkValues(child, problems);
            }
        }
        if (VALUE_ELEMENTS.contains(name)) {
            String text = element.getTextContent();
            if (hasChildElements) {
                problems.add("<" + name + "> has child elements");
            } else if (!text.equals(text.strip())) {
                problems.add("<" + name + "> has padding whitespace: '" + text + "'");
            }
        }
        if (!hasChildElements && PLACEHOLDER.matcher(element.getTextContent()).find()
                && !PLACEHOLDER_ELEMENTS.contains(name)) {
            problems.add("placeholder in <" + name + ">, where K-9 does not replace it");
        }
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attribute = (Attr) attributes.item(i);
            if (PLACEHOLDER.matcher(attribute.getValue()).find()) {
                problems.add("placeholder in attribute " + name + "@" + attribute.getName());
            }
        }
    }

    /** The value K-9 would see after replacing placeholders for user@example.com. */
    private static String sample(String value) {
        return value.replace("%EMAILADDRESS%", "user@example.com").replace("%EMAILLOCALPART%", "user")
                .replace("%EMAILDOMAIN%", "example.com");
    }

    private static String value(Element parent, String name) {
        Element child = firstChild(parent, name, null);
        return child == null ? null : child.getTextContent();
    }

    private static Element firstChild(Element parent, String name, String type) {
        for (Element child : children(parent, name)) {
            if (type == null || type.equals(child.getAttribute("type"))) {
                return child;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                result.add(e);
            }
        }
        return result;
    }
}
